// stb_image (the header from Debian's libstb-dev), compiled inside the project for the formats
// `digits predict` reads and with its limits set, so the sanitizer build instruments it too. Its
// functions stay private to stb_image_impl.cpp; the rest of the project sees only these two.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace digits::stb {

struct Info {
  int width = 0, height = 0;
  int channels = 0;          // 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA
  bool sixteen_bit = false;  // 16 bits per sample (a PNG can be)
};

// What the file's header says, without decoding the pixels; false with stb's reason (printable
// ASCII only, never bytes of the file) when it is not a format compiled in or is malformed.
bool read_info(std::span<const uint8_t> bytes, Info& info, std::string& reason);

// The pixels as gray + alpha, 2 bytes a pixel, row-major; false with stb's reason, as above.
bool decode_gray_alpha(std::span<const uint8_t> bytes, int& width, int& height,
                       std::vector<uint8_t>& gray_alpha, std::string& reason);

}  // namespace digits::stb
