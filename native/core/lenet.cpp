#include "core/lenet.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/logreg.h"  // softmax
#include "core/simd.h"

namespace digits {

namespace {

// The architecture of lenet.h as compile-time sizes, so that every inner loop has a constant trip
// count the compiler can unroll and vectorise (SSE natively, SIMD128 in wasm).
constexpr int kKernel = 5;
constexpr int kTaps = kKernel * kKernel;  // 25
constexpr int kConv1Out = 6;
constexpr int kPad = 2;                        // conv1 "same": 2 zeros on each side
constexpr int kPaddedSide = kSide + 2 * kPad;  // 32
constexpr int kPool1Side = kSide / 2;          // 14
constexpr int kConv2Out = 16;
constexpr int kConv2Side = kPool1Side - kKernel + 1;        // 10 ("valid")
constexpr int kPool2Side = kConv2Side / 2;                  // 5
constexpr int kFlat = kConv2Out * kPool2Side * kPool2Side;  // 400
constexpr int kFc1Out = 120;
constexpr int kFc2Out = 84;
// One conv2 kernel row over all input channels: 5 pixels x 6 channels, contiguous in the
// channel-last (HWC) layout of the pooled conv1 output.
constexpr int kConv2RowSpan = kKernel * kConv1Out;  // 30

struct LayerShape {
  const char* name;
  int out, in, kernel;
};
constexpr int kLayerCount = 5;
constexpr LayerShape kShapes[kLayerCount] = {{"conv1", kConv1Out, 1, kKernel},
                                             {"conv2", kConv2Out, kConv1Out, kKernel},
                                             {"fc1", kFc1Out, kFlat, 1},
                                             {"fc2", kFc2Out, kFc1Out, 1},
                                             {"fc3", kClasses, kFc2Out, 1}};

size_t weight_count(const LayerShape& s) {
  return static_cast<size_t>(s.out) * s.in * s.kernel * s.kernel;
}

std::string shape_text(uint32_t out, uint32_t in, uint32_t kernel) {
  return "out " + std::to_string(out) + ", in " + std::to_string(in) + ", kernel " +
         std::to_string(kernel);
}

// The messages parse() and validate_layers() share.
std::string wrong_layer_count(size_t count) {
  return "wrong layer count: " + std::to_string(count) +
         " layers, a LeNet-5 has 5 (conv1, conv2, fc1, fc2, fc3)";
}
std::string wrong_shape(const LayerShape& want, uint32_t out, uint32_t in, uint32_t kernel) {
  return std::string("wrong shape: layer ") + want.name + " is " + shape_text(out, in, kernel) +
         "; a LeNet-5 " + want.name + " is " + shape_text(want.out, want.in, want.kernel);
}

// Index of the first NaN or infinity in `values`, or -1.
long first_non_finite(const std::vector<float>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i])) return static_cast<long>(i);
  return -1;
}

using simd::Float4;
using simd::load4;
using simd::max4;
using simd::splat4;
using simd::store4;

// y[o] = b[o] + w[o] . x for a row-major w[Out][In], optionally followed by ReLU. Two rows at a
// time share each load of x; each row keeps two vector accumulators (8 independent lanes) so the
// adds pipeline, summed at the end.
template <int Out, int In, bool Relu>
void dense(const LeNetModel::Layer& layer, const float* x, float* y) {
  static_assert(Out % 2 == 0 && In % 4 == 0, "dense() pairs rows and reads whole vectors");
  for (int o = 0; o < Out; o += 2) {
    const float* w0 = layer.w.data() + static_cast<size_t>(o) * In;
    const float* w1 = w0 + In;
    Float4 a0 = {}, a1 = {}, b0 = {}, b1 = {};
    int i = 0;
    for (; i + 8 <= In; i += 8) {
      const Float4 x0 = load4(x + i), x1 = load4(x + i + 4);
      a0 += load4(w0 + i) * x0;
      a1 += load4(w0 + i + 4) * x1;
      b0 += load4(w1 + i) * x0;
      b1 += load4(w1 + i + 4) * x1;
    }
    if (i < In) {  // In % 8 == 4
      const Float4 x0 = load4(x + i);
      a0 += load4(w0 + i) * x0;
      b0 += load4(w1 + i) * x0;
    }
    const Float4 a = a0 + a1, b = b0 + b1;
    const float sum0 = layer.b[o] + ((a[0] + a[1]) + (a[2] + a[3]));
    const float sum1 = layer.b[o + 1] + ((b[0] + b[1]) + (b[2] + b[3]));
    y[o] = Relu ? std::max(sum0, 0.0f) : sum0;
    y[o + 1] = Relu ? std::max(sum1, 0.0f) : sum1;
  }
}

// The insight's copies of the pass's activations, channel-major. Cold (once per explained image)
// so that they are compiled small, not unrolled: the page's module carries them.
[[gnu::cold, gnu::noinline]] void keep_activations(const float* conv1, const float* pool1_hwc,
                                                   const float* conv2_hwc, const float* pool2,
                                                   const float* fc1, const float* fc2,
                                                   const float* fc3, LeNetInsight& insight) {
  std::copy_n(conv1, insight.conv1.size(), insight.conv1.data());
  for (int i = 0; i < kPool1Side * kPool1Side; ++i)  // [14][14][6] -> [6][14][14]
    for (int o = 0; o < kConv1Out; ++o)
      insight.pool1[o * kPool1Side * kPool1Side + i] = pool1_hwc[i * kConv1Out + o];
  for (int i = 0; i < kConv2Side * kConv2Side; ++i)  // [10][10][16] -> [16][10][10]
    for (int o = 0; o < kConv2Out; ++o)
      insight.conv2[o * kConv2Side * kConv2Side + i] = conv2_hwc[i * kConv2Out + o];
  std::copy_n(pool2, kFlat, insight.pool2.data());
  std::copy_n(fc1, kFc1Out, insight.fc1.data());
  std::copy_n(fc2, kFc2Out, insight.fc2.data());
  std::copy_n(fc3, kClasses, insight.fc3.data());
}

[[gnu::cold, gnu::noinline]] void forget_activations(LeNetInsight& insight) {
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  for (std::span<float> a : {std::span<float>(insight.conv1), std::span<float>(insight.pool1),
                             std::span<float>(insight.conv2), std::span<float>(insight.pool2),
                             std::span<float>(insight.fc1), std::span<float>(insight.fc2),
                             std::span<float>(insight.fc3)})
    std::fill(a.begin(), a.end(), kNaN);
}

}  // namespace

LeNetModel::LeNetModel(std::vector<Layer> layers, PreprocessMode preprocess)
    : layers_(std::move(layers)), preprocess_(preprocess) {
  std::string ignored;
  if (!validate_layers(layers_, ignored)) return;  // conv2_packed_ stays empty: not valid()
  // [out][in][ky][kx] -> [ky][kx][in][out]
  const Layer& conv2 = layers_[1];
  conv2_packed_.resize(conv2.w.size());
  for (int o = 0; o < kConv2Out; ++o)
    for (int c = 0; c < kConv1Out; ++c)
      for (int t = 0; t < kTaps; ++t)
        conv2_packed_[(static_cast<size_t>(t) * kConv1Out + c) * kConv2Out + o] =
            conv2.w[(static_cast<size_t>(o) * kConv1Out + c) * kTaps + t];
}

bool LeNetModel::validate_layers(std::span<const Layer> layers, std::string& error) {
  if (layers.size() != kLayerCount) {
    error = wrong_layer_count(layers.size());
    return false;
  }
  for (int l = 0; l < kLayerCount; ++l) {
    const LayerShape& want = kShapes[l];
    const Layer& layer = layers[l];
    if (layer.out != want.out || layer.in != want.in || layer.kernel != want.kernel) {
      error = wrong_shape(want, layer.out, layer.in, layer.kernel);
      return false;
    }
    if (layer.w.size() != weight_count(want) || layer.b.size() != static_cast<size_t>(want.out)) {
      error = std::string("wrong size: layer ") + want.name + " holds " +
              std::to_string(layer.w.size()) + " weights and " + std::to_string(layer.b.size()) +
              " biases; its shape needs " + std::to_string(weight_count(want)) + " and " +
              std::to_string(want.out);
      return false;
    }
    // A NaN or infinity would silently turn every prediction into NaN; refuse it here instead.
    for (const auto* values : {&layer.w, &layer.b}) {
      const long bad = first_non_finite(*values);
      if (bad >= 0) {
        error = std::string("corrupt: layer ") + want.name +
                (values == &layer.w ? " weight " : " bias ") + std::to_string(bad) + " is " +
                (std::isnan((*values)[bad]) ? "NaN" : "infinite") +
                "; the training diverged or the file is damaged, retrain the model";
        return false;
      }
    }
  }
  return true;
}

bool LeNetModel::parse(std::span<const uint8_t> file, LeNetModel& out, std::string& error) {
  WeightsEnvelope envelope;
  if (!unwrap_weights(file, kKind, envelope, error)) return false;

  ByteReader reader(envelope.body);
  uint32_t count = 0;
  if (!reader.u32(count, "the layer count")) {
    error = reader.error();
    return false;
  }
  if (count != kLayerCount) {
    error = wrong_layer_count(count);
    return false;
  }

  std::vector<Layer> layers(kLayerCount);
  for (int l = 0; l < kLayerCount; ++l) {
    const LayerShape& want = kShapes[l];
    const std::string name = want.name;
    uint32_t shape[3] = {0, 0, 0};
    const std::string shape_what = "the " + name + " shape (out, in, kernel)";
    for (uint32_t& v : shape) reader.u32(v, shape_what.c_str());
    if (!reader.ok()) break;
    // The shape is checked before reading the arrays, so a damaged size never drives an allocation.
    if (shape[0] != static_cast<uint32_t>(want.out) || shape[1] != static_cast<uint32_t>(want.in) ||
        shape[2] != static_cast<uint32_t>(want.kernel)) {
      error = wrong_shape(want, shape[0], shape[1], shape[2]);
      return false;
    }
    Layer& layer = layers[l];
    layer.out = want.out;
    layer.in = want.in;
    layer.kernel = want.kernel;
    layer.w.resize(weight_count(want));
    layer.b.resize(want.out);
    const std::string w_what =
        "the " + name + " weights (" + std::to_string(layer.w.size()) + " floats)";
    const std::string b_what =
        "the " + name + " biases (" + std::to_string(layer.b.size()) + " floats)";
    reader.f32s(layer.w, w_what.c_str());
    reader.f32s(layer.b, b_what.c_str());
  }
  if (!reader.expect_end()) {
    error = reader.error();
    return false;
  }
  if (!validate_layers(layers, error)) return false;
  out = LeNetModel(std::move(layers), envelope.preprocess);
  return true;
}

std::vector<uint8_t> LeNetModel::serialize() const {
  ByteWriter body;
  body.u32(static_cast<uint32_t>(layers_.size()));
  for (const Layer& layer : layers_) {
    body.u32(static_cast<uint32_t>(layer.out));
    body.u32(static_cast<uint32_t>(layer.in));
    body.u32(static_cast<uint32_t>(layer.kernel));
    body.f32s(layer.w);
    body.f32s(layer.b);
  }
  return wrap_weights(kKind, preprocess_, body);
}

size_t LeNetModel::parameter_count() const {
  size_t n = 0;
  for (const Layer& layer : layers_) n += layer.w.size() + layer.b.size();
  return n;
}

void LeNetModel::predict_proba(std::span<const float> x, std::span<float> out) const {
  forward(x, out, nullptr);
}

void LeNetModel::explain(std::span<const float> x, std::span<float> out,
                         LeNetInsight& insight) const {
  forward(x, out, &insight);
}

bool LeNetModel::explain(std::span<const float> x, std::span<float> out, Insight& insight) const {
  return explain_as<LeNetInsight>(*this, x, out, insight);
}

std::unique_ptr<Insight> LeNetModel::make_insight() const {
  auto insight = std::make_unique<LeNetInsight>();
  if (valid()) {
    insight->conv1_filters = layers_[0].w.data();
    insight->conv2_filters = layers_[1].w.data();
  }
  return insight;
}

// Cold: generic code asks once per image at most; compiled small for the page's module.
[[gnu::cold]] InsightArrays LeNetInsight::arrays() const {
  InsightArrays a;
  a.add(insight_array("conv1", conv1.data(), {kConv1Out, kSide, kSide}));
  a.add(insight_array("pool1", pool1.data(), {kConv1Out, kPool1Side, kPool1Side}));
  a.add(insight_array("conv2", conv2.data(), {kConv2Out, kConv2Side, kConv2Side}));
  a.add(insight_array("pool2", pool2.data(), {kConv2Out, kPool2Side, kPool2Side}));
  a.add(insight_array("fc1", fc1.data(), {kFc1Out}));
  a.add(insight_array("fc2", fc2.data(), {kFc2Out}));
  a.add(insight_array("fc3", fc3.data(), {kClasses}));
  a.add(insight_array("conv1_filters", conv1_filters, {kConv1Out, 1, kKernel, kKernel}, false));
  a.add(insight_array("conv2_filters", conv2_filters, {kConv2Out, kConv1Out, kKernel, kKernel},
                      false));
  return a;
}

// One straight pipeline, like predict_proba always was; with an insight it copies each layer's
// output out of the pass's own buffers (reordered to channel-major) once the pass is done, so the
// numbers are the pass's and a plain prediction pays one untaken branch.
void LeNetModel::forward(std::span<const float> x, std::span<float> out,
                         LeNetInsight* insight) const {
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  if (insight) {
    insight->conv1_filters = valid() ? layers_[0].w.data() : nullptr;
    insight->conv2_filters = valid() ? layers_[1].w.data() : nullptr;
  }
  if (out.size() < static_cast<size_t>(kClasses) || !valid() ||
      x.size() < static_cast<size_t>(kPixels)) {
    std::fill(out.begin(), out.begin() + std::min<size_t>(out.size(), kClasses), kNaN);
    if (insight) forget_activations(*insight);  // no pass: no activations either
    return;
  }
  const Layer& conv1 = layers_[0];
  const Layer& conv2 = layers_[1];

  // conv1 ("same") + ReLU. The input is zero-padded to 32x32; each output row of 28 pixels is
  // 7 vectors, accumulated over the 25 taps with each weight broadcast.
  alignas(16) float padded[kPaddedSide * kPaddedSide] = {};
  for (int y = 0; y < kSide; ++y)
    std::copy_n(x.data() + y * kSide, kSide, padded + (y + kPad) * kPaddedSide + kPad);

  constexpr int kRowVectors = kSide / 4;             // 7
  alignas(16) float conv1_out[kConv1Out * kPixels];  // [6][28][28]
  for (int o = 0; o < kConv1Out; ++o) {
    const float* w = conv1.w.data() + o * kTaps;
    for (int y = 0; y < kSide; ++y) {
      Float4 acc[kRowVectors];
      for (Float4& a : acc) a = splat4(conv1.b[o]);
      for (int ky = 0; ky < kKernel; ++ky) {
        for (int kx = 0; kx < kKernel; ++kx) {
          const Float4 wv = splat4(w[ky * kKernel + kx]);
          const float* src = padded + (y + ky) * kPaddedSide + kx;
          for (int i = 0; i < kRowVectors; ++i) acc[i] += wv * load4(src + 4 * i);
        }
      }
      float* dst = conv1_out + (o * kSide + y) * kSide;
      for (int i = 0; i < kRowVectors; ++i) store4(dst + 4 * i, max4(acc[i], Float4{}));  // ReLU
    }
  }

  // 2x2 max pool into channel-last [14][14][6], the order conv2 reads.
  alignas(16) float pooled1[kPool1Side * kPool1Side * kConv1Out];
  for (int o = 0; o < kConv1Out; ++o) {
    for (int py = 0; py < kPool1Side; ++py) {
      const float* a = conv1_out + (o * kSide + 2 * py) * kSide;
      const float* b = a + kSide;
      for (int px = 0; px < kPool1Side; ++px) {
        pooled1[(py * kPool1Side + px) * kConv1Out + o] =
            std::max(std::max(a[2 * px], a[2 * px + 1]), std::max(b[2 * px], b[2 * px + 1]));
      }
    }
  }

  // conv2 ("valid") + ReLU, vectorised over the 16 output channels (4 vectors), two output pixels
  // at a time so each weight vector load serves both. For one output pixel, kernel row ky reads 30
  // contiguous inputs (5 pixels x 6 channels) against a [30][16] block of conv2_packed_.
  constexpr int kOutVectors = kConv2Out / 4;                         // 4
  alignas(16) float conv2_out[kConv2Side * kConv2Side * kConv2Out];  // [10][10][16]
  for (int y = 0; y < kConv2Side; ++y) {
    for (int xo = 0; xo < kConv2Side; xo += 2) {
      Float4 acc0[kOutVectors], acc1[kOutVectors];
      for (int j = 0; j < kOutVectors; ++j) acc0[j] = acc1[j] = load4(conv2.b.data() + 4 * j);
      for (int ky = 0; ky < kKernel; ++ky) {
        const float* src = pooled1 + ((y + ky) * kPool1Side + xo) * kConv1Out;
        const float* w = conv2_packed_.data() + ky * kConv2RowSpan * kConv2Out;
        for (int t = 0; t < kConv2RowSpan; ++t, w += kConv2Out) {
          const Float4 v0 = splat4(src[t]), v1 = splat4(src[t + kConv1Out]);
          for (int j = 0; j < kOutVectors; ++j) {
            const Float4 wv = load4(w + 4 * j);
            acc0[j] += v0 * wv;
            acc1[j] += v1 * wv;
          }
        }
      }
      float* dst = conv2_out + (y * kConv2Side + xo) * kConv2Out;
      for (int j = 0; j < kOutVectors; ++j) {
        store4(dst + 4 * j, max4(acc0[j], Float4{}));  // ReLU
        store4(dst + kConv2Out + 4 * j, max4(acc1[j], Float4{}));
      }
    }
  }

  // 2x2 max pool into the channel-major [16][5][5] order fc1 reads.
  alignas(16) float flat[kFlat];
  for (int py = 0; py < kPool2Side; ++py) {
    for (int px = 0; px < kPool2Side; ++px) {
      const float* a = conv2_out + ((2 * py) * kConv2Side + 2 * px) * kConv2Out;
      const float* b = a + kConv2Side * kConv2Out;
      for (int o = 0; o < kConv2Out; ++o) {
        flat[o * kPool2Side * kPool2Side + py * kPool2Side + px] =
            std::max(std::max(a[o], a[o + kConv2Out]), std::max(b[o], b[o + kConv2Out]));
      }
    }
  }

  alignas(16) float fc1[kFc1Out];
  alignas(16) float fc2[kFc2Out];
  dense<kFc1Out, kFlat, true>(layers_[2], flat, fc1);
  dense<kFc2Out, kFc1Out, true>(layers_[3], fc1, fc2);
  dense<kClasses, kFc2Out, false>(layers_[4], fc2, out.data());
  if (insight)
    keep_activations(conv1_out, pooled1, conv2_out, flat, fc1, fc2, out.data(), *insight);
  softmax(out.first(kClasses));
}

}  // namespace digits
