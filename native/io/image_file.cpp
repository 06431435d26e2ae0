#include "io/image_file.h"

#include <stb/stb_image.h>

#include <algorithm>

#include "io/idx.h"

namespace digits {

bool load_image_file(const std::string& path, GrayImage& out, std::string& error) {
  std::vector<uint8_t> bytes;
  if (!read_file(path, bytes, error)) return false;
  if (bytes.empty()) {
    error = path + ": the file is empty";
    return false;
  }
  int w = 0, h = 0, channels = 0;
  // Always ask for gray + alpha; stb converts colour with its own luminance weights.
  stbi_uc* data = stbi_load_from_memory(bytes.data(), int(bytes.size()), &w, &h, &channels, 2);
  if (!data) {
    error = path + ": cannot decode the image (" + stbi_failure_reason() +
            "); use a PNG, PGM, JPEG or BMP file";
    return false;
  }
  out.width = w;
  out.height = h;
  out.pixels.resize(size_t(w) * h);
  for (size_t i = 0; i < out.pixels.size(); ++i) {
    const int gray = data[2 * i], alpha = data[2 * i + 1];
    out.pixels[i] = uint8_t((gray * alpha + 255 * (255 - alpha) + 127) / 255);  // over white
  }
  stbi_image_free(data);

  // Polarity from the border: the median border value is the paper.
  std::vector<uint8_t> border;
  for (int x = 0; x < w; ++x) border.push_back(out.pixels[x]), border.push_back(out.pixels[size_t(h - 1) * w + x]);
  for (int y = 0; y < h; ++y) border.push_back(out.pixels[size_t(y) * w]), border.push_back(out.pixels[size_t(y) * w + w - 1]);
  std::nth_element(border.begin(), border.begin() + border.size() / 2, border.end());
  if (border[border.size() / 2] >= 128) {
    for (auto& p : out.pixels) p = uint8_t(255 - p);
  }
  return true;
}

}  // namespace digits
