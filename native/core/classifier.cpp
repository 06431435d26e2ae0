#include "core/classifier.h"

#include <algorithm>

namespace digits {

bool DigitClassifier::load(int index, std::span<const uint8_t> file, std::string& error) {
  if (index < 0 || index >= kModels) {
    error = "there is no model " + std::to_string(index) + " (the registry has " +
            std::to_string(kModels) + ")";
    return false;
  }
  std::unique_ptr<Model> model = kModelRegistry[index].parse(file, error);
  if (!model) return false;
  models_[index] = std::move(model);
  return true;
}

bool DigitClassifier::loaded(int index) const {
  return index >= 0 && index < kModels && models_[index] != nullptr;
}

bool DigitClassifier::ready() const {
  return std::all_of(models_.begin(), models_.end(), [](const auto& m) { return m != nullptr; });
}

bool DigitClassifier::any_loaded() const {
  return std::any_of(models_.begin(), models_.end(), [](const auto& m) { return m != nullptr; });
}

PreprocessStatus DigitClassifier::classify(std::span<const uint8_t> pixels, int width, int height,
                                           PixelFormat format, Result& out,
                                           std::optional<PreprocessMode> override_mode) const {
  return run(pixels, width, height, format, out, nullptr, override_mode);
}

PreprocessStatus DigitClassifier::explain(std::span<const uint8_t> pixels, int width, int height,
                                          PixelFormat format, Result& out, const Insights& insights,
                                          std::optional<PreprocessMode> override_mode) const {
  return run(pixels, width, height, format, out, &insights, override_mode);
}

std::array<std::unique_ptr<Insight>, kModels> DigitClassifier::make_insights() const {
  std::array<std::unique_ptr<Insight>, kModels> buffers;
  for (int i = 0; i < kModels; ++i)
    if (models_[i]) buffers[i] = models_[i]->make_insight();
  return buffers;
}

PreprocessStatus DigitClassifier::run(std::span<const uint8_t> pixels, int width, int height,
                                      PixelFormat format, Result& out, const Insights* insights,
                                      std::optional<PreprocessMode> override_mode) const {
  // Each model reads the image in the mode it was trained on; modes shared by several models are
  // computed once. The committed models all use one mode, so this is one preprocessing pass.
  auto now = [this] { return clock_ ? clock_() : 0.0; };
  out.step_ms.fill(0.0);
  std::array<float, kPixels> scratch;
  std::optional<PreprocessMode> scratch_mode;
  const auto first =
      std::find_if(models_.begin(), models_.end(), [](const auto& m) { return m != nullptr; });
  const PreprocessMode display_mode = override_mode.value_or((*first)->preprocess());
  double start = now();
  PreprocessStatus status = preprocess(pixels, width, height, format, display_mode, out.image);
  out.step_ms[0] = now() - start;
  if (status != PreprocessStatus::Ok) return status;
  for (int i = 0; i < kModels; ++i) {
    if (!models_[i]) {
      out.proba[i].fill(0.0f);
      out.prediction[i] = -1;
      continue;
    }
    const Model& model = *models_[i];
    const PreprocessMode mode = override_mode.value_or(model.preprocess());
    std::span<const float> input = out.image;
    if (mode != display_mode) {
      if (scratch_mode != mode) {
        start = now();
        status = preprocess(pixels, width, height, format, mode, scratch);
        out.step_ms[0] += now() - start;
        if (status != PreprocessStatus::Ok) return status;
        scratch_mode = mode;
      }
      input = scratch;
    }
    start = now();
    Insight* insight = insights ? (*insights)[i] : nullptr;
    if (insight && insight->kind() == kModelRegistry[i].kind)
      model.explain(input, out.proba[i], *insight);
    else
      model.predict_proba(input, out.proba[i]);
    out.step_ms[1 + i] = now() - start;
    out.prediction[i] = top_class(out.proba[i]);
  }
  return PreprocessStatus::Ok;
}

}  // namespace digits
