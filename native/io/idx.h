// IDX files (MNIST's format): reading from bytes and from disk, and writing.
//   magic: 0x00 0x00 <type 0x08 = u8> <ndim>, then ndim big-endian u32 sizes, then the data.
// IDX3 = images (n, rows, cols), IDX1 = labels (n).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace digits {

struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count * rows * cols, row-major, 0 = background, 255 = ink
  std::span<const uint8_t> image(int i) const {
    return {pixels.data() + static_cast<size_t>(i) * rows * cols, static_cast<size_t>(rows) * cols};
  }
  // The first min(n, count) images.
  IdxImages head(int n) const;
};

struct IdxLabels {
  std::vector<uint8_t> labels;  // each 0..9 (class drawings also 10, "not a digit")
  IdxLabels head(int n) const;  // the first min(n, size) labels
};

// Parse from memory; on failure return false with `error` saying what is wrong. Labels above
// `max_label` are refused: 9 for digits, 10 where 10 means "not a digit" (class drawings).
bool parse_idx_images(std::span<const uint8_t> bytes, IdxImages& out, std::string& error);
bool parse_idx_labels(std::span<const uint8_t> bytes, IdxLabels& out, std::string& error,
                      uint8_t max_label = 9);

// Read a whole regular file of at most max_bytes; false with a sentence naming the file when it
// cannot be read, is a folder or another non-regular file, or is larger.
bool read_file(const std::string& path, std::vector<uint8_t>& out, std::string& error,
               uint64_t max_bytes = UINT64_MAX);
bool write_file(const std::string& path, std::span<const uint8_t> bytes, std::string& error);

// Read + parse, with the file name in the message ("data/x: truncated: ...").
bool load_idx_images(const std::string& path, IdxImages& out, std::string& error);
bool load_idx_labels(const std::string& path, IdxLabels& out, std::string& error);

std::vector<uint8_t> encode_idx_images(const IdxImages& images);
std::vector<uint8_t> encode_idx_labels(const IdxLabels& labels);

}  // namespace digits
