// LeNet-5 inference: a lean forward pass (no tiny-dnn at run time) over weights exported from the
// tiny-dnn network the trainer builds; tests check it against tiny-dnn's own forward pass.
//
//   input 28x28 (padded with zeros to 32x32)
//   conv1 5x5, 1 -> 6 channels, ReLU        -> 6 x 28 x 28
//   max pool 2x2                            -> 6 x 14 x 14
//   conv2 5x5, 6 -> 16 channels, ReLU       -> 16 x 10 x 10
//   max pool 2x2                            -> 16 x 5 x 5 (= 400, channel-major)
//   fc 400 -> 120, ReLU; fc 120 -> 84, ReLU; fc 84 -> 10; softmax
//
// Conv layers are cross-correlations (no kernel flip): out[o][y][x] = b[o] +
// sum over c, ky, kx of w[o][c][ky][kx] * in[c][y + ky][x + kx] (in zero-padded by 2 for conv1).
// fc1 reads the pooled 16x5x5 as 400 inputs, index c * 25 + y * 5 + x.
//
// Weights body (after the envelope of weights_format.h), little-endian:
//   u32 layer count (5)
//   then per layer, in the order below: u32 out, u32 in, u32 kernel (5 for conv, 1 for fc),
//   f32 w[out][in][kernel][kernel], f32 b[out]:
//   conv1  out 6,   in 1,   kernel 5   w [6][1][5][5]    b [6]
//   conv2  out 16,  in 6,   kernel 5   w [16][6][5][5]   b [16]
//   fc1    out 120, in 400, kernel 1   w [120][400]      b [120]
//   fc2    out 84,  in 120, kernel 1   w [84][120]       b [84]
//   fc3    out 10,  in 84,  kernel 1   w [10][84]        b [10]
// 61,706 parameters; any other shape, a NaN or an infinite value is rejected by parse().
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/preprocess.h"
#include "core/weights_format.h"

namespace digits {

struct LeNetInsight;

class LeNetModel final : public Model {
 public:
  static constexpr ModelKind kKind{3};  // in its weights files' header

  struct Layer {
    int out = 0, in = 0, kernel = 1;
    std::vector<float> w;  // out * in * kernel * kernel, row-major in that order
    std::vector<float> b;  // out
  };

  LeNetModel() = default;
  // layers: conv1, conv2, fc1, fc2, fc3 with the shapes above. Layers that fail validate_layers
  // give a model whose predict_proba writes NaN (the core never throws); parse() reports them.
  LeNetModel(std::vector<Layer> layers, PreprocessMode preprocess);

  // Parses a whole weights file (envelope included). On failure returns false and `error` says
  // what is wrong (which layer, which shape or value).
  static bool parse(std::span<const uint8_t> file, LeNetModel& out, std::string& error);
  std::vector<uint8_t> serialize() const DIGITS_NATIVE_OVERRIDE;

  // Checks the count and shapes of the five layers and that every value is finite.
  static bool validate_layers(std::span<const Layer> layers, std::string& error);
  bool valid() const { return !conv2_packed_.empty(); }

  // x: kPixels floats (preprocessed 28x28, ink = 1), out: kClasses probabilities summing to 1.
  // Allocation-free and thread-safe: the activations (~36 KB) live on the stack. Writes NaN to
  // `out` when x or out is too short or the model is not valid().
  void predict_proba(std::span<const float> x, std::span<float> out) const override;
  // The same pass, keeping every layer's activations in `insight` (which, like the activations,
  // may live on the stack: about 37 KB).
  void explain(std::span<const float> x, std::span<float> out, LeNetInsight& insight) const;
  bool explain(std::span<const float> x, std::span<float> out, Insight& insight) const override;
  std::unique_ptr<Insight> make_insight() const override;

  PreprocessMode preprocess() const override { return preprocess_; }
  size_t parameter_count() const override;
  const std::vector<Layer>& layers() const { return layers_; }

 private:
  std::vector<Layer> layers_;
  PreprocessMode preprocess_ = PreprocessMode::MnistDeskew;
  // conv2.w reordered to [ky][kx][in 6][out 16] so the forward pass vectorises over the 16 output
  // channels; empty when the layers are not valid.
  std::vector<float> conv2_packed_;

  void forward(std::span<const float> x, std::span<float> out, LeNetInsight* insight) const;
};

// What LeNet-5 (the neural network) shows of one image: every layer's output, in the shapes of
// the table above, channel-major ([channel][y][x]), after ReLU where the layer has one.
struct LeNetInsight final : Insight {
  LeNetInsight() : Insight(LeNetModel::kKind) {}

  std::array<float, 6 * 28 * 28> conv1{};
  std::array<float, 6 * 14 * 14> pool1{};
  std::array<float, 16 * 10 * 10> conv2{};
  std::array<float, 16 * 5 * 5> pool2{};  // = fc1's 400 inputs, in the order fc1 reads them
  std::array<float, 120> fc1{};
  std::array<float, 84> fc2{};
  std::array<float, kClasses> fc3{};  // the ten outputs before softmax (the logits)
  // The model's learned filters, w[out][in][5][5] of conv1 (6 x 1) and conv2 (16 x 6); set by
  // explain() (null when the model is not valid()).
  const float* conv1_filters = nullptr;
  const float* conv2_filters = nullptr;

  // conv1 {6, 28, 28}, pool1 {6, 14, 14}, conv2 {16, 10, 10}, pool2 {16, 5, 5}, fc1 {120},
  // fc2 {84}, fc3 {10}; conv1_filters {6, 1, 5, 5} and conv2_filters {16, 6, 5, 5} (per model).
  InsightArrays arrays() const override;
};

}  // namespace digits
