// stb_image's implementation, compiled here (not Debian's prebuilt libstb) for PNG, JPEG and BMP
// only, its functions static to this file. PGM is read by io/pgm.cpp instead: this stb (2.27)
// reads past its buffer on 16-bit PNM files and leaves the pixels of cut-short ones uninitialised.
// STBI_FAILURE_USERMSG: stb's longer messages, which, unlike the short ones, never copy bytes of
// the file (a PNG chunk type) into the text.
#include "io/stb_image_impl.h"

#include <climits>

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_FAILURE_USERMSG
// A backstop: load_image_file refuses images over its own, smaller limits before decoding.
#define STBI_MAX_DIMENSIONS (1 << 16)
#include <stb/stb_image.h>

namespace digits::stb {
namespace {

// stb's reason for the last failure, if it gave one, with anything but printable ASCII replaced.
std::string failure_reason() {
  const char* reason = stbi__g_failure_reason;
  if (!reason || !*reason) return "the file is corrupt";
  std::string text(reason);
  for (char& c : text)
    if (c < 0x20 || c > 0x7e) c = '?';
  return text;
}

bool fits_int(std::span<const uint8_t> bytes, std::string& reason) {
  if (bytes.size() <= size_t(INT_MAX)) return true;
  reason = "the file is too large";
  return false;
}

}  // namespace

bool read_info(std::span<const uint8_t> bytes, Info& info, std::string& reason) {
  if (!fits_int(bytes, reason)) return false;
  stbi__g_failure_reason = nullptr;  // a reason left from an earlier call is not this one's
  const int len = int(bytes.size());
  if (!stbi_info_from_memory(bytes.data(), len, &info.width, &info.height, &info.channels)) {
    reason = failure_reason();
    return false;
  }
  info.sixteen_bit = stbi_is_16_bit_from_memory(bytes.data(), len) != 0;
  return true;
}

bool decode_gray_alpha(std::span<const uint8_t> bytes, int& width, int& height,
                       std::vector<uint8_t>& gray_alpha, std::string& reason) {
  if (!fits_int(bytes, reason)) return false;
  stbi__g_failure_reason = nullptr;
  int channels = 0;
  stbi_uc* data =
      stbi_load_from_memory(bytes.data(), int(bytes.size()), &width, &height, &channels, 2);
  if (!data) {
    reason = failure_reason();
    return false;
  }
  gray_alpha.assign(data, data + size_t(width) * size_t(height) * 2);
  stbi_image_free(data);
  return true;
}

}  // namespace digits::stb
