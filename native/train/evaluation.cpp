#include "train/evaluation.h"

#include <algorithm>
#include <cmath>

#include "train/parallel.h"

namespace digits {

ModelScore score_probabilities(std::span<const std::array<float, kClasses>> proba,
                               std::span<const uint8_t> labels, std::span<const uint8_t> empty) {
  ModelScore s;
  const size_t n = labels.size();
  if (n == 0) return s;
  int correct = 0;
  double loss = 0;
  for (size_t i = 0; i < n; ++i) {
    const int truth = labels[i];
    if (!empty.empty() && empty[i]) {
      ++s.empty;
      loss += -std::log(1.0 / kClasses);
      continue;
    }
    const auto& p = proba[i];
    const int guess = top_class(p);
    correct += guess == truth;
    s.confusion[truth][guess]++;
    loss += -std::log(std::clamp(double(p[truth]), 1e-7, 1.0));
  }
  s.accuracy = double(correct) / double(n);
  s.log_loss = loss / double(n);
  return s;
}

ModelScore score_model(const std::function<void(std::span<const float>, std::span<float>)>& predict,
                       const Dataset& data, int threads) {
  std::vector<std::array<float, kClasses>> proba(data.count);
  parallel_for(data.count, threads,
               [&](long i) { predict(std::span<const float>(data.image(i), kPixels), proba[i]); });
  return score_probabilities(proba, data.y, data.empty);
}

Evaluation evaluate_classifier(const DigitClassifier& classifier, const IdxImages& images,
                               const IdxLabels& labels, std::optional<PreprocessMode> override_mode,
                               int threads) {
  Evaluation e;
  e.count = images.count;
  std::vector<std::array<std::array<float, kClasses>, kModels>> proba(images.count);
  std::vector<uint8_t> empty(images.count, 0);
  parallel_for(images.count, threads, [&](long i) {
    DigitClassifier::Result r;
    auto status = classifier.classify(images.image(int(i)), images.cols, images.rows,
                                      PixelFormat::Gray8, r, override_mode);
    if (status == PreprocessStatus::Ok)
      proba[i] = r.proba;
    else
      empty[i] = 1;
  });
  for (int m = 0; m < kModels; ++m) {
    std::vector<std::array<float, kClasses>> column(images.count);
    for (int i = 0; i < images.count; ++i) column[i] = proba[i][m];
    e.models[m] = score_probabilities(column, labels.labels, empty);
  }
  return e;
}

}  // namespace digits
