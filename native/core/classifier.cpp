#include "core/classifier.h"

#include <algorithm>

namespace digits {

int model_index(ModelKind kind) {
  for (int i = 0; i < kModels; ++i)
    if (kModelOrder[i] == kind) return i;
  return -1;
}

int top_class(std::span<const float> proba) {
  return int(std::max_element(proba.begin(), proba.end()) - proba.begin());
}

template <typename Model>
static bool load_into(std::optional<Model>& slot, std::span<const uint8_t> file, std::string& error) {
  Model m;
  if (!Model::parse(file, m, error)) return false;
  slot = std::move(m);
  return true;
}

bool DigitClassifier::load(ModelKind kind, std::span<const uint8_t> file, std::string& error) {
  switch (kind) {
    case ModelKind::LogReg: return load_into(logreg_, file, error);
    case ModelKind::Forest: return load_into(forest_, file, error);
    case ModelKind::LeNet: return load_into(lenet_, file, error);
  }
  error = "unknown model kind";
  return false;
}

bool DigitClassifier::loaded(ModelKind kind) const {
  switch (kind) {
    case ModelKind::LogReg: return logreg_.has_value();
    case ModelKind::Forest: return forest_.has_value();
    case ModelKind::LeNet: return lenet_.has_value();
  }
  return false;
}

bool DigitClassifier::ready() const { return logreg_ && forest_ && lenet_; }

PreprocessMode DigitClassifier::preprocess_mode(ModelKind kind) const {
  switch (kind) {
    case ModelKind::LogReg: return logreg_->preprocess();
    case ModelKind::Forest: return forest_->preprocess();
    case ModelKind::LeNet: return lenet_->preprocess();
  }
  return PreprocessMode::MnistDeskew;
}

void DigitClassifier::predict(ModelKind kind, std::span<const float> image, std::span<float> out) const {
  switch (kind) {
    case ModelKind::LogReg: logreg_->predict_proba(image, out); break;
    case ModelKind::Forest: forest_->predict_proba(image, out); break;
    case ModelKind::LeNet: lenet_->predict_proba(image, out); break;
  }
}

PreprocessStatus DigitClassifier::classify(std::span<const uint8_t> pixels, int width, int height,
                                           PixelFormat format, Result& out,
                                           std::optional<PreprocessMode> override_mode) const {
  // Each model reads the image in the mode it was trained on; modes shared by several models are
  // computed once. The committed models all use one mode, so this is one preprocessing pass.
  auto now = [this] { return clock_ ? clock_() : 0.0; };
  out.step_ms.fill(0.0);
  std::array<float, kPixels> scratch;
  std::optional<PreprocessMode> scratch_mode;
  const PreprocessMode display_mode = override_mode.value_or(lenet_->preprocess());
  double start = now();
  PreprocessStatus status = preprocess(pixels, width, height, format, display_mode, out.image);
  out.step_ms[0] = now() - start;
  if (status != PreprocessStatus::Ok) return status;
  for (int i = 0; i < kModels; ++i) {
    const ModelKind kind = kModelOrder[i];
    const PreprocessMode mode = override_mode.value_or(preprocess_mode(kind));
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
    predict(kind, input, out.proba[i]);
    out.step_ms[1 + i] = now() - start;
    out.prediction[i] = top_class(out.proba[i]);
  }
  return PreprocessStatus::Ok;
}

}  // namespace digits
