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
    s.right += guess == truth;
    s.confusion[truth][guess]++;
    loss += -std::log(std::clamp(double(p[truth]), 1e-7, 1.0));
  }
  s.total = int(n);
  s.accuracy = double(s.right) / double(n);
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

ClassifiedImages classify_images(const DigitClassifier& classifier, const IdxImages& images,
                                 std::optional<PreprocessMode> override_mode, int threads) {
  ClassifiedImages c;
  c.proba.assign(size_t(images.count), {});
  c.empty.assign(size_t(images.count), 0);
  parallel_for(images.count, threads, [&](long i) {
    DigitClassifier::Result r;
    auto status = classifier.classify(images.image(int(i)), images.cols, images.rows,
                                      PixelFormat::Gray8, r, override_mode);
    if (status == PreprocessStatus::Ok)
      c.proba[i] = r.proba;
    else
      c.empty[i] = 1;
  });
  return c;
}

namespace {

// Each model scored on the images `chosen` of `c`, with their labels.
Evaluation score_images(const ClassifiedImages& c, std::span<const uint8_t> labels,
                        const std::vector<size_t>& chosen) {
  Evaluation e;
  e.count = int(chosen.size());
  std::vector<uint8_t> truth, empty;
  for (size_t i : chosen) {
    truth.push_back(labels[i]);
    empty.push_back(c.empty[i]);
  }
  for (int m = 0; m < kModels; ++m) {
    std::vector<std::array<float, kClasses>> column;
    for (size_t i : chosen) column.push_back(c.proba[i][m]);
    e.models[m] = score_probabilities(column, truth, empty);
  }
  return e;
}

}  // namespace

Evaluation evaluate_classifier(const DigitClassifier& classifier, const IdxImages& images,
                               const IdxLabels& labels, std::optional<PreprocessMode> override_mode,
                               int threads) {
  std::vector<size_t> all(size_t(images.count));
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  return score_images(classify_images(classifier, images, override_mode, threads), labels.labels,
                      all);
}

ClassEvaluation evaluate_class_drawings(const DigitClassifier& classifier,
                                        const ClassDrawings& drawings,
                                        std::optional<PreprocessMode> override_mode, int threads) {
  const ClassifiedImages c = classify_images(classifier, drawings.images, override_mode, threads);
  const std::vector<uint8_t>& labels = drawings.labels.labels;
  ClassEvaluation e;
  e.count = drawings.images.count;
  std::vector<size_t> digits;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] != kNotADigit) {
      digits.push_back(i);
      continue;
    }
    ++e.not_a_digit;
    for (int m = 0; m < kModels; ++m) {
      if (c.empty[i])
        ++e.not_a_digit_answers[m].no_ink;
      else
        ++e.not_a_digit_answers[m].said[top_class(c.proba[i][m])];
    }
  }
  e.digits = score_images(c, labels, digits);

  e.has_record = drawings.has_record;
  for (size_t i = 0; i < drawings.recorded_guesses.size(); ++i) {
    for (int m = 0; m < kModels; ++m) {
      const auto guess = drawings.recorded_guesses[i].find(kModelRegistry[m].id);
      if (guess == drawings.recorded_guesses[i].end()) continue;
      ++e.recorded[m];
      e.recorded_agree[m] += !c.empty[i] && top_class(c.proba[i][m]) == guess->second;
    }
  }
  return e;
}

}  // namespace digits
