// PNG encoding for what the CLI writes (`digits predict --explain --out DIR`): pixels in memory to
// a PNG file's bytes, by stb_image_write (Debian's libstb-dev header) compiled in png_write.cpp,
// its functions private to that file. io/idx.h's write_file puts the bytes on disk.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace digits {

// `pixels`: width * height * channels bytes, row-major, channels 1 (gray), 3 (RGB) or 4 (RGBA).
// Empty when the sizes do not match the buffer or stb cannot encode it.
std::vector<uint8_t> encode_png(int width, int height, int channels,
                                std::span<const uint8_t> pixels);

}  // namespace digits
