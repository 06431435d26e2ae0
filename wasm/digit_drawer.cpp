// The page's whole interface to the C++ core: a handful of C calls over one DigitClassifier.
// web/engine.js is the only caller; it wraps each call once and never exposes the heap further.
//
// What the page learns from the module instead of keeping its own copies (the core's registry and
// sizes):
//   int dd_model_count()            how many models there are (M), in display order
//   const char* dd_model_id(i)      model i's id, name (for people) and weights file relative
//   const char* dd_model_name(i)    to the site ("weights/<file>"), from the core's registry;
//   const char* dd_model_file(i)    null for i outside 0..M-1
//   int dd_classes()                probabilities per model (10)
//   int dd_image_side()             the side of the image the models see (28)
//   const char* dd_status_name(s)   the name of DdStatus s ("ok", "empty", ...), null past the last
//
// Memory protocol (all buffers are owned here, so JS never calls malloc/free):
//   uint8_t* dd_input(bytes)        grow (never shrink) the input buffer and return it; JS copies
//                                   a weights file or the canvas's pixels into it.
//   int dd_load(i, bytes)           parse the `bytes` just copied in (the size given to dd_input)
//                                   as the weights of model i. 0 = ok, else dd_error() says what
//                                   is wrong.
//   int dd_classify(w, h, format)   classify the bytes just copied in as w x h pixels, format
//                                   0 = gray8 (0 background, 255 ink), 1 = RGBA as getImageData
//                                   gives. Returns a DdStatus; results stay valid until the next
//                                   call.
//   const float* dd_probabilities() M x classes floats, models in display order
//   const int* dd_predictions()     M ints: each model's digit (top_class), same order
//   const float* dd_image()         side x side floats, the image the models saw (row-major,
//                                   ink = 1)
//   const double* dd_step_ms()      1 + M doubles: preprocessing, then each model (ms)
//   const char* dd_error()          the last error, as a sentence for people
//
// The models' insides (core/insight.h), on request; a plain dd_classify never computes them:
//   int dd_explain(w, h, format, model, tree)
//                                   dd_classify, with model `model` (-1: every loaded model)
//                                   also filling its insight from the same forward pass; `tree`
//                                   is the forest's tree whose path to record. The same DdStatus
//                                   and results as dd_classify, bit for bit.
//   int dd_insight_count(model)     how many arrays model's insight has (0: none made yet)
//   const int* dd_insight_array(model, k)
//                                   array k of model's insight as 11 ints, valid until the next
//                                   call: [0] its name (a C string's address), [1] type (0
//                                   float32, 1 int32), [2] the address of its first element,
//                                   [3] elements the last dd_explain filled (the product of the
//                                   shape), [4] elements the buffer holds (a view of that many
//                                   can be made once), [5] 1 = per image, 0 = the model's own
//                                   weights (the same for every image), [6] rank, [7..10] the
//                                   shape; null for a model or k out of range.
//   A model's insight buffer is allocated by its first dd_explain after its dd_load, then reused:
//   its addresses hold until that model is loaded again.
//
// Any call may grow wasm memory (dd_input, dd_load, dd_classify, whose preprocessing allocates,
// and dd_explain), so JS re-reads its heap views after each.
#include <emscripten/emscripten.h>

#include <array>
#include <cstdint>
#include <iterator>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/classifier.h"

namespace {

enum DdStatus : int { kOk = 0, kEmpty = 1, kBadSize = 2, kNotReady = 3 };
constexpr const char* kStatusNames[] = {"ok", "empty", "bad_size", "not_ready"};  // by DdStatus

// The largest buffer the page may ask for: a 4096 x 4096 RGBA canvas.
constexpr int kMaxInputBytes = 4096 * 4096 * 4;

digits::DigitClassifier& classifier() {
  static digits::DigitClassifier instance = [] {
    digits::DigitClassifier c;
    c.set_step_clock(&emscripten_get_now);
    return c;
  }();
  return instance;
}

std::vector<uint8_t> g_input;  // grows, never shrinks
size_t g_input_bytes = 0;      // what the last dd_input call asked for: the bytes JS copied in
digits::DigitClassifier::Result g_result;
std::array<std::unique_ptr<digits::Insight>, digits::kModels> g_insights;  // made on first use
std::array<int32_t, 11> g_array_descriptor;  // dd_insight_array's answer
std::string g_error;
std::string g_model_file;  // dd_model_file's answer

const digits::ModelInfo* registry_entry(int i) {
  return i >= 0 && i < digits::kModels ? &digits::kModelRegistry[i] : nullptr;
}

// dd_classify and dd_explain: classify the bytes copied in, filling `insights` when given.
int classify_input(int width, int height, int format,
                   const digits::DigitClassifier::Insights* insights) {
  if (!classifier().any_loaded()) {
    g_error = "no model's weights are loaded";
    return kNotReady;
  }
  const auto pixel_format = format == 1 ? digits::PixelFormat::Rgba8 : digits::PixelFormat::Gray8;
  // Only the bytes JS copied in: a buffer shorter than width x height is BadSize, never a read
  // of whatever an earlier, larger input left behind.
  const std::span<const uint8_t> pixels(g_input.data(), g_input_bytes);
  const auto status =
      insights ? classifier().explain(pixels, width, height, pixel_format, g_result, *insights)
               : classifier().classify(pixels, width, height, pixel_format, g_result);
  switch (status) {
    case digits::PreprocessStatus::Ok:
      return kOk;
    case digits::PreprocessStatus::Empty:
      return kEmpty;
    case digits::PreprocessStatus::BadSize:
      break;
  }
  g_error = digits::preprocess_status_message(status);
  return kBadSize;
}

const digits::Insight* insight_of(int model) {
  return registry_entry(model) ? g_insights[model].get() : nullptr;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE int dd_model_count() { return digits::kModels; }
EMSCRIPTEN_KEEPALIVE const char* dd_model_id(int i) {
  const auto* m = registry_entry(i);
  return m ? m->id : nullptr;
}
EMSCRIPTEN_KEEPALIVE const char* dd_model_name(int i) {
  const auto* m = registry_entry(i);
  return m ? m->name : nullptr;
}
EMSCRIPTEN_KEEPALIVE const char* dd_model_file(int i) {
  const auto* m = registry_entry(i);
  if (!m) return nullptr;
  g_model_file = std::string("weights/") + m->weights_file;
  return g_model_file.c_str();
}
EMSCRIPTEN_KEEPALIVE int dd_classes() { return digits::kClasses; }
EMSCRIPTEN_KEEPALIVE int dd_image_side() { return digits::kSide; }
EMSCRIPTEN_KEEPALIVE const char* dd_status_name(int status) {
  constexpr int count = int(std::size(kStatusNames));
  return status >= 0 && status < count ? kStatusNames[status] : nullptr;
}

EMSCRIPTEN_KEEPALIVE uint8_t* dd_input(int bytes) {
  if (bytes < 0) {
    g_error =
        "dd_input was asked for " + std::to_string(bytes) + " bytes; a size cannot be negative";
    return nullptr;
  }
  if (bytes > kMaxInputBytes) {
    g_error = "input of " + std::to_string(bytes) + " bytes is larger than the " +
              std::to_string(kMaxInputBytes) + " bytes allowed (a 4096 x 4096 canvas)";
    return nullptr;
  }
  // At least one byte, so that even an empty file gets a valid (non-null) pointer.
  const size_t wanted = bytes > 0 ? static_cast<size_t>(bytes) : 1;
  if (wanted > g_input.size()) g_input.resize(wanted);
  g_input_bytes = static_cast<size_t>(bytes);
  return g_input.data();
}

EMSCRIPTEN_KEEPALIVE int dd_load(int model, int bytes) {
  if (!registry_entry(model)) {
    g_error = "there is no model " + std::to_string(model) + " (the module has " +
              std::to_string(digits::kModels) + ")";
    return 1;
  }
  if (bytes < 0 || static_cast<size_t>(bytes) != g_input_bytes) {
    g_error = "weights of " + std::to_string(bytes) + " bytes were not copied in with dd_input";
    return 1;
  }
  const std::span<const uint8_t> file(g_input.data(), static_cast<size_t>(bytes));
  if (!classifier().load(model, file, g_error)) return 1;
  g_insights[model].reset();  // it pointed at the old model's weights
  return 0;
}

EMSCRIPTEN_KEEPALIVE int dd_classify(int width, int height, int format) {
  return classify_input(width, height, format, nullptr);
}

EMSCRIPTEN_KEEPALIVE int dd_explain(int width, int height, int format, int model, int tree) {
  if (model != -1 && !registry_entry(model)) {
    g_error = "there is no model " + std::to_string(model) + " to explain (the module has " +
              std::to_string(digits::kModels) + "; -1 explains them all)";
    return kNotReady;
  }
  digits::DigitClassifier::Insights insights{};
  for (int i = 0; i < digits::kModels; ++i) {
    if ((model != -1 && i != model) || !classifier().loaded(i)) continue;
    if (!g_insights[i]) g_insights[i] = classifier().model(i).make_insight();
    if (g_insights[i]->kind() == digits::ForestModel::kKind)
      static_cast<digits::ForestInsight&>(*g_insights[i]).path_tree = tree;
    insights[i] = g_insights[i].get();
  }
  return classify_input(width, height, format, &insights);
}

EMSCRIPTEN_KEEPALIVE int dd_insight_count(int model) {
  const digits::Insight* insight = insight_of(model);
  return insight ? insight->arrays().count : 0;
}

EMSCRIPTEN_KEEPALIVE const int32_t* dd_insight_array(int model, int k) {
  const digits::Insight* insight = insight_of(model);
  if (!insight) return nullptr;
  const digits::InsightArrays arrays = insight->arrays();
  if (k < 0 || k >= arrays.count) return nullptr;
  const digits::InsightArray& a = arrays.items[k];
  // Addresses fit in 32 bits: wasm32.
  g_array_descriptor = {int32_t(reinterpret_cast<uintptr_t>(a.name)),
                        int32_t(a.type),
                        int32_t(reinterpret_cast<uintptr_t>(a.data)),
                        int32_t(a.size()),
                        int32_t(a.capacity),
                        a.per_image ? 1 : 0,
                        a.rank,
                        a.shape[0],
                        a.shape[1],
                        a.shape[2],
                        a.shape[3]};
  return g_array_descriptor.data();
}

EMSCRIPTEN_KEEPALIVE const float* dd_probabilities() { return g_result.proba[0].data(); }
EMSCRIPTEN_KEEPALIVE const int* dd_predictions() { return g_result.prediction.data(); }
EMSCRIPTEN_KEEPALIVE const float* dd_image() { return g_result.image.data(); }
EMSCRIPTEN_KEEPALIVE const double* dd_step_ms() { return g_result.step_ms.data(); }
EMSCRIPTEN_KEEPALIVE const char* dd_error() { return g_error.c_str(); }

}  // extern "C"
