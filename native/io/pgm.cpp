#include "io/pgm.h"

namespace digits {
namespace {

bool is_space(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool is_digit(uint8_t c) { return c >= '0' && c <= '9'; }

// Skips whitespace and '#' comments (to the end of the line) from `pos`.
void skip_space(std::span<const uint8_t> bytes, size_t& pos) {
  while (pos < bytes.size()) {
    if (is_space(bytes[pos])) {
      ++pos;
    } else if (bytes[pos] == '#') {
      while (pos < bytes.size() && bytes[pos] != '\n' && bytes[pos] != '\r') ++pos;
    } else {
      break;
    }
  }
}

// A decimal number of at most 9 digits at `pos` (no sign); false when there is none or it is
// longer.
bool read_number(std::span<const uint8_t> bytes, size_t& pos, int& value) {
  const size_t start = pos;
  value = 0;
  while (pos < bytes.size() && is_digit(bytes[pos])) {
    if (pos - start == 9) return false;
    value = value * 10 + (bytes[pos++] - '0');
  }
  return pos > start;
}

}  // namespace

bool looks_like_pgm(std::span<const uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 'P' && (bytes[1] == '5' || bytes[1] == '2');
}

bool parse_pgm_header(std::span<const uint8_t> bytes, PgmHeader& header, std::string& error) {
  if (!looks_like_pgm(bytes)) {
    error = "not a PGM file (it must start with P5 or P2)";
    return false;
  }
  header.plain = bytes[1] == '2';
  size_t pos = 2;
  const char* names[] = {"width", "height", "maxval"};
  int* fields[] = {&header.width, &header.height, &header.maxval};
  for (int f = 0; f < 3; ++f) {
    const size_t before = pos;
    skip_space(bytes, pos);
    if (pos == bytes.size()) {
      error = std::string("truncated: the PGM header ends before its ") + names[f];
      return false;
    }
    if (pos == before || !read_number(bytes, pos, *fields[f])) {
      error = std::string("malformed PGM header: its ") + names[f] +
              " is not a number of at most 9 digits after a space";
      return false;
    }
  }
  if (header.maxval < 1 || header.maxval > 65535) {
    error =
        "malformed PGM header: its maxval is " + std::to_string(header.maxval) + ", not 1 to 65535";
    return false;
  }
  // Exactly one whitespace byte separates the header from the samples.
  if (pos == bytes.size()) {
    error = "truncated: the PGM file ends after its header";
    return false;
  }
  if (!is_space(bytes[pos])) {
    error = "malformed PGM header: no space after its maxval";
    return false;
  }
  header.data_offset = pos + 1;
  return true;
}

bool decode_pgm_pixels(std::span<const uint8_t> bytes, const PgmHeader& header,
                       std::vector<uint8_t>& gray, std::string& error) {
  const uint64_t count = uint64_t(header.width) * uint64_t(header.height);
  const uint64_t have = bytes.size() - header.data_offset;
  const int sample_bytes = header.maxval > 255 ? 2 : 1;
  // The fewest bytes that can hold the samples: checked before anything is allocated for them.
  const uint64_t need = header.plain ? (count > 0 ? 2 * count - 1 : 0) : count * sample_bytes;
  const std::string announced = "the PGM header announces " + std::to_string(header.width) + " x " +
                                std::to_string(header.height) + " pixels";
  if (have < need) {
    error = "truncated: " + announced + " (at least " + std::to_string(need) +
            " bytes) but the file holds " + std::to_string(have) + " bytes of them";
    return false;
  }
  gray.resize(size_t(count));
  const int maxval = header.maxval;
  size_t pos = header.data_offset;
  for (size_t i = 0; i < gray.size(); ++i) {
    int v = 0;
    if (header.plain) {
      skip_space(bytes, pos);
      if (pos == bytes.size()) {
        error = "truncated: " + announced + " but the file holds " + std::to_string(i) + " of them";
        return false;
      }
      if (!read_number(bytes, pos, v)) {
        error = "malformed PGM: sample " + std::to_string(i) + " is not a number";
        return false;
      }
    } else if (sample_bytes == 2) {
      v = (bytes[pos] << 8) | bytes[pos + 1];  // big-endian
      pos += 2;
    } else {
      v = bytes[pos++];
    }
    if (v > maxval) {
      error = "malformed PGM: sample " + std::to_string(i) + " is " + std::to_string(v) +
              ", above the maxval " + std::to_string(maxval);
      return false;
    }
    gray[i] = uint8_t((v * 255 + maxval / 2) / maxval);
  }
  return true;
}

}  // namespace digits
