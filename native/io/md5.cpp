#include "io/md5.h"

#include <array>
#include <cmath>
#include <cstring>
#include <vector>

namespace digits {

std::string md5_hex(std::span<const uint8_t> bytes) {
  // Per-round shift amounts and the sine-derived constants of RFC 1321.
  static const uint32_t shifts[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                      5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                      4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                      6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  static const std::array<uint32_t, 64> k = [] {
    std::array<uint32_t, 64> t{};
    for (int i = 0; i < 64; ++i)
      t[i] = uint32_t(std::floor(std::fabs(std::sin(double(i + 1))) * 4294967296.0));
    return t;
  }();
  uint32_t a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;

  // Message + 0x80 + zero padding to 56 mod 64 + 64-bit little-endian bit length.
  const uint64_t bit_length = uint64_t(bytes.size()) * 8;
  std::vector<uint8_t> tail(bytes.end() - (bytes.size() % 64), bytes.end());
  tail.push_back(0x80);
  while (tail.size() % 64 != 56) tail.push_back(0);
  for (int i = 0; i < 8; ++i) tail.push_back(uint8_t(bit_length >> (8 * i)));

  auto process = [&](const uint8_t* chunk) {
    uint32_t m[16];
    std::memcpy(m, chunk, 64);  // little-endian host (checked in weights_format.cpp)
    uint32_t a = a0, b = b0, c = c0, d = d0;
    for (int i = 0; i < 64; ++i) {
      uint32_t f;
      int g;
      if (i < 16)
        f = (b & c) | (~b & d), g = i;
      else if (i < 32)
        f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      else if (i < 48)
        f = b ^ c ^ d, g = (3 * i + 5) % 16;
      else
        f = c ^ (b | ~d), g = (7 * i) % 16;
      f += a + k[i] + m[g];
      a = d;
      d = c;
      c = b;
      b += (f << shifts[i]) | (f >> (32 - shifts[i]));
    }
    a0 += a, b0 += b, c0 += c, d0 += d;
  };
  const size_t full = bytes.size() / 64;
  for (size_t i = 0; i < full; ++i) process(bytes.data() + 64 * i);
  for (size_t i = 0; i < tail.size(); i += 64) process(tail.data() + i);

  char hex[33];
  const uint32_t words[4] = {a0, b0, c0, d0};
  for (int w = 0; w < 4; ++w)
    for (int i = 0; i < 4; ++i)
      std::snprintf(hex + 8 * w + 2 * i, 3, "%02x", (words[w] >> (8 * i)) & 0xff);
  return std::string(hex, 32);
}

}  // namespace digits
