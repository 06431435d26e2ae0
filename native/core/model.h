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
  // The model's weights file (envelope included), as its parse() reads it.
  virtual std::vector<uint8_t> serialize() const = 0;

 protected:
  Model() = default;
  Model(const Model&) = default;
  Model& operator=(const Model&) = default;
  Model(Model&&) = default;
  Model& operator=(Model&&) = default;
};

}  // namespace digits
