// The page's whole interface to the C++ core: a handful of C calls over one DigitClassifier.
// web/engine.js is the only caller; it wraps each call once and never exposes the heap further.
//
// Memory protocol (all buffers are owned here, so JS never calls malloc/free):
//   uint8_t* dd_input(bytes)        grow (never shrink) the input buffer and return it; JS copies
//                                   a weights file or the canvas's pixels into it.
//   int dd_load(kind, bytes)        parse the `bytes` just copied in (the size given to dd_input)
//                                   as the weights of model `kind` (1 logreg, 2 forest, 3 lenet).
//                                   0 = ok, else dd_error() says what is wrong.
//   int dd_classify(w, h, format)   classify the bytes just copied in as w x h pixels, format 0 = gray8
//                                   (0 background, 255 ink), 1 = RGBA as getImageData gives.
//                                   Returns a DdStatus; results stay valid until the next call.
//   const float* dd_probabilities() 3 x 10 floats, models in the order logreg, forest, lenet
//   const int* dd_predictions()     3 ints: each model's digit (top_class), same order
//   const float* dd_image()         784 floats, the 28x28 the models saw (row-major, ink = 1)
//   const double* dd_step_ms()      4 doubles: preprocessing, logreg, forest, lenet (ms)
//   const char* dd_error()          the last error, as a sentence for people
//
// Any call may grow wasm memory (dd_input, dd_load, and dd_classify, whose preprocessing
// allocates), so JS re-reads its heap views after each.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/classifier.h"

namespace {

enum DdStatus : int { kOk = 0, kEmpty = 1, kBadSize = 2, kNotReady = 3 };

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

std::vector<uint8_t> g_input;   // grows, never shrinks
size_t g_input_bytes = 0;       // what the last dd_input call asked for: the bytes JS copied in
digits::DigitClassifier::Result g_result;
std::string g_error;

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE uint8_t* dd_input(int bytes) {
  if (bytes < 0 || bytes > kMaxInputBytes) {
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

EMSCRIPTEN_KEEPALIVE int dd_load(int kind, int bytes) {
  if (kind < 1 || kind > 3) {
    g_error = "unknown model kind " + std::to_string(kind) + " (1 logreg, 2 forest, 3 lenet)";
    return 1;
  }
  if (bytes < 0 || static_cast<size_t>(bytes) != g_input_bytes) {
    g_error = "weights of " + std::to_string(bytes) + " bytes were not copied in with dd_input";
    return 1;
  }
  const std::span<const uint8_t> file(g_input.data(), static_cast<size_t>(bytes));
  return classifier().load(static_cast<digits::ModelKind>(kind), file, g_error) ? 0 : 1;
}

EMSCRIPTEN_KEEPALIVE int dd_classify(int width, int height, int format) {
  if (!classifier().ready()) {
    g_error = "the three models' weights are not all loaded yet";
    return kNotReady;
  }
  const auto pixel_format = format == 1 ? digits::PixelFormat::Rgba8 : digits::PixelFormat::Gray8;
  // Only the bytes JS copied in: a buffer shorter than width x height is BadSize, never a read
  // of whatever an earlier, larger input left behind.
  const std::span<const uint8_t> pixels(g_input.data(), g_input_bytes);
  const auto status = classifier().classify(pixels, width, height, pixel_format, g_result);
  switch (status) {
    case digits::PreprocessStatus::Ok: return kOk;
    case digits::PreprocessStatus::Empty: return kEmpty;
    case digits::PreprocessStatus::BadSize: break;
  }
  g_error = digits::preprocess_status_message(status);
  return kBadSize;
}

EMSCRIPTEN_KEEPALIVE const float* dd_probabilities() { return g_result.proba[0].data(); }
EMSCRIPTEN_KEEPALIVE const int* dd_predictions() { return g_result.prediction.data(); }
EMSCRIPTEN_KEEPALIVE const float* dd_image() { return g_result.image.data(); }
EMSCRIPTEN_KEEPALIVE const double* dd_step_ms() { return g_result.step_ms.data(); }
EMSCRIPTEN_KEEPALIVE const char* dd_error() { return g_error.c_str(); }

}  // extern "C"
