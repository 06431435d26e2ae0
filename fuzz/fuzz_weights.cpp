// Weights files, as the page and the CLI read them: every registry model's parser on the same
// bytes. What parses must serialize and parse again to a model that predicts exactly the same.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "core/model_registry.h"

namespace {

// A fixed input: a soft diagonal stroke (preprocessed-looking, ink = 1).
std::array<float, digits::kPixels> probe_image() {
  std::array<float, digits::kPixels> x{};
  for (int y = 4; y < 24; ++y)
    for (int c = y - 2; c <= y + 2; ++c) x[y * digits::kSide + c] = c == y ? 1.0f : 0.5f;
  return x;
}

void require(bool ok, const char* what, const digits::ModelInfo& m) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_weights: %s: %s\n", m.id, what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::array<float, digits::kPixels> image = probe_image();
  const std::span<const uint8_t> file(data, size);
  for (const digits::ModelInfo& m : digits::kModelRegistry) {
    std::string error;
    const auto model = m.parse(file, error);
    if (!model) {
      require(!error.empty(), "a refusal without a reason", m);
      continue;
    }
    std::array<float, digits::kClasses> p{}, q{};
    model->predict_proba(image, p);
    const std::vector<uint8_t> again = model->serialize();
    const auto reparsed = m.parse(again, error);
    require(reparsed != nullptr, "its own serialize() does not parse again", m);
    reparsed->predict_proba(image, q);
    for (int c = 0; c < digits::kClasses; ++c) {
      // NaN is allowed only where both say NaN (a model whose weights overflow), never a change.
      require(p[c] == q[c] || (std::isnan(p[c]) && std::isnan(q[c])),
              "the round trip changed a prediction", m);
    }
  }
  return 0;
}
