// What every model of the registry (core/model_registry.h) is, seen from the classifier: trained
// on one preprocessing mode, it turns a preprocessed 28x28 image into kClasses probabilities.
// LogRegModel, ForestModel and LeNetModel derive from it; each keeps its own static parse(), which
// the registry calls by type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/preprocess.h"

// What a model's serialize() says of itself: an override of Model::serialize natively, a plain
// member function in the page (see below).
#ifdef __EMSCRIPTEN__
#define DIGITS_NATIVE_OVERRIDE
#else
#define DIGITS_NATIVE_OVERRIDE override
#endif

namespace digits {

class Model {
 public:
  virtual ~Model() = default;

  // x: kPixels floats (preprocessed 28x28, row-major, ink = 1), out: kClasses probabilities
  // summing to 1. Thread-safe and allocation-free.
  virtual void predict_proba(std::span<const float> x, std::span<float> out) const = 0;
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

}  // namespace digits
