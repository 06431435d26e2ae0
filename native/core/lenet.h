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
// Weights body (after the envelope of weights_format.h), little-endian f32 unless noted:
//   u32 layer count (5), then per layer: u32 out, u32 in, u32 kernel (5 for conv, 1 for fc)
//   conv1.w [6][1][5][5]    conv1.b [6]
//   conv2.w [16][6][5][5]   conv2.b [16]
//   fc1.w   [120][400]      fc1.b   [120]
//   fc2.w   [84][120]       fc2.b   [84]
//   fc3.w   [10][84]        fc3.b   [10]
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/preprocess.h"
#include "core/weights_format.h"

namespace digits {

class LeNetModel {
 public:
  static constexpr ModelKind kKind = ModelKind::LeNet;

  struct Layer {
    int out = 0, in = 0, kernel = 1;
    std::vector<float> w;  // out * in * kernel * kernel, row-major in that order
    std::vector<float> b;  // out
  };

  LeNetModel() = default;
  // layers: conv1, conv2, fc1, fc2, fc3 with the shapes above.
  LeNetModel(std::vector<Layer> layers, PreprocessMode preprocess);

  static bool parse(std::span<const uint8_t> file, LeNetModel& out, std::string& error);
  std::vector<uint8_t> serialize() const;

  void predict_proba(std::span<const float> x, std::span<float> out) const;

  PreprocessMode preprocess() const { return preprocess_; }
  size_t parameter_count() const;
  const std::vector<Layer>& layers() const { return layers_; }

 private:
  std::vector<Layer> layers_;
  PreprocessMode preprocess_ = PreprocessMode::MnistDeskew;
};

}  // namespace digits
