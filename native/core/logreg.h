// Multinomial logistic regression over the 784 pixels: p = softmax(W x + b).
//
// Weights body (after the envelope of weights_format.h), little-endian:
//   u32 classes (10), u32 features (784)
//   f32 W[classes][features]   row-major
//   f32 b[classes]
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/model.h"
#include "core/preprocess.h"
#include "core/weights_format.h"

namespace digits {

struct LogRegInsight;

class LogRegModel final : public Model {
 public:
  static constexpr ModelKind kKind{1};  // in its weights files' header
  using Weights = Eigen::Matrix<float, kClasses, kPixels, Eigen::RowMajor>;
  using Bias = Eigen::Matrix<float, kClasses, 1>;

  LogRegModel();
  LogRegModel(const Weights& w, const Bias& b, PreprocessMode preprocess);

  // Parses a whole weights file (envelope included). On failure returns false and `error` says
  // what is wrong.
  static bool parse(std::span<const uint8_t> file, LogRegModel& out, std::string& error);
  std::vector<uint8_t> serialize() const DIGITS_NATIVE_OVERRIDE;

  // x: kPixels floats (preprocessed), out: kClasses probabilities summing to 1.
  void predict_proba(std::span<const float> x, std::span<float> out) const override;
  // The same, filling each pixel's contribution to each digit's logit on the way.
  void explain(std::span<const float> x, std::span<float> out, LogRegInsight& insight) const;
  bool explain(std::span<const float> x, std::span<float> out, Insight& insight) const override;
  std::unique_ptr<Insight> make_insight() const override;
  // bias + the kPixels `contribution`s, added in the forward pass's own order (which is not
  // left to right), so that LogRegInsight's contributions add up exactly to its logit.
  static float add_up(std::span<const float> contribution, float bias);

  PreprocessMode preprocess() const override { return preprocess_; }
  size_t parameter_count() const override { return kClasses * kPixels + kClasses; }
  const Weights& weights() const { return w_; }
  const Bias& bias() const { return b_; }

 private:
  Weights w_;
  Bias b_;
  PreprocessMode preprocess_ = PreprocessMode::MnistDeskew;
};

// What logistic regression (the pixel scorer) shows of one image: a logit per digit is its bias
// plus one contribution per pixel, weight times ink; softmax of the logits is predict_proba.
struct LogRegInsight final : Insight {
  LogRegInsight() : Insight(LogRegModel::kKind) {}

  // [digit][28][28]: contribution[d * kPixels + i] = W[d][i] * x[i], how much pixel i (row i / 28,
  // column i % 28) speaks for digit d (negative: against it).
  std::array<float, kClasses * kPixels> contribution{};
  std::array<float, kClasses> bias{};   // b[d]
  std::array<float, kClasses> logit{};  // add_up(contribution of d, b[d]): what softmax read
  // The evidence for each digit: the sum of its positive contributions (the evidence against it
  // is logit - bias - evidence_for, up to float rounding).
  std::array<float, kClasses> evidence_for{};
  // The model's W[10][784], each digit's template (row-major 28x28 per digit); set by explain().
  const float* templates = nullptr;

  // contribution {10, 28, 28}, bias {10}, logit {10}, for {10}, and templates
  // {10, 28, 28} (per model).
  InsightArrays arrays() const override;
};

// Numerically stable softmax in place.
void softmax(std::span<float> z);

}  // namespace digits
