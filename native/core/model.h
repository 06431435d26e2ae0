// What every model of the registry (core/model_registry.h) is, seen from the classifier: trained
// on one preprocessing mode, it turns a preprocessed 28x28 image into kClasses probabilities.
// LogRegModel, ForestModel and LeNetModel derive from it; each keeps its own static parse(), which
// the registry calls by type, and its own insight type (core/insight.h), which explain() fills.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/insight.h"
#include "core/preprocess.h"

// What a model's serialize() says of itself: an override of Model::serialize natively, a plain
// member function in the page (see below).
#ifdef __EMSCRIPTEN__
#define DIGITS_NATIVE_OVERRIDE
#else
#define DIGITS_NATIVE_OVERRIDE override
#endif

namespace digits {

// The digit a model picks: the most probable of its kClasses probabilities (the lowest digit on a
// tie). The one definition of a model's answer, for the page, the CLI, the scores and the
// forest's votes.
inline int top_class(std::span<const float> proba) {
  return int(std::max_element(proba.begin(), proba.end()) - proba.begin());
}

class Model {
 public:
  virtual ~Model() = default;

  // x: kPixels floats (preprocessed 28x28, row-major, ink = 1), out: kClasses probabilities
  // summing to 1. Thread-safe and allocation-free.
  virtual void predict_proba(std::span<const float> x, std::span<float> out) const = 0;
  // An insight buffer of this model's own type (core/insight.h), for explain(): allocate it once
  // and reuse it for every image.
  virtual std::unique_ptr<Insight> make_insight() const = 0;
  // predict_proba's own forward pass, filling `insight` on the way: `out` is bit for bit what
  // predict_proba writes. Allocation-free. Returns false, filling only `out`, when `insight` is
  // another model type's (insight.kind() is not this model's).
  virtual bool explain(std::span<const float> x, std::span<float> out, Insight& insight) const = 0;
  // The preprocessing the model was trained on, from its weights file; the classifier feeds it
  // exactly that.
  virtual PreprocessMode preprocess() const = 0;
  virtual size_t parameter_count() const = 0;
#ifndef __EMSCRIPTEN__
  // The model's weights file (envelope included), as its parse() reads it. Native only (the
  // trainers, the weights fuzzer's round trip): the linker cannot drop a virtual function, and in
  // the page it would keep every model's writer in the module (15 KB of 93). Each model's own
  // serialize() is there in both builds.
  virtual std::vector<uint8_t> serialize() const = 0;
#endif

 protected:
  Model() = default;
  Model(const Model&) = default;
  Model& operator=(const Model&) = default;
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;
};

// Model::explain for a model M whose own explain(x, out, I&) fills its insight type I.
template <typename I, typename M>
bool explain_as(const M& model, std::span<const float> x, std::span<float> out, Insight& insight) {
  if (insight.kind() != M::kKind) {
    model.predict_proba(x, out);
    return false;
  }
  model.explain(x, out, static_cast<I&>(insight));
  return true;
}

}  // namespace digits
