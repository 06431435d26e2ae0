// PGM (netpbm gray) images, binary (P5) and plain ASCII (P2), 8 or 16 bits per pixel.
//   "P5" <ws> width <ws> height <ws> maxval <one ws> width*height samples (1 byte each, or 2
//   big-endian when maxval > 255); P2 has the samples as decimal numbers. '#' starts a comment in
//   the header.
// The header is read on its own first, so that the caller can refuse a size before anything is
// allocated for the pixels.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace digits {

struct PgmHeader {
  int width = 0, height = 0;
  int maxval = 0;          // 1..65535: the white level
  bool plain = false;      // P2 (ASCII samples) rather than P5
  size_t data_offset = 0;  // where the samples start
};

// True when the bytes start like a PGM file ("P5" or "P2").
bool looks_like_pgm(std::span<const uint8_t> bytes);

// Reads the header; false with a sentence when it is malformed. Checks neither the size against a
// limit nor that the samples are all there.
bool parse_pgm_header(std::span<const uint8_t> bytes, PgmHeader& header, std::string& error);

// The width*height samples after a parsed header, scaled to 0..255 (0 = black, 255 = white);
// false with a sentence when they are cut short or a sample is above maxval.
bool decode_pgm_pixels(std::span<const uint8_t> bytes, const PgmHeader& header,
                       std::vector<uint8_t>& gray, std::string& error);

}  // namespace digits
