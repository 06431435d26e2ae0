// Image files, as `digits predict` reads them (decode_image: PNG, PGM, JPEG, BMP, with the size
// checked before decoding): what decodes is within the limits and has exactly width x height
// pixels; what is refused says why in printable text only (never bytes of the file).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "io/image_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  digits::GrayImage image;
  std::string error;
  if (digits::decode_image(std::span<const uint8_t>(data, size), image, error)) {
    const int64_t pixels = int64_t(image.width) * image.height;
    if (image.width < 1 || image.height < 1 || pixels > digits::kMaxImagePixels ||
        image.pixels.size() != size_t(pixels)) {
      std::fprintf(stderr, "fuzz_image: decoded a %dx%d image of %zu pixels\n", image.width,
                   image.height, image.pixels.size());
      std::abort();
    }
    return 0;
  }
  if (error.empty()) std::abort();
  for (unsigned char c : error) {
    if (c < 0x20 || c == 0x7f) {
      std::fprintf(stderr, "fuzz_image: a control character (0x%02x) in the message\n", c);
      std::abort();
    }
  }
  return 0;
}
