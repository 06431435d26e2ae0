// The whole path the page and the CLI take, DigitClassifier::classify with the committed weights,
// on fuzzed drawings: every answer is a probability distribution per model, its prediction is its
// top class, and asking for the models' insight (DigitClassifier::explain) changes no bit of it.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/classifier.h"
#include "fuzz_input.h"
#include "io/idx.h"

namespace {

digits::DigitClassifier& committed_classifier() {
  static digits::DigitClassifier classifier = [] {
    digits::DigitClassifier c;
    for (int i = 0; i < digits::kModels; ++i) {
      const auto path = std::filesystem::path(DIGITS_SOURCE_DIR) / "weights" /
                        digits::kModelRegistry[i].weights_file;
      std::vector<uint8_t> bytes;
      std::string error;
      if (!digits::read_file(path.string(), bytes, error) || !c.load(i, bytes, error)) {
        std::fprintf(stderr, "fuzz_classify: %s: %s\n", path.c_str(), error.c_str());
        std::abort();
      }
    }
    return c;
  }();
  return classifier;
}

[[noreturn]] void fail(const char* what, int model) {
  std::fprintf(stderr, "fuzz_classify: %s: %s\n", digits::kModelRegistry[model].id, what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  committed_classifier();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  digits::fuzz::Drawing d;
  if (!digits::fuzz::read_drawing(data, size, d)) return 0;
  const digits::DigitClassifier& classifier = committed_classifier();
  static const auto buffers = classifier.make_insights();
  digits::DigitClassifier::Result r, explained;
  if (classifier.classify(d.pixels, d.width, d.height, d.format, r) != digits::PreprocessStatus::Ok)
    return 0;
  if (classifier.explain(d.pixels, d.width, d.height, d.format, explained,
                         digits::insights_of(buffers)) != digits::PreprocessStatus::Ok)
    fail("explain() that fails where classify() did not", 0);
  for (int m = 0; m < digits::kModels; ++m) {
    double sum = 0;
    for (float p : r.proba[m]) {
      if (!(p >= 0.0f && p <= 1.0f)) fail("a probability outside [0, 1]", m);
      sum += p;
    }
    if (std::abs(sum - 1.0) > 1e-4) fail("probabilities that do not sum to 1", m);
    if (r.prediction[m] != digits::top_class(r.proba[m]))
      fail("a prediction that is not the top class", m);
    if (std::memcmp(&r.proba[m], &explained.proba[m], sizeof r.proba[m]) != 0)
      fail("explain() probabilities that differ from classify()'s", m);
  }
  return 0;
}
