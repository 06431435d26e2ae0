// Preprocessing (crop, scale, centre, deskew) on fuzzed sizes, formats, modes and pixels: it must
// report BadSize exactly when the size is impossible or the buffer too short for it, and otherwise
// write 784 values in [0, 1] (Ok) or report that there is no ink (Empty).
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/preprocess.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  digits::fuzz::Drawing d;
  if (!digits::fuzz::read_drawing(data, size, d)) return 0;
  std::array<float, digits::kPixels> out;
  out.fill(-1.0f);
  const auto status = digits::preprocess(d.pixels, d.width, d.height, d.format, d.mode, out);
  const bool fits = d.width > 0 && d.height > 0 && d.pixels.size() >= digits::fuzz::needed_bytes(d);
  if (fits != (status != digits::PreprocessStatus::BadSize)) {
    std::fprintf(stderr, "fuzz_preprocess: a %dx%d drawing of %zu bytes gave %s\n", d.width,
                 d.height, d.pixels.size(), digits::preprocess_status_message(status));
    std::abort();
  }
  if (status != digits::PreprocessStatus::Ok) return 0;
  for (float v : out) {
    if (!(v >= 0.0f && v <= 1.0f)) {
      std::fprintf(stderr, "fuzz_preprocess: a pixel of %g, outside [0, 1]\n", double(v));
      std::abort();
    }
  }
  return 0;
}
