// Scoring models on labelled images: accuracy, log loss and confusion matrix, computed from the
// same core calls the page makes (DigitClassifier::classify on raw pixels).
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/classifier.h"
#include "io/class_drawings.h"
#include "io/idx.h"
#include "train/dataset.h"

namespace digits {

struct ModelScore {
  int right = 0, total = 0;  // images answered right, of all scored
  double accuracy = 0;       // right / total, in [0, 1]
  double log_loss = 0;       // mean cross-entropy, probabilities clipped to [1e-7, 1]
  int empty = 0;             // images with no ink: counted wrong, scored as a uniform guess
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

// Every loaded model on raw images of any size, through DigitClassifier::classify (Gray8), as the
// page calls it: per image, each model's probabilities, and whether it had no ink.
struct ClassifiedImages {
  std::vector<std::array<std::array<float, kClasses>, kModels>> proba;  // [image][model][class]
  std::vector<uint8_t> empty;  // 1 where there was no ink (its probabilities all zero)
};
ClassifiedImages classify_images(const DigitClassifier& classifier, const IdxImages& images,
                                 std::optional<PreprocessMode> override_mode = std::nullopt,
                                 int threads = 0);

// All three models on raw images of any size, through classify_images.
struct Evaluation {
  int count = 0;
  std::array<ModelScore, kModels> models;  // in registry order
};
Evaluation evaluate_classifier(const DigitClassifier& classifier, const IdxImages& images,
                               const IdxLabels& labels,
                               std::optional<PreprocessMode> override_mode = std::nullopt,
                               int threads = 0);

// A class's drawings (io/class_drawings.h): the digits scored as above, the "not a digit"
// drawings apart (what each model said for them), and the page's recorded guesses against these
// models' answers.
struct ClassEvaluation {
  int count = 0;      // all drawings
  Evaluation digits;  // the drawings labelled 0-9, digits.count of them
  struct NotADigit {
    std::array<int, kClasses> said{};  // how often the model answered each digit
    int no_ink = 0;                    // drawings with no ink: no answer
  };
  int not_a_digit = 0;  // drawings labelled kNotADigit
  std::array<NotADigit, kModels> not_a_digit_answers;
  // From drawings.json, when present: per model, the drawings with a recorded guess of that
  // model, and those where it is the answer given here.
  bool has_record = false;
  std::array<int, kModels> recorded{}, recorded_agree{};
};
ClassEvaluation evaluate_class_drawings(const DigitClassifier& classifier,
                                        const ClassDrawings& drawings,
                                        std::optional<PreprocessMode> override_mode = std::nullopt,
                                        int threads = 0);

}  // namespace digits
