// The three models together, as the page and the CLI use them: load each model's weights file
// from bytes once, then classify raw pixels (any size, Gray8 or Rgba8) in one call.
//
// Usage:
//   DigitClassifier c;
//   std::string err;
//   if (!c.load(ModelKind::LeNet, bytes, err)) report("weights/lenet.bin: " + err);
//   ... (logreg, forest)
//   DigitClassifier::Result r;
//   if (c.classify(pixels, w, h, PixelFormat::Rgba8, r) == PreprocessStatus::Ok)
//     use(r.proba[model_index(ModelKind::LeNet)]);
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>

#include "core/forest.h"
#include "core/lenet.h"
#include "core/logreg.h"
#include "core/preprocess.h"

namespace digits {

inline constexpr int kModels = 3;
// Display and storage order of the models: logreg, forest, lenet.
inline constexpr std::array<ModelKind, kModels> kModelOrder = {ModelKind::LogReg, ModelKind::Forest,
                                                               ModelKind::LeNet};
int model_index(ModelKind kind);  // position in kModelOrder

// The digit a model picks: the most probable of its kClasses probabilities (the lowest digit on a
// tie). The one definition of a model's answer, for the page, the CLI and the scores.
int top_class(std::span<const float> proba);

class DigitClassifier {
 public:
  struct Result {
    // The 28x28 image the models saw (of the LeNet-5's preprocessing mode; all three committed
    // models share one mode). 784 floats, ink = 1.
    std::array<float, kPixels> image{};
    // kModelOrder x kClasses probabilities.
    std::array<std::array<float, kClasses>, kModels> proba{};
    // Each model's answer, top_class of its probabilities, in kModelOrder.
    std::array<int, kModels> prediction{};
    // Milliseconds per step: [0] preprocessing, then each model in kModelOrder. Filled only when
    // a step clock is set (set_step_clock); zeros otherwise.
    std::array<double, 1 + kModels> step_ms{};
  };

  // A monotonic clock in milliseconds (e.g. emscripten_get_now), read around each step of
  // classify() so the page can show where the time goes. The core keeps no clock of its own.
  using StepClock = double (*)();
  void set_step_clock(StepClock clock) { clock_ = clock; }

  // Parses and keeps one model's weights file. On failure returns false, `error` says what is
  // wrong, and the previously loaded model of that kind (if any) is kept.
  bool load(ModelKind kind, std::span<const uint8_t> file, std::string& error);
  bool loaded(ModelKind kind) const;
  bool ready() const;  // all three loaded

  const LogRegModel& logreg() const { return *logreg_; }
  const ForestModel& forest() const { return *forest_; }
  const LeNetModel& lenet() const { return *lenet_; }
  PreprocessMode preprocess_mode(ModelKind kind) const;

  // Preprocesses once per distinct mode the models need (or everything with `override_mode`,
  // e.g. Plain for the original app's feeding) and runs the three models.
  // Requires ready(). Returns Empty (nothing classified) when there is no ink, BadSize for a wrong
  // size or buffer.
  PreprocessStatus classify(std::span<const uint8_t> pixels, int width, int height,
                            PixelFormat format, Result& out,
                            std::optional<PreprocessMode> override_mode = std::nullopt) const;

 private:
  // One model on an already preprocessed 28x28 image (784 floats).
  void predict(ModelKind kind, std::span<const float> image, std::span<float> out) const;

  std::optional<LogRegModel> logreg_;
  std::optional<ForestModel> forest_;
  std::optional<LeNetModel> lenet_;
  StepClock clock_ = nullptr;
};

}  // namespace digits
