// The class-drawings zip (io/class_drawings.h, what `digits evaluate DRAWINGS` reads): libzip's
// reading of hostile archives behind our size checks, the IDX pair and drawings.json. A refusal is
// one printable sentence; what is accepted has the shape the header promises.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "io/class_drawings.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_class_drawings: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  digits::ClassDrawings d;
  std::string error;
  if (!digits::parse_class_drawings_zip(std::span<const uint8_t>(data, size), "fuzz.zip", d,
                                        error)) {
    if (error.empty()) fail("a refusal without a reason");
    for (char c : error)
      if (c == '\n' || c == '\0') fail("a refusal that is not one line of text");
    return 0;
  }
  if (d.images.rows != digits::kClassDrawingSide || d.images.cols != digits::kClassDrawingSide)
    fail("accepted images that are not 280x280");
  if (d.images.count < 1 || d.images.count > digits::kMaxClassDrawings ||
      d.images.pixels.size() != size_t(d.images.count) * 280 * 280)
    fail("accepted a wrong number of drawings");
  if (d.labels.labels.size() != size_t(d.images.count)) fail("labels do not match the drawings");
  for (uint8_t label : d.labels.labels)
    if (label > digits::kNotADigit) fail("accepted a label above 10");
  if (d.has_record && d.recorded_guesses.size() != size_t(d.images.count))
    fail("a record without one entry per drawing");
  for (const auto& guesses : d.recorded_guesses)
    for (const auto& [model, digit] : guesses)
      if (digit < 0 || digit > 9) fail("kept a recorded guess that is not a digit");
  return 0;
}
