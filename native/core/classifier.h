// The models of the registry together, as the page and the CLI use them: load each model's
// weights file from bytes once, then classify raw pixels (any size, Gray8 or Rgba8) in one call.
//
// Usage:
//   DigitClassifier c;
//   std::string err;
//   for (int i = 0; i < kModels; ++i)
//     if (!c.load(i, bytes_of(kModelRegistry[i].weights_file), err)) report(err);
//   DigitClassifier::Result r;
//   if (c.classify(pixels, w, h, PixelFormat::Rgba8, r) == PreprocessStatus::Ok)
//     use(r.proba[model_index(LeNetModel::kKind)]);
//
//   // The models' insides, on request (one buffer per model, allocated once):
//   auto buffers = c.make_insights();
//   if (c.explain(pixels, w, h, PixelFormat::Rgba8, r, insights_of(buffers)) == ...)
//     use(static_cast<const LeNetInsight&>(*buffers[model_index(LeNetModel::kKind)]).conv1);
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/model_registry.h"
#include "core/preprocess.h"

namespace digits {

class DigitClassifier {
 public:
  struct Result {
    // The 28x28 image the models saw (in the first loaded model's preprocessing mode; all
    // committed models share one mode). 784 floats, ink = 1.
    std::array<float, kPixels> image{};
    // kModels x kClasses probabilities, in registry order.
    std::array<std::array<float, kClasses>, kModels> proba{};
    // Each model's answer, top_class of its probabilities, in registry order; -1 (and all-zero
    // probabilities) for a model that is not loaded.
    std::array<int, kModels> prediction{};
    // Milliseconds per step: [0] preprocessing, then each model in registry order. Filled only
    // when a step clock is set (set_step_clock); zeros otherwise.
    std::array<double, 1 + kModels> step_ms{};
  };

  // A monotonic clock in milliseconds (e.g. emscripten_get_now), read around each step of
  // classify() so the page can show where the time goes. The core keeps no clock of its own.
  using StepClock = double (*)();
  void set_step_clock(StepClock clock) { clock_ = clock; }

  // Parses and keeps the weights file of model `index` (its position in kModelRegistry). On
  // failure returns false, `error` says what is wrong, and the model loaded before (if any) is
  // kept.
  bool load(int index, std::span<const uint8_t> file, std::string& error);
  bool loaded(int index) const;
  bool ready() const;       // every model of the registry loaded
  bool any_loaded() const;  // at least one: enough for classify()

  // Model `index`; requires loaded(index).
  const Model& model(int index) const { return *models_[index]; }

  // Preprocesses once per distinct mode the models need (or everything with `override_mode`,
  // e.g. Plain for the original app's feeding) and runs every loaded model, so that the page
  // keeps working with the models whose files arrived when another one's did not.
  // Requires any_loaded(). Returns Empty (nothing classified) when there is no ink, BadSize for a
  // wrong size or buffer.
  PreprocessStatus classify(std::span<const uint8_t> pixels, int width, int height,
                            PixelFormat format, Result& out,
                            std::optional<PreprocessMode> override_mode = std::nullopt) const;

  // Per registry model, the insight buffer explain() fills, or null: that model only predicts.
  using Insights = std::array<Insight*, kModels>;
  // classify(), with each loaded model i whose insights[i] is set (a buffer of its own type, from
  // make_insights() or model(i).make_insight()) filling it from the very forward pass that gives
  // its probabilities: `out` is bit for bit what classify() gives. A buffer of another model's
  // type is left as it was. Allocation-free apart from preprocessing's, as classify().
  PreprocessStatus explain(std::span<const uint8_t> pixels, int width, int height,
                           PixelFormat format, Result& out, const Insights& insights,
                           std::optional<PreprocessMode> override_mode = std::nullopt) const;
  // A buffer for every loaded model (null for the others). They point at the models' weights:
  // make them again after load() replaces a model.
  std::array<std::unique_ptr<Insight>, kModels> make_insights() const;

 private:
  PreprocessStatus run(std::span<const uint8_t> pixels, int width, int height, PixelFormat format,
                       Result& out, const Insights* insights,
                       std::optional<PreprocessMode> override_mode) const;

  std::array<std::unique_ptr<Model>, kModels> models_;
  StepClock clock_ = nullptr;
};

// The plain pointers DigitClassifier::explain takes, from the buffers make_insights() gives.
inline DigitClassifier::Insights insights_of(
    const std::array<std::unique_ptr<Insight>, kModels>& buffers) {
  DigitClassifier::Insights insights{};
  for (int i = 0; i < kModels; ++i) insights[i] = buffers[i].get();
  return insights;
}

}  // namespace digits
