// Multinomial logistic regression over the 784 pixels: p = softmax(W x + b).
//
// Weights body (after the envelope of weights_format.h), little-endian:
//   u32 classes (10), u32 features (784)
//   f32 W[classes][features]   row-major
//   f32 b[classes]
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/model.h"
#include "core/preprocess.h"
#include "core/weights_format.h"

namespace digits {

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

  PreprocessMode preprocess() const override { return preprocess_; }
  size_t parameter_count() const override { return kClasses * kPixels + kClasses; }
  const Weights& weights() const { return w_; }
  const Bias& bias() const { return b_; }

 private:
  Weights w_;
  Bias b_;
  PreprocessMode preprocess_ = PreprocessMode::MnistDeskew;
};

// Numerically stable softmax in place.
void softmax(std::span<float> z);

}  // namespace digits
