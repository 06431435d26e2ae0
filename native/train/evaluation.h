// Scoring models on labelled images: accuracy, log loss and confusion matrix, computed from the
// same core calls the page makes (DigitClassifier::classify on raw pixels).
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/classifier.h"
#include "io/idx.h"
#include "train/dataset.h"

namespace digits {

struct ModelScore {
  double accuracy = 0;  // fraction in [0, 1]
  double log_loss = 0;  // mean cross-entropy, probabilities clipped to [1e-7, 1]
  int empty = 0;        // images with no ink: counted wrong, scored as a uniform guess
  std::array<std::array<int, kClasses>, kClasses> confusion{};  // [true][predicted]
};

// Scores per-image probabilities (count x kClasses; rows of empty images are ignored).
ModelScore score_probabilities(std::span<const std::array<float, kClasses>> proba,
                               std::span<const uint8_t> labels, std::span<const uint8_t> empty);

// One model on a preprocessed dataset (parallel over images).
ModelScore score_model(const std::function<void(std::span<const float>, std::span<float>)>& predict,
                       const Dataset& data, int threads = 0);
// The same for a model (LogRegModel, ForestModel, LeNetModel): its predict_proba.
template <typename Model>
requires requires(const Model& m, std::span<const float> x, std::span<float> p) {
  m.predict_proba(x, p);
}
ModelScore score_model(const Model& model, const Dataset& data, int threads = 0) {
  return score_model(
      [&](std::span<const float> x, std::span<float> p) { model.predict_proba(x, p); }, data,
      threads);
}

// All three models on raw images of any size, through DigitClassifier::classify (Gray8).
struct Evaluation {
  int count = 0;
  std::array<ModelScore, kModels> models;  // in registry order
};
Evaluation evaluate_classifier(const DigitClassifier& classifier, const IdxImages& images,
                               const IdxLabels& labels,
                               std::optional<PreprocessMode> override_mode = std::nullopt,
                               int threads = 0);

}  // namespace digits
