#include "io/image_file.h"

#include <algorithm>

#include "io/idx.h"
#include "io/stb_image_impl.h"

namespace digits {
namespace {

// Paper is 0, ink 255: inverted when the median border value is light.
void ink_from_border(GrayImage& image) {
  const int w = image.width, h = image.height;
  const auto& p = image.pixels;
  std::vector<uint8_t> border;
  for (int x = 0; x < w; ++x) border.push_back(p[x]), border.push_back(p[size_t(h - 1) * w + x]);
  for (int y = 0; y < h; ++y) border.push_back(p[size_t(y) * w]), border.push_back(p[size_t(y) * w + w - 1]);
  std::nth_element(border.begin(), border.begin() + border.size() / 2, border.end());
  if (border[border.size() / 2] >= 128) {
    for (auto& v : image.pixels) v = uint8_t(255 - v);
  }
}

}  // namespace

bool decode_image(std::span<const uint8_t> bytes, GrayImage& out, std::string& error) {
  if (bytes.empty()) {
    error = "the file is empty";
    return false;
  }
  int w = 0, h = 0;
  std::vector<uint8_t> gray_alpha;  // stb converts colour with its own luminance weights
  std::string reason;
  if (!stb::decode_gray_alpha(bytes, w, h, gray_alpha, reason)) {
    error = "cannot decode the image (" + reason + "); use a PNG, PGM, JPEG or BMP file";
    return false;
  }
  out.width = w;
  out.height = h;
  out.pixels.resize(size_t(w) * h);
  for (size_t i = 0; i < out.pixels.size(); ++i) {
    const int gray = gray_alpha[2 * i], alpha = gray_alpha[2 * i + 1];
    out.pixels[i] = uint8_t((gray * alpha + 255 * (255 - alpha) + 127) / 255);  // over white
  }
  ink_from_border(out);
  return true;
}

bool load_image_file(const std::string& path, GrayImage& out, std::string& error) {
  std::vector<uint8_t> bytes;
  if (!read_file(path, bytes, error)) return false;
  if (!decode_image(bytes, out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

}  // namespace digits
