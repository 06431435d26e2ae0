#include "io/png_write.h"

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO  // bytes to memory; write_file opens the file
#include <stb/stb_image_write.h>

namespace digits {

std::vector<uint8_t> encode_png(int width, int height, int channels,
                                std::span<const uint8_t> pixels) {
  std::vector<uint8_t> png;
  if (width < 1 || height < 1 || channels < 1 || channels > 4 ||
      pixels.size() != size_t(width) * size_t(height) * size_t(channels))
    return png;
  auto append = [](void* context, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(context);
    const auto* bytes = static_cast<const uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
  };
  if (!stbi_write_png_to_func(append, &png, width, height, channels, pixels.data(),
                              width * channels))
    png.clear();
  return png;
}

}  // namespace digits
