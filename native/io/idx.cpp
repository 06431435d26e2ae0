#include "io/idx.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace digits {
namespace {

uint32_t read_be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(uint8_t(v >> s));
}

// Checks the IDX header for `ndim` dimensions of u8 data and returns the sizes.
bool parse_header(std::span<const uint8_t> bytes, int ndim, const char* what,
                  std::vector<uint32_t>& dims, std::string& error) {
  const size_t header = 4 + 4 * size_t(ndim);
  if (bytes.size() < 4) {
    error = "truncated: " + std::to_string(bytes.size()) + " bytes is too short for an IDX file";
    return false;
  }
  if (bytes[0] != 0 || bytes[1] != 0) {
    error = "not an IDX file (the first two bytes must be zero)";
    return false;
  }
  if (bytes[2] != 0x08) {
    static const char* hex = "0123456789abcdef";
    error = std::string("unsupported IDX data type 0x") + hex[bytes[2] >> 4] + hex[bytes[2] & 15] +
            " (only unsigned bytes, 0x08)";
    return false;
  }
  if (bytes[3] != ndim) {
    error = "expected " + std::string(what) + " (an IDX file with " + std::to_string(ndim) +
            " dimensions) but the file has " + std::to_string(bytes[3]);
    return false;
  }
  if (bytes.size() < header) {
    error = "truncated: the IDX header is incomplete";
    return false;
  }
  dims.resize(ndim);
  uint64_t total = 1;
  for (int d = 0; d < ndim; ++d) {
    dims[d] = read_be32(bytes.data() + 4 + 4 * d);
    total *= dims[d];
    if (total > (uint64_t(1) << 34)) {
      error = "implausible IDX sizes (more than 16 GiB of data)";
      return false;
    }
  }
  const uint64_t have = bytes.size() - header;
  if (have != total) {
    error = (have < total ? "truncated: " : "wrong size: ") + std::string("the header announces ") +
            std::to_string(total) + " bytes of data but the file holds " + std::to_string(have);
    return false;
  }
  return true;
}

}  // namespace

IdxImages IdxImages::head(int n) const {
  IdxImages out;
  out.count = std::clamp(n, 0, count);
  out.rows = rows;
  out.cols = cols;
  out.pixels.assign(pixels.begin(), pixels.begin() + static_cast<size_t>(out.count) * rows * cols);
  return out;
}

IdxLabels IdxLabels::head(int n) const {
  return {std::vector<uint8_t>(
      labels.begin(), labels.begin() + std::clamp<size_t>(std::max(n, 0), 0, labels.size()))};
}

bool parse_idx_images(std::span<const uint8_t> bytes, IdxImages& out, std::string& error) {
  std::vector<uint32_t> dims;
  if (!parse_header(bytes, 3, "images", dims, error)) return false;
  if (dims[1] == 0 || dims[2] == 0 || dims[1] > 8192 || dims[2] > 8192) {
    error = "unsupported image size " + std::to_string(dims[1]) + "x" + std::to_string(dims[2]);
    return false;
  }
  out.count = int(dims[0]);
  out.rows = int(dims[1]);
  out.cols = int(dims[2]);
  out.pixels.assign(bytes.begin() + 16, bytes.end());
  return true;
}

bool parse_idx_labels(std::span<const uint8_t> bytes, IdxLabels& out, std::string& error,
                      uint8_t max_label) {
  std::vector<uint32_t> dims;
  if (!parse_header(bytes, 1, "labels", dims, error)) return false;
  out.labels.assign(bytes.begin() + 8, bytes.end());
  for (size_t i = 0; i < out.labels.size(); ++i) {
    if (out.labels[i] > max_label) {
      error = "label " + std::to_string(i) + " is " + std::to_string(out.labels[i]) +
              (max_label == 9 ? ", not a digit 0-9" : ", neither a digit 0-9 nor 10 (not a digit)");
      return false;
    }
  }
  return true;
}

bool read_file(const std::string& path, std::vector<uint8_t>& out, std::string& error,
               uint64_t max_bytes) {
  // Only regular files: a folder opens as a stream whose "size" is garbage (it made a
  // std::bad_alloc), and a FIFO or device has no size to check against max_bytes.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    error = path + ": cannot open (" + (ec ? ec.message() : std::strerror(ENOENT)) + ")";
    return false;
  }
  if (std::filesystem::is_directory(status)) {
    error = path + ": is a folder, not a file";
    return false;
  }
  if (!std::filesystem::is_regular_file(status)) {
    error = path + ": is not a regular file (a device, pipe or socket)";
    return false;
  }
  const uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    error = path + ": cannot read (" + ec.message() + ")";
    return false;
  }
  if (size > max_bytes) {
    error = path + ": the file is " + std::to_string(size) + " bytes, more than the " +
            std::to_string(max_bytes) + " read";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open (" + std::strerror(errno) + ")";
    return false;
  }
  out.resize(size_t(size));
  // gcount, not the size asked for: the file may have shrunk since file_size.
  in.read(reinterpret_cast<char*>(out.data()), std::streamsize(size));
  if (uint64_t(in.gcount()) != size || in.bad()) {
    error = path + ": read error (the file changed while it was read?)";
    return false;
  }
  return true;
}

bool write_file(const std::string& path, std::span<const uint8_t> bytes, std::string& error) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()))) {
    error = path + ": cannot write (" + std::strerror(errno) + ")";
    return false;
  }
  return true;
}

bool load_idx_images(const std::string& path, IdxImages& out, std::string& error) {
  std::vector<uint8_t> bytes;
  if (!read_file(path, bytes, error)) return false;
  if (!parse_idx_images(bytes, out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

bool load_idx_labels(const std::string& path, IdxLabels& out, std::string& error) {
  std::vector<uint8_t> bytes;
  if (!read_file(path, bytes, error)) return false;
  if (!parse_idx_labels(bytes, out, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

std::vector<uint8_t> encode_idx_images(const IdxImages& images) {
  std::vector<uint8_t> out = {0, 0, 0x08, 3};
  put_be32(out, uint32_t(images.count));
  put_be32(out, uint32_t(images.rows));
  put_be32(out, uint32_t(images.cols));
  out.insert(out.end(), images.pixels.begin(), images.pixels.end());
  return out;
}

std::vector<uint8_t> encode_idx_labels(const IdxLabels& labels) {
  std::vector<uint8_t> out = {0, 0, 0x08, 1};
  put_be32(out, uint32_t(labels.labels.size()));
  out.insert(out.end(), labels.labels.begin(), labels.labels.end());
  return out;
}

}  // namespace digits
