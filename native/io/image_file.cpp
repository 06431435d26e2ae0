#include "io/image_file.h"

#include <algorithm>
#include <cstring>

#include "core/preprocess.h"
#include "io/idx.h"
#include "io/pgm.h"
#include "io/stb_image_impl.h"

namespace digits {
namespace {

constexpr const char* kUse = "use a PNG, PGM, JPEG or BMP file";

bool starts_with(std::span<const uint8_t> bytes, const char* magic, size_t length) {
  return bytes.size() >= length && std::memcmp(bytes.data(), magic, length) == 0;
}

// The format's name from the first bytes, or nullptr. Only the four formats promised are decoded;
// a few others are named so that the message can say what the file is.
const char* format_name(std::span<const uint8_t> bytes, bool& supported) {
  supported = true;
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n", 8)) return "PNG";
  if (starts_with(bytes, "\xff\xd8\xff", 3)) return "JPEG";
  if (starts_with(bytes, "BM", 2)) return "BMP";
  if (looks_like_pgm(bytes)) return "PGM";
  supported = false;
  if (starts_with(bytes, "GIF8", 4)) return "GIF";
  if (starts_with(bytes, "II*\0", 4) || starts_with(bytes, "MM\0*", 4)) return "TIFF";
  if (starts_with(bytes, "RIFF", 4) && bytes.size() >= 12 && std::memcmp(&bytes[8], "WEBP", 4) == 0)
    return "WebP";
  if (starts_with(bytes, "P1", 2) || starts_with(bytes, "P4", 2)) return "PBM (black-and-white netpbm)";
  if (starts_with(bytes, "P3", 2) || starts_with(bytes, "P6", 2)) return "PPM (colour netpbm)";
  if (starts_with(bytes, "P7", 2)) return "PAM (netpbm)";
  return nullptr;
}

// Refuses sizes over the limits in image_file.h, from the header alone; `decoded_bytes` is what
// the decoder would hold (0: not more than the pixels).
bool check_size(int64_t width, int64_t height, uint64_t decoded_bytes, std::string& error) {
  const std::string size = std::to_string(width) + " x " + std::to_string(height) + " pixels";
  if (width < 1 || height < 1) {
    error = "the image is " + size + ": it has no pixels";
    return false;
  }
  if (width > kMaxInputSide || height > kMaxInputSide || width * height > kMaxImagePixels) {
    error = "the image is " + size + "; at most 4096 x 4096 pixels, and " +
            std::to_string(kMaxInputSide) + " on a side, are read";
    return false;
  }
  if (decoded_bytes > kMaxImageDecodedBytes) {
    error = "the image is " + size + " of " + std::to_string(decoded_bytes / (width * height)) +
            " bytes each; at most " + std::to_string(kMaxImageDecodedBytes >> 20) +
            " MiB of decoded pixels (4096 x 4096 of 4 bytes) are read";
    return false;
  }
  return true;
}

// BMP pixels are stored uncompressed (stb reads no RLE), so the file must hold all of them: a cut
// short file is refused here rather than decoded with zeros for what is missing, and a tiny one
// announcing 4096 x 4096 pixels costs nothing.
bool bmp_holds_its_pixels(std::span<const uint8_t> bytes, const stb::Info& info, std::string& error) {
  auto le = [&](size_t at, int n) {
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | (at + i < bytes.size() ? bytes[at + i] : 0);
    return v;
  };
  const uint32_t header_size = le(14, 4);
  const uint64_t bits = le(header_size == 12 ? 24 : 28, 2);  // 12: the old OS/2 header
  const uint64_t need = le(10, 4) + uint64_t(info.height) * ((info.width * bits + 31) / 32 * 4);
  if (bytes.size() >= need) return true;
  error = "truncated: the BMP header announces " + std::to_string(info.width) + " x " +
          std::to_string(info.height) + " pixels of " + std::to_string(bits) + " bits (" +
          std::to_string(need) + " bytes with its headers) but the file has " +
          std::to_string(bytes.size());
  return false;
}

bool decode_pgm(std::span<const uint8_t> bytes, GrayImage& out, std::string& error) {
  PgmHeader header;
  if (!parse_pgm_header(bytes, header, error) || !check_size(header.width, header.height, 0, error) ||
      !decode_pgm_pixels(bytes, header, out.pixels, error))
    return false;
  out.width = header.width;
  out.height = header.height;
  return true;
}

bool decode_with_stb(std::span<const uint8_t> bytes, const char* format, GrayImage& out,
                     std::string& error) {
  stb::Info info;
  std::string reason;
  int w = 0, h = 0;
  std::vector<uint8_t> gray_alpha;  // stb converts colour with its own luminance weights
  if (stb::read_info(bytes, info, reason)) {
    const uint64_t decoded = uint64_t(info.width) * uint64_t(info.height) * info.channels *
                             (info.sixteen_bit ? 2 : 1);
    if (!check_size(info.width, info.height, decoded, error)) return false;
    if (std::strcmp(format, "BMP") == 0 && !bmp_holds_its_pixels(bytes, info, error)) return false;
    if (stb::decode_gray_alpha(bytes, w, h, gray_alpha, reason)) {
      out.width = w;
      out.height = h;
      out.pixels.resize(size_t(w) * h);
      for (size_t i = 0; i < out.pixels.size(); ++i) {
        const int gray = gray_alpha[2 * i], alpha = gray_alpha[2 * i + 1];
        out.pixels[i] = uint8_t((gray * alpha + 255 * (255 - alpha) + 127) / 255);  // over white
      }
      return true;
    }
  }
  error = std::string("cannot decode the ") + format + " image (" + reason + ")";
  return false;
}

// Paper is 0, ink 255: inverted when the median border value is light. Needs a non-empty image.
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
  bool supported = false;
  const char* format = format_name(bytes, supported);
  if (!format) {
    error = std::string("cannot decode the image: it is not a PNG, PGM, JPEG or BMP file");
    return false;
  }
  if (!supported) {
    error = std::string("cannot decode the image: it is a ") + format + " file; " + kUse;
    return false;
  }
  GrayImage image;
  const bool ok = std::strcmp(format, "PGM") == 0 ? decode_pgm(bytes, image, error)
                                                  : decode_with_stb(bytes, format, image, error);
  if (!ok) return false;
  ink_from_border(image);
  out = std::move(image);
  return true;
}

bool load_image_file(const std::string& path, GrayImage& out, std::string& error) {
  std::vector<uint8_t> bytes;
  if (!read_file(path, bytes, error, kMaxImageFileBytes)) return false;
  if (!decode_image(bytes, out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

}  // namespace digits
