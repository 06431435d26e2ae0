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
  if (starts_with(bytes, "P1", 2) || starts_with(bytes, "P4", 2))
    return "PBM (black-and-white netpbm)";
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
bool bmp_holds_its_pixels(std::span<const uint8_t> bytes, const stb::Info& info,
                          std::string& error) {
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
  if (!parse_pgm_header(bytes, header, error) ||
      !check_size(header.width, header.height, 0, error) ||
      !decode_pgm_pixels(bytes, header, out.pixels, error))
    return false;
  out.width = header.width;
  out.height = header.height;
  return true;
}

// Walks a PNG's chunks before stb sees them, for two things stb (2.27) gets wrong, both found by
// fuzz/fuzz_image.cpp:
// - a chunk that announces more bytes than the file holds: stb grows its buffer to the announced
//   size before it reads (a 100-byte file could make it allocate 2 GB), so it is refused here;
// - an empty IDAT chunk first: stb copies it through a null pointer (undefined behaviour). An
//   empty chunk holds no image data, so `repaired` gets the file without such chunks.
// Returns false with `error` for the first; `repaired` is left empty when nothing was dropped.
bool check_png_chunks(std::span<const uint8_t> png, std::vector<uint8_t>& repaired,
                      std::string& error) {
  constexpr size_t kSignature = 8, kChunkOverhead = 12;  // length, type, CRC
  auto be32 = [&](size_t at) {
    return uint32_t(png[at]) << 24 | uint32_t(png[at + 1]) << 16 | uint32_t(png[at + 2]) << 8 |
           png[at + 3];
  };
  std::vector<uint8_t> kept(png.begin(), png.begin() + kSignature);
  bool dropped = false;
  size_t at = kSignature;
  constexpr size_t kChunkHeader = 8;  // length and type: enough for stb to act on the length
  while (at + kChunkHeader <= png.size()) {
    const uint32_t length = be32(at);
    const uint64_t end = at + kChunkOverhead + uint64_t(length);
    if (end > png.size()) {
      error = "cannot decode the PNG image (truncated: a chunk at byte " + std::to_string(at) +
              " announces " + std::to_string(length) + " bytes, but only " +
              std::to_string(png.size() - at - std::min(png.size() - at, kChunkOverhead)) +
              " follow)";
      return false;
    }
    const bool empty_idat = length == 0 && std::memcmp(&png[at + 4], "IDAT", 4) == 0;
    if (empty_idat)
      dropped = true;
    else
      kept.insert(kept.end(), png.begin() + at, png.begin() + end);
    at = size_t(end);
  }
  kept.insert(kept.end(), png.begin() + at, png.end());  // under 8 bytes: stb reads no length there
  if (dropped) repaired = std::move(kept);
  return true;
}

// Checks a JPEG's Huffman tables (DHT segments) before stb sees them: stb (2.27) builds a table
// whose 16 code counts add up to more than 256 by writing past its 257-byte array (found by
// fuzz/fuzz_image.cpp). Markers are found as the JPEG standard lays them out: segments with a
// length, and entropy-coded data between them (where a 0xFF byte is always followed by 0x00 or a
// restart marker). A segment longer than the file is refused too (stb would read zeros as its
// content); what else this walk cannot read is left to stb, which refuses it.
bool check_jpeg_huffman_tables(std::span<const uint8_t> jpeg, std::string& error) {
  constexpr size_t kCounts = 16, kMaxSymbols = 256;
  size_t at = 2;  // after SOI
  while (at + 4 <= jpeg.size()) {
    const uint8_t marker = jpeg[at + 1];
    if (jpeg[at] != 0xFF || marker == 0xFF) {
      ++at;
      continue;
    }  // entropy data, fill bytes
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      at += 2;  // a stuffed 0xFF, TEM or a restart marker: no length follows
      continue;
    }
    if (marker == 0xD9) break;  // EOI
    const size_t length = size_t(jpeg[at + 2]) << 8 | jpeg[at + 3];
    if (length < 2) break;                // stb refuses it
    if (at + 2 + length > jpeg.size()) {  // stb would read zeros past the end as its content
      error = "cannot decode the JPEG image (truncated: a segment at byte " + std::to_string(at) +
              " announces " + std::to_string(length) + " bytes, but only " +
              std::to_string(jpeg.size() - at - 2) + " follow)";
      return false;
    }
    if (marker == 0xC4) {
      const size_t end = at + 2 + length;
      for (size_t p = at + 4; p < end;) {
        if (p + 1 + kCounts > end) {
          error = "cannot decode the JPEG image (a Huffman table at byte " + std::to_string(p) +
                  " is cut short)";
          return false;
        }
        size_t symbols = 0;
        for (size_t i = 0; i < kCounts; ++i) symbols += jpeg[p + 1 + i];
        if (symbols > kMaxSymbols) {
          error = "cannot decode the JPEG image (a Huffman table at byte " + std::to_string(p) +
                  " has " + std::to_string(symbols) + " codes; at most 256 are possible)";
          return false;
        }
        p += 1 + kCounts + symbols;
      }
    }
    at += 2 + length;
  }
  return true;
}

bool decode_with_stb(std::span<const uint8_t> bytes, const char* format, GrayImage& out,
                     std::string& error) {
  std::vector<uint8_t> repaired;
  if (std::strcmp(format, "PNG") == 0) {
    if (!check_png_chunks(bytes, repaired, error)) return false;
    if (!repaired.empty()) bytes = repaired;
  }
  if (std::strcmp(format, "JPEG") == 0 && !check_jpeg_huffman_tables(bytes, error)) return false;
  stb::Info info;
  std::string reason;
  int w = 0, h = 0;
  std::vector<uint8_t> gray_alpha;  // stb converts colour with its own luminance weights
  if (stb::read_info(bytes, info, reason)) {
    const uint64_t decoded =
        uint64_t(info.width) * uint64_t(info.height) * info.channels * (info.sixteen_bit ? 2 : 1);
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
  for (int y = 0; y < h; ++y)
    border.push_back(p[size_t(y) * w]), border.push_back(p[size_t(y) * w + w - 1]);
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
