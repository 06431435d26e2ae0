// How the preprocessing and classify targets read a fuzzer's bytes as a drawing: a 4-byte header
// (width, height: 1..256 each, or 0 for a deliberately wrong size; pixel format; preprocessing
// mode) and then the pixels, which may be fewer or more than width x height needs.
#pragma once

#include <cstdint>
#include <span>

#include "core/preprocess.h"

namespace digits::fuzz {

struct Drawing {
  int width = 0, height = 0;
  PixelFormat format = PixelFormat::Gray8;
  PreprocessMode mode = PreprocessMode::MnistDeskew;
  std::span<const uint8_t> pixels;
};

inline bool read_drawing(const uint8_t* data, size_t size, Drawing& out) {
  if (size < 4) return false;
  out.width = data[0];  // 0 = a wrong size on purpose; up to 255 keeps each run fast
  out.height = data[1];
  out.format = data[2] & 1 ? PixelFormat::Rgba8 : PixelFormat::Gray8;
  out.mode = static_cast<PreprocessMode>(data[3] % 3);
  out.pixels = std::span<const uint8_t>(data + 4, size - 4);
  return true;
}

// The bytes a well-formed drawing of this size needs.
inline size_t needed_bytes(const Drawing& d) {
  return size_t(d.width) * size_t(d.height) * (d.format == PixelFormat::Rgba8 ? 4 : 1);
}

}  // namespace digits::fuzz
