#include "core/forest.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <utility>

namespace digits {

namespace {

// The 256 thresholds as floats, so a node test is one table load and one compare.
const std::array<float, 256> kThresholds = [] {
  std::array<float, 256> t{};
  for (int level = 0; level < 256; ++level) t[level] = ForestModel::threshold_value(uint8_t(level));
  return t;
}();

std::string at(size_t tree, size_t node) {
  return "tree " + std::to_string(tree) + " node " + std::to_string(node);
}

// Reads one tree; on failure sets the reader's error and returns false.
bool read_tree(ByteReader& r, size_t tree_index, ForestModel::Tree& tree) {
  constexpr uint32_t kMaxIndex = ForestModel::kLeafBit - 1;  // 32767: node and leaf indices are 15 bits
  const std::string name = "tree " + std::to_string(tree_index);
  uint32_t nodes = 0, leaves = 0;
  if (!r.u32(nodes, "a tree's node count") || !r.u32(leaves, "a tree's leaf count")) return false;
  if (nodes > kMaxIndex) {
    return r.fail(name + " has " + std::to_string(nodes) + " nodes; at most " +
                  std::to_string(kMaxIndex) + " fit the 15-bit node indices");
  }
  // A binary tree where every node has two children has one leaf more than it has nodes.
  if (leaves != nodes + 1) {
    return r.fail(name + " has " + std::to_string(nodes) + " nodes and " + std::to_string(leaves) +
                  " leaves; a binary tree with N nodes has N + 1 leaves");
  }

  tree.nodes.resize(nodes);
  std::vector<uint8_t> node_has_parent(nodes, 0), leaf_has_parent(leaves, 0);
  for (uint32_t i = 0; i < nodes; ++i) {
    ForestModel::Node& node = tree.nodes[i];
    uint8_t pad = 0;
    if (!r.u16(node.feature, "a node's feature") || !r.u8(node.threshold, "a node's threshold") ||
        !r.u8(pad, "a node's padding") || !r.u16(node.left, "a node's left child") ||
        !r.u16(node.right, "a node's right child")) {
      return false;
    }
    if (node.feature >= kPixels) {
      return r.fail(at(tree_index, i) + " tests feature " + std::to_string(node.feature) +
                    ", out of range: features are the " + std::to_string(kPixels) + " pixels 0.." +
                    std::to_string(kPixels - 1));
    }
    if (pad != 0) return r.fail(at(tree_index, i) + " has a non-zero padding byte");
    const std::pair<uint16_t, const char*> children[] = {{node.left, "left"}, {node.right, "right"}};
    for (const auto& [child, side] : children) {
      if (child & ForestModel::kLeafBit) {
        const uint32_t leaf = child & ~ForestModel::kLeafBit;
        if (leaf >= leaves) {
          return r.fail(at(tree_index, i) + "'s " + side + " child is leaf " + std::to_string(leaf) +
                        ", out of range: the tree has " + std::to_string(leaves) + " leaves");
        }
        if (leaf_has_parent[leaf]++) {
          return r.fail(name + " leaf " + std::to_string(leaf) +
                        " is the child of two nodes; each leaf must have one parent");
        }
      } else {
        if (child >= nodes) {
          return r.fail(at(tree_index, i) + "'s " + side + " child is node " + std::to_string(child) +
                        ", out of range: the tree has " + std::to_string(nodes) + " nodes");
        }
        // Children only point forward, so every walk from the root ends at a leaf.
        if (child <= i) {
          return r.fail(at(tree_index, i) + "'s " + side + " child is node " + std::to_string(child) +
                        ", which does not come after it: children must have larger indices than "
                        "their parent (no cycles)");
        }
        if (node_has_parent[child]++) {
          return r.fail(at(tree_index, child) +
                        " is the child of two nodes; each node must have one parent");
        }
      }
    }
  }
  // With leaves == nodes + 1 and no target referenced twice, every leaf is now referenced once.

  tree.leaf_proba.assign(size_t(leaves) * kClasses, 0.0f);
  std::array<uint8_t, kClasses> levels;
  for (uint32_t leaf = 0; leaf < leaves; ++leaf) {
    if (!r.u8s(levels, "a leaf's class distribution")) return false;
    const unsigned sum = std::accumulate(levels.begin(), levels.end(), 0u);
    if (sum == 0) {
      return r.fail(name + " leaf " + std::to_string(leaf) +
                    " has an all-zero class distribution; each leaf's levels must sum to more "
                    "than 0 (255 as written)");
    }
    for (int c = 0; c < kClasses; ++c) {
      tree.leaf_proba[size_t(leaf) * kClasses + c] = float(levels[c]) / float(sum);
    }
  }
  return true;
}

}  // namespace

uint8_t ForestModel::level_of(float x) {
  if (x <= kThresholds[0]) return 0;
  if (!(x <= kThresholds[254])) return 255;  // also NaN, which never goes left
  // A first guess from the scale, then settle on the exact float comparison inference makes.
  int t = std::clamp(int(x * 255.0f - 0.5f), 0, 254);
  while (t > 0 && x <= kThresholds[t - 1]) --t;
  while (x > kThresholds[t]) ++t;
  return uint8_t(t);
}

void quantise_distribution(std::span<const float> distribution, std::span<uint8_t> levels) {
  const size_t n = std::min(distribution.size(), levels.size());
  if (n == 0) return;
  double sum = 0;
  for (size_t c = 0; c < n; ++c) {
    if (distribution[c] > 0 && std::isfinite(distribution[c])) sum += distribution[c];
  }
  std::vector<double> remainders(n, 0.0);
  int assigned = 0;
  for (size_t c = 0; c < n; ++c) {
    const float p = distribution[c];
    // An all-zero distribution (which no trained leaf has) is spread evenly.
    const double scaled = sum > 0 ? (p > 0 && std::isfinite(p) ? p * 255.0 / sum : 0.0) : 255.0 / n;
    const double whole = std::floor(scaled);
    levels[c] = uint8_t(whole);
    remainders[c] = scaled - whole;
    assigned += int(whole);
  }
  // Hand the units lost to flooring to the largest remainders; stable, so ties go to lower classes.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; assigned < 255 && k < n; ++k, ++assigned) ++levels[order[k]];
}

ForestModel::ForestModel(std::vector<Tree> trees, PreprocessMode preprocess)
    : trees_(std::move(trees)), preprocess_(preprocess) {
  build_walk();
}

void ForestModel::build_walk() {
  walk_nodes_.clear();
  walk_trees_.clear();
  std::vector<uint16_t> depth;
  for (const Tree& tree : trees_) {
    const size_t nodes = tree.nodes.size(), leaves = tree.leaf_proba.size() / kClasses;
    WalkTree walk{uint32_t(walk_nodes_.size()), 0, 0, 0};
    if (leaves == 0 || nodes + leaves > 0xFFFF) {
      // Not a tree parse() would accept: a lone self-loop keeps the walk in bounds, and
      // predict_proba counts the tree as a uniform vote.
      walk_nodes_.push_back({0, 0, 0, 0});
      walk_trees_.push_back(walk);
      continue;
    }
    walk.nodes = uint16_t(nodes);
    walk.leaves = uint16_t(leaves);
    // Out-of-range references (only in trees that skipped validation) land on leaf 0.
    auto local = [&](uint16_t ref) -> uint16_t {
      if (ref & kLeafBit) {
        const size_t leaf = ref & ~kLeafBit;
        return uint16_t(nodes + (leaf < leaves ? leaf : 0));
      }
      return ref < nodes ? ref : uint16_t(nodes);
    };
    depth.assign(nodes + leaves, 0);
    for (size_t i = 0; i < nodes; ++i) {
      Node node = tree.nodes[i];
      node.left = local(node.left);
      node.right = local(node.right);
      walk_nodes_.push_back(node);
      // Parents come before their children, so depth[i] is final here.
      for (uint16_t child : {node.left, node.right}) {
        if (child > i) depth[child] = std::max<uint16_t>(depth[child], uint16_t(depth[i] + 1));
      }
    }
    for (size_t leaf = 0; leaf < leaves; ++leaf) {
      const uint16_t self = uint16_t(nodes + leaf);
      walk_nodes_.push_back({0, 0, self, self});
    }
    walk.depth = *std::max_element(depth.begin(), depth.end());
    walk_trees_.push_back(walk);
  }
}

bool ForestModel::parse(std::span<const uint8_t> file, ForestModel& out, std::string& error) {
  WeightsEnvelope envelope;
  if (!unwrap_weights(file, kKind, envelope, error)) return false;
  ByteReader r(envelope.body);
  uint32_t classes = 0, features = 0, tree_count = 0;
  if (r.u32(classes, "the class count") && classes != kClasses) {
    r.fail("the forest has " + std::to_string(classes) + " classes; digits need " +
           std::to_string(kClasses));
  }
  if (r.u32(features, "the feature count") && features != kPixels) {
    r.fail("the forest reads " + std::to_string(features) + " features; a 28x28 image has " +
           std::to_string(kPixels));
  }
  if (r.u32(tree_count, "the tree count") && tree_count == 0) {
    r.fail("the forest has no trees; it needs at least one");
  }
  std::vector<Tree> trees;
  for (uint32_t t = 0; r.ok() && t < tree_count; ++t) {
    Tree tree;
    if (read_tree(r, t, tree)) trees.push_back(std::move(tree));
  }
  if (!r.expect_end()) {
    error = r.error();
    return false;
  }
  out = ForestModel(std::move(trees), envelope.preprocess);
  return true;
}

std::vector<uint8_t> ForestModel::serialize() const {
  ByteWriter body;
  body.u32(kClasses);
  body.u32(kPixels);
  body.u32(uint32_t(trees_.size()));
  std::array<uint8_t, kClasses> levels;
  for (const Tree& tree : trees_) {
    const size_t leaves = tree.leaf_proba.size() / kClasses;
    body.u32(uint32_t(tree.nodes.size()));
    body.u32(uint32_t(leaves));
    for (const Node& node : tree.nodes) {
      body.u16(node.feature);
      body.u8(node.threshold);
      body.u8(0);
      body.u16(node.left);
      body.u16(node.right);
    }
    for (size_t leaf = 0; leaf < leaves; ++leaf) {
      quantise_distribution(std::span(tree.leaf_proba).subspan(leaf * kClasses, kClasses), levels);
      body.u8s(levels);
    }
  }
  return wrap_weights(kKind, preprocess_, body);
}

void ForestModel::predict_proba(std::span<const float> x, std::span<float> out) const {
  if (out.size() < size_t(kClasses)) return;
  if (trees_.empty() || x.size() < size_t(kPixels)) {
    std::fill(out.begin(), out.begin() + kClasses, 1.0f / kClasses);
    return;
  }
  // Walk kLanes trees side by side: each step is a chain of dependent loads (node, then pixel),
  // and interleaving independent chains keeps several loads in flight at once.
  constexpr size_t kLanes = 8;
  std::array<float, kClasses> sum{};
  const float* pixels = x.data();
  for (size_t first = 0; first < walk_trees_.size(); first += kLanes) {
    const size_t lanes = std::min(kLanes, walk_trees_.size() - first);
    // Lanes past the last tree idle on a self-loop, so the inner loop has a fixed trip count.
    static constexpr Node kIdle{0, 0, 0, 0};
    std::array<const Node*, kLanes> root;
    std::array<uint32_t, kLanes> at{};
    int steps = 0;
    for (size_t k = 0; k < kLanes; ++k) {
      root[k] = k < lanes ? walk_nodes_.data() + walk_trees_[first + k].first : &kIdle;
      if (k < lanes) steps = std::max<int>(steps, walk_trees_[first + k].depth);
    }
    for (int step = 0; step < steps; ++step) {
      for (size_t k = 0; k < kLanes; ++k) {
        const Node& node = root[k][at[k]];
        // A mask select rather than `?:`: the direction is a coin flip the branch predictor
        // would miss half the time.
        const uint32_t right_mask = 0u - uint32_t(!(pixels[node.feature] <= kThresholds[node.threshold]));
        at[k] = node.left ^ ((node.left ^ node.right) & right_mask);
      }
    }
    for (size_t k = 0; k < lanes; ++k) {
      const WalkTree& walk = walk_trees_[first + k];
      if (walk.leaves == 0) {
        for (float& s : sum) s += 1.0f / kClasses;
        continue;
      }
      const size_t leaf = at[k] >= walk.nodes ? at[k] - walk.nodes : 0;
      const float* proba = trees_[first + k].leaf_proba.data() + leaf * kClasses;
      for (int c = 0; c < kClasses; ++c) sum[c] += proba[c];
    }
  }
  const float scale = 1.0f / float(trees_.size());
  for (int c = 0; c < kClasses; ++c) out[c] = sum[c] * scale;
}

size_t ForestModel::parameter_count() const {
  size_t count = 0;
  for (const Tree& tree : trees_) count += tree.nodes.size() * 4 + tree.leaf_proba.size();
  return count;
}

}  // namespace digits
