#include "core/logreg.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace digits {

LogRegModel::LogRegModel() : w_(Weights::Zero()), b_(Bias::Zero()) {}

LogRegModel::LogRegModel(const Weights& w, const Bias& b, PreprocessMode preprocess)
    : w_(w), b_(b), preprocess_(preprocess) {}

bool LogRegModel::parse(std::span<const uint8_t> file, LogRegModel& out, std::string& error) {
  WeightsEnvelope envelope;
  if (!unwrap_weights(file, kKind, envelope, error)) return false;

  ByteReader reader(envelope.body);
  uint32_t classes = 0, features = 0;
  if (!reader.u32(classes, "the class count") || !reader.u32(features, "the feature count")) {
    error = reader.error();
    return false;
  }
  if (classes != static_cast<uint32_t>(kClasses)) {
    error = "wrong shape: the logreg weights have " + std::to_string(classes) +
            " classes, this build expects " + std::to_string(kClasses) + " (digits 0-9)";
    return false;
  }
  if (features != static_cast<uint32_t>(kPixels)) {
    error = "wrong shape: the logreg weights have " + std::to_string(features) +
            " features, this build expects " + std::to_string(kPixels) + " (28x28 pixels)";
    return false;
  }

  // Weights is row-major, so its storage is exactly the file's W[classes][features].
  LogRegModel model(Weights::Zero(), Bias::Zero(), envelope.preprocess);
  reader.f32s(std::span<float>(model.w_.data(), model.w_.size()), "the weight matrix W[10][784]");
  reader.f32s(std::span<float>(model.b_.data(), model.b_.size()), "the bias b[10]");
  if (!reader.expect_end()) {
    error = reader.error();
    return false;
  }
  // A NaN or infinity would silently turn every prediction into NaN; refuse it here instead.
  if (!model.w_.allFinite() || !model.b_.allFinite()) {
    error = "corrupt: the logreg weights contain NaN or infinite values; retrain the model";
    return false;
  }
  out = model;
  return true;
}

std::vector<uint8_t> LogRegModel::serialize() const {
  ByteWriter body;
  body.u32(static_cast<uint32_t>(kClasses));
  body.u32(static_cast<uint32_t>(kPixels));
  body.f32s(std::span<const float>(w_.data(), w_.size()));
  body.f32s(std::span<const float>(b_.data(), b_.size()));
  return wrap_weights(kKind, preprocess_, body);
}

void LogRegModel::predict_proba(std::span<const float> x, std::span<float> out) const {
  assert(x.size() == static_cast<size_t>(kPixels) && out.size() == static_cast<size_t>(kClasses));
  Eigen::Map<const Eigen::Matrix<float, kPixels, 1>> pixels(x.data());
  // One dot product per class: as fast as a GEMV for 10 rows, and it avoids GCC 12's false
  // -Waggressive-loop-optimizations warning inside Eigen's fixed-size GEMV.
  for (int c = 0; c < kClasses; ++c) out[c] = w_.row(c).dot(pixels.transpose()) + b_(c);
  softmax(out);
}

void softmax(std::span<float> z) {
  if (z.empty()) return;
  // Subtracting the largest logit keeps exp() in [0, 1]: no overflow, and at least one term is 1,
  // so the sum never underflows to 0.
  const float largest = *std::max_element(z.begin(), z.end());
  float sum = 0.0f;
  for (float& v : z) {
    v = std::exp(v - largest);
    sum += v;
  }
  for (float& v : z) v /= sum;
}

}  // namespace digits
