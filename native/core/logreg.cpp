#include "core/logreg.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "core/simd.h"

namespace digits {

namespace {

using simd::Float8;
using simd::load;
using simd::store;

// bias + the kPixels products, products(i) giving those of pixels i..i+7, in one fixed order: 16
// interleaved partial sums (two vectors of 8), then pairwise. predict_proba (products w * x),
// explain (the same, stored on the way) and add_up (the stored contributions) all add this way,
// and logreg.cpp is compiled with -ffp-contract=off (CMakeLists.txt) so that no product is fused
// into its sum: a fused one would differ from the product explain() stores.
template <typename Products>
inline float add_up_products(float bias, Products products) {
  static_assert(kPixels % 16 == 0, "whole pairs of vectors");
  Float8 a0{}, a1{};
  for (int i = 0; i < kPixels; i += 16) {
    a0 += products(i);
    a1 += products(i + 8);
  }
  const Float8 a = a0 + a1;
  return bias + (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])));
}

}  // namespace

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
  const float* pixels = x.data();
  for (int c = 0; c < kClasses; ++c) {
    const float* w = w_.data() + c * kPixels;
    out[c] = add_up_products(b_(c),
                             [&](int i) { return load<Float8>(w + i) * load<Float8>(pixels + i); });
  }
  softmax(out);
}

void LogRegModel::explain(std::span<const float> x, std::span<float> out,
                          LogRegInsight& insight) const {
  assert(x.size() == static_cast<size_t>(kPixels) && out.size() == static_cast<size_t>(kClasses));
  const float* pixels = x.data();
  for (int c = 0; c < kClasses; ++c) {
    const float* w = w_.data() + c * kPixels;
    float* contribution = insight.contribution.data() + c * kPixels;
    out[c] = add_up_products(b_(c), [&](int i) {
      const Float8 p = load<Float8>(w + i) * load<Float8>(pixels + i);
      store(contribution + i, p);
      return p;
    });
    insight.bias[c] = b_(c);
    insight.logit[c] = out[c];
    float pro = 0.0f;
    for (int i = 0; i < kPixels; ++i) pro += std::max(contribution[i], 0.0f);
    insight.evidence_for[c] = pro;
  }
  insight.templates = w_.data();
  softmax(out);
}

bool LogRegModel::explain(std::span<const float> x, std::span<float> out, Insight& insight) const {
  return explain_as<LogRegInsight>(*this, x, out, insight);
}

std::unique_ptr<Insight> LogRegModel::make_insight() const {
  auto insight = std::make_unique<LogRegInsight>();
  insight->templates = w_.data();
  return insight;
}

float LogRegModel::add_up(std::span<const float> contribution, float bias) {
  assert(contribution.size() == static_cast<size_t>(kPixels));
  return add_up_products(bias, [&](int i) { return load<Float8>(contribution.data() + i); });
}

// Cold: generic code asks once per image at most; compiled small for the page's module.
[[gnu::cold]] InsightArrays LogRegInsight::arrays() const {
  InsightArrays a;
  a.add(insight_array("contribution", contribution.data(), {kClasses, kSide, kSide}));
  a.add(insight_array("bias", bias.data(), {kClasses}, false));
  a.add(insight_array("logit", logit.data(), {kClasses}));
  a.add(insight_array("for", evidence_for.data(), {kClasses}));
  a.add(insight_array("templates", templates, {kClasses, kSide, kSide}, false));
  return a;
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
