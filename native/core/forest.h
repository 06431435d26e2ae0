// A random forest of binary decision trees; predict_proba averages the trees' leaf class
// distributions (soft vote), as scikit-learn does.
//
// Node tests are `x[feature] <= threshold`, true -> left child. Features are the preprocessed
// pixels in [0, 1]; thresholds are stored as u8 levels t (threshold = (t + 0.5) / 255), because
// the trainer splits on pixels quantised to 256 levels.
//
// Weights body (after the envelope of weights_format.h), little-endian:
//   u32 classes (10), u32 features (784), u32 trees
//   per tree:
//     u32 nodes, u32 leaves
//     per node (nodes):   u16 feature, u8 threshold, u8 pad (0), u16 left, u16 right
//                         left/right: index of a node, or kLeafBit | leaf index
//     per leaf (leaves):  u8 distribution[classes]  (quantised probabilities, summing to 255)
//   A tree with zero nodes is a single leaf (leaves == 1).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/preprocess.h"
#include "core/weights_format.h"

namespace digits {

class ForestModel {
 public:
  static constexpr ModelKind kKind = ModelKind::Forest;
  static constexpr uint16_t kLeafBit = 0x8000;

  struct Node {
    uint16_t feature;
    uint8_t threshold;  // level 0..255: goes left when x[feature] <= (threshold + 0.5) / 255
    uint16_t left, right;  // node index, or kLeafBit | leaf index
  };
  struct Tree {
    std::vector<Node> nodes;          // nodes[0] is the root (when not empty)
    std::vector<float> leaf_proba;    // leaves * kClasses
  };

  ForestModel() = default;
  ForestModel(std::vector<Tree> trees, PreprocessMode preprocess);

  static bool parse(std::span<const uint8_t> file, ForestModel& out, std::string& error);
  // Quantises each leaf's distribution to u8 levels summing to 255.
  std::vector<uint8_t> serialize() const;

  void predict_proba(std::span<const float> x, std::span<float> out) const;

  PreprocessMode preprocess() const { return preprocess_; }
  size_t parameter_count() const;  // node fields + leaf values
  const std::vector<Tree>& trees() const { return trees_; }

 private:
  std::vector<Tree> trees_;
  PreprocessMode preprocess_ = PreprocessMode::MnistDeskew;
};

}  // namespace digits
