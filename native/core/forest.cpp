#include "core/forest.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <iterator>
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
std::string leaf_at(size_t tree, size_t leaf) {
  return "tree " + std::to_string(tree) + " leaf " + std::to_string(leaf);
}

constexpr uint32_t kMaxSplitNodes = ForestModel::kLeafBit - 1;  // 32767: indices are 15 bits
constexpr int kMaxDepthField = 255;                             // max_depth is a u8

// Appends `width`-bit values to a byte stream, least significant bit first.
class BitPacker {
 public:
  explicit BitPacker(int width) : width_(width) {}
  void put(uint32_t value) {
    const uint32_t masked = value & ((1u << width_) - 1);
    for (int b = 0; b < width_; ++b, ++bits_) {
      if (bits_ % 8 == 0) bytes_.push_back(0);
      bytes_.back() |= uint8_t(((masked >> b) & 1u) << (bits_ % 8));
    }
  }
  size_t bits() const { return bits_; }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  int width_;
  size_t bits_ = 0;
  std::vector<uint8_t> bytes_;
};

// Value `index` of a stream of `width`-bit values (width 1 or 2, so none straddles a byte).
uint32_t packed_at(const std::vector<uint8_t>& stream, size_t index, int width) {
  const size_t bit = index * width;
  return (stream[bit / 8] >> (bit % 8)) & ((1u << width) - 1);
}

// True when the bits of the last byte past the first `used_bits` are all zero.
bool padding_is_zero(const std::vector<uint8_t>& stream, uint64_t used_bits) {
  return used_bits % 8 == 0 || (stream.back() >> (used_bits % 8)) == 0;
}

// One item of a tree listed in pre-order, as serialize() writes it.
struct PreorderItem {
  bool leaf;
  uint32_t index;  // into Tree::nodes, or the leaf index (>= leaves: not a real leaf)
  int depth;
};

// The tree's nodes and leaves in pre-order, following child references from the root. Trees
// that are not well formed still give a finite list: a reference to a missing, backward or
// already visited node, and a split node at depth 255, are listed as a leaf with no distribution.
std::vector<PreorderItem> preorder(const ForestModel::Tree& tree) {
  const size_t nodes = tree.nodes.size();
  constexpr uint32_t kNoLeaf = ~0u;
  std::vector<PreorderItem> items;
  std::vector<uint8_t> visited(nodes, 0);
  struct Pending {
    uint16_t ref;
    int parent;  // node index, -1 for the root
    int depth;
  };
  std::vector<Pending> stack = {{nodes > 0 ? uint16_t(0) : ForestModel::kLeafBit, -1, 0}};
  while (!stack.empty()) {
    const Pending p = stack.back();
    stack.pop_back();
    if (p.ref & ForestModel::kLeafBit) {
      items.push_back({true, uint32_t(p.ref & ~ForestModel::kLeafBit), p.depth});
      continue;
    }
    const bool in_range = p.ref < nodes;
    const bool usable =
        in_range && int(p.ref) > p.parent && !visited[p.ref] && p.depth < kMaxDepthField;
    if (!usable) {
      items.push_back({true, kNoLeaf, p.depth});
      continue;
    }
    visited[p.ref] = 1;
    items.push_back({false, p.ref, p.depth});
    const ForestModel::Node& node = tree.nodes[p.ref];
    stack.push_back({node.right, int(p.ref), p.depth + 1});
    stack.push_back({node.left, int(p.ref), p.depth + 1});
  }
  return items;
}

// The body's header fields after classes and features (see forest.h).
struct ForestHeader {
  uint32_t trees, split_nodes, leaves, structure_bits, levels;
  uint8_t max_depth, leaf_total;
};

// The body's streams (see forest.h), in file order.
struct ForestStreams {
  std::vector<uint8_t> structure, feature_low, feature_high, thresholds, class_low, class_high,
      levels;
};

// Checks that the body holds exactly the bytes the header's counts need, then reads the streams
// and checks their padding bits; on failure sets the reader's error and returns false.
bool read_streams(ByteReader& r, const ForestHeader& h, ForestStreams& s) {
  // The header fixes every stream's size, so the body's length can be checked before reading.
  const uint64_t split_nodes = h.split_nodes, leaves = h.leaves;
  const uint64_t sizes[] = {(uint64_t(h.structure_bits) + 7) / 8,
                            split_nodes,
                            (split_nodes + 3) / 4,
                            split_nodes,
                            leaves,
                            (leaves + 3) / 4,
                            h.levels};
  const uint64_t needed = std::accumulate(std::begin(sizes), std::end(sizes), uint64_t{0});
  const std::string counts = "the header's counts (" + std::to_string(h.split_nodes) +
                             " split nodes, " + std::to_string(h.leaves) + " leaves, " +
                             std::to_string(h.structure_bits) + " structure bits, " +
                             std::to_string(h.levels) + " levels) need " + std::to_string(needed) +
                             " bytes of streams";
  if (r.remaining() < needed) {
    return r.fail("truncated: " + counts + " but only " + std::to_string(r.remaining()) +
                  " follow");
  }
  if (r.remaining() > needed) {
    return r.fail(std::to_string(r.remaining() - needed) +
                  " unexpected bytes after the last stream: " + counts);
  }
  // Sizes checked first, so a corrupt header cannot ask for a huge allocation.
  s.structure.resize(sizes[0]);
  s.feature_low.resize(sizes[1]);
  s.feature_high.resize(sizes[2]);
  s.thresholds.resize(sizes[3]);
  s.class_low.resize(sizes[4]);
  s.class_high.resize(sizes[5]);
  s.levels.resize(sizes[6]);
  if (!r.u8s(s.structure, "the structure stream") ||
      !r.u8s(s.feature_low, "the feature_low stream") ||
      !r.u8s(s.feature_high, "the feature_high stream") ||
      !r.u8s(s.thresholds, "the thresholds stream") ||
      !r.u8s(s.class_low, "the class_low stream") ||
      !r.u8s(s.class_high, "the class_high stream") || !r.u8s(s.levels, "the levels stream")) {
    return false;
  }
  const std::pair<const std::vector<uint8_t>*, uint64_t> packed[] = {
      {&s.structure, h.structure_bits},
      {&s.feature_high, 2 * split_nodes},
      {&s.class_high, 2 * leaves}};
  const char* packed_names[] = {"structure", "feature_high", "class_high"};
  for (int k = 0; k < 3; ++k) {
    if (!padding_is_zero(*packed[k].first, packed[k].second)) {
      return r.fail(std::string("the ") + packed_names[k] +
                    " stream's last byte has non-zero padding bits; unused bits must be 0");
    }
  }
  return true;
}

// Builds the trees from the streams, which it consumes in pre-order, tree after tree. Every
// method returns false with the reader's error set at the first thing that is wrong.
class TreeBuilder {
 public:
  TreeBuilder(ByteReader& r, const ForestHeader& h, const ForestStreams& s) : r_(r), h_(h), s_(s) {}

  bool build(std::vector<ForestModel::Tree>& trees) {
    trees.resize(h_.trees);
    for (uint32_t t = 0; t < h_.trees; ++t) {
      if (!build_tree(t, trees[t])) return false;
    }
    return check_streams_used_up();
  }

 private:
  // Where a node is still to be attached: its parent's index in the tree (-1 for the root) and
  // which of its children it is.
  struct Pending {
    int parent;
    bool right;
    int depth;
  };

  // Walks tree t in pre-order: a split node's left child is the next node, its right child
  // follows the left subtree. `stack_` holds the children still to be read (right under left).
  bool build_tree(uint32_t t, ForestModel::Tree& tree) {
    // Trees of a forest are about the same size: start each with room for the average.
    tree.nodes.reserve(uint64_t(h_.split_nodes) / h_.trees + 1);
    tree.leaf_proba.reserve((uint64_t(h_.leaves) / h_.trees + 1) * kClasses);
    stack_.assign(1, {-1, false, 0});
    while (!stack_.empty()) {
      const Pending p = stack_.back();
      stack_.pop_back();
      bool is_leaf = true;
      if (p.depth < h_.max_depth) {
        if (bit_ >= h_.structure_bits) {
          return r_.fail("the structure stream's " + std::to_string(h_.structure_bits) +
                         " bits end inside tree " + std::to_string(t) + " of " +
                         std::to_string(h_.trees) + "; the trees need more bits");
        }
        is_leaf = packed_at(s_.structure, bit_++, 1) != 0;
      }
      uint16_t ref = 0;
      const bool added = is_leaf ? add_leaf(t, tree, ref) : add_split(t, p.depth, tree, ref);
      if (!added) return false;
      if (p.parent >= 0) {
        ForestModel::Node& parent = tree.nodes[size_t(p.parent)];
        (p.right ? parent.right : parent.left) = ref;
      }
    }
    return true;
  }

  // The next leaf's class mask and levels, as probabilities appended to the tree's leaves.
  bool add_leaf(uint32_t t, ForestModel::Tree& tree, uint16_t& ref) {
    const uint32_t total = h_.leaf_total;
    const size_t j = tree.leaf_proba.size() / kClasses;
    if (leaf_ >= h_.leaves) {
      return r_.fail("the structure holds more leaves than the " + std::to_string(h_.leaves) +
                     " the header declares (at " + leaf_at(t, j) + ")");
    }
    const uint32_t mask = s_.class_low[leaf_] | packed_at(s_.class_high, leaf_, 2) << 8;
    ++leaf_;
    const int classes = std::popcount(mask);
    if (classes == 0) {
      return r_.fail(leaf_at(t, j) +
                     " has an empty class mask; every leaf needs at least one class");
    }
    if (uint32_t(classes) > total) {
      return r_.fail(leaf_at(t, j) + " has " + std::to_string(classes) +
                     " classes but the leaf total is " + std::to_string(total) +
                     ": each class in the mask needs a level of at least 1");
    }
    std::array<uint32_t, kClasses> level{};
    uint32_t sum = 0;
    int seen = 0;
    for (int c = 0; c < kClasses; ++c) {
      if (!(mask & (1u << c))) continue;
      if (++seen == classes) {
        level[c] = total - sum;
        break;
      }
      if (level_at_ >= s_.levels.size()) {
        return r_.fail("the leaves need more than the " + std::to_string(h_.levels) +
                       " levels the header declares (at " + leaf_at(t, j) + ")");
      }
      level[c] = s_.levels[level_at_++];
      sum += level[c];
      if (level[c] == 0) {
        return r_.fail(leaf_at(t, j) + " gives class " + std::to_string(c) +
                       " level 0; each class in the mask needs a level of at least 1");
      }
      if (sum >= total) {
        return r_.fail(leaf_at(t, j) + "'s levels add up to " + std::to_string(sum) +
                       " before its last class; they must leave at least 1 of the leaf total " +
                       std::to_string(total));
      }
    }
    std::array<float, kClasses> proba;
    for (int c = 0; c < kClasses; ++c) proba[c] = ForestModel::level_probability(level[c], total);
    tree.leaf_proba.insert(tree.leaf_proba.end(), proba.begin(), proba.end());
    ref = uint16_t(ForestModel::kLeafBit | j);
    return true;
  }

  // The next split node's feature and threshold; its two children go on the stack.
  bool add_split(uint32_t t, int depth, ForestModel::Tree& tree, uint16_t& ref) {
    const size_t i = tree.nodes.size();
    if (split_ >= h_.split_nodes) {
      return r_.fail("the structure holds more split nodes than the " +
                     std::to_string(h_.split_nodes) + " the header declares (at " + at(t, i) + ")");
    }
    if (i >= kMaxSplitNodes) {
      return r_.fail("tree " + std::to_string(t) + " has more than " +
                     std::to_string(kMaxSplitNodes) + " split nodes; node indices are 15 bits");
    }
    const uint16_t feature =
        uint16_t(s_.feature_low[split_] | packed_at(s_.feature_high, split_, 2) << 8);
    if (feature >= kPixels) {
      return r_.fail(at(t, i) + " tests feature " + std::to_string(feature) +
                     ", out of range: features are the " + std::to_string(kPixels) + " pixels 0.." +
                     std::to_string(kPixels - 1));
    }
    tree.nodes.push_back({feature, s_.thresholds[split_], 0, 0});
    ++split_;
    ref = uint16_t(i);
    stack_.push_back({int(i), true, depth + 1});
    stack_.push_back({int(i), false, depth + 1});
    return true;
  }

  // After the last tree: no structure bits, split nodes or levels left over.
  bool check_streams_used_up() {
    if (bit_ != h_.structure_bits) {
      return r_.fail("the structure stream has " + std::to_string(h_.structure_bits - bit_) +
                     " bits left over after the last tree; the header declares " +
                     std::to_string(h_.structure_bits));
    }
    // Each tree has one leaf more than split nodes and L = S + trees, so one count settles both.
    if (split_ != h_.split_nodes) {
      return r_.fail("the trees hold " + std::to_string(split_) +
                     " split nodes, but the header declares " + std::to_string(h_.split_nodes));
    }
    if (level_at_ != s_.levels.size()) {
      return r_.fail("the leaves use " + std::to_string(level_at_) +
                     " levels, but the header declares " + std::to_string(h_.levels));
    }
    return true;
  }

  ByteReader& r_;
  const ForestHeader& h_;
  const ForestStreams& s_;
  // How far each stream has been read.
  size_t bit_ = 0, split_ = 0, leaf_ = 0, level_at_ = 0;
  std::vector<Pending> stack_;
};

// Reads the streams that follow the header and builds the trees; on failure sets the reader's
// error and returns false.
bool read_trees(ByteReader& r, const ForestHeader& h, std::vector<ForestModel::Tree>& trees) {
  ForestStreams streams;
  return read_streams(r, h, streams) && TreeBuilder(r, h, streams).build(trees);
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

void quantise_distribution(std::span<const float> distribution, std::span<uint8_t> levels,
                           uint8_t total) {
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
    const double scaled =
        sum > 0 ? (p > 0 && std::isfinite(p) ? double(p) * total / sum : 0.0) : double(total) / n;
    const double whole = std::floor(scaled);
    levels[c] = uint8_t(whole);
    remainders[c] = scaled - whole;
    assigned += int(whole);
  }
  // Hand the units lost to flooring (fewer than n) to the largest remainders; stable, so ties
  // go to lower classes.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; assigned < int(total) && k < n; ++k, ++assigned) ++levels[order[k]];
}

ForestModel::ForestModel(std::vector<Tree> trees, PreprocessMode preprocess, uint8_t leaf_total)
    : trees_(std::move(trees)),
      preprocess_(preprocess),
      leaf_total_(leaf_total > 0 ? leaf_total : kLeafTotal) {
  build_walk();
}

void ForestModel::build_walk() {
  walk_nodes_.clear();
  walk_trees_.clear();
  // Sized once: growing the vector of a whole forest's nodes and leaves (well over 100,000 as
  // trained) step by step copied it over and over, the largest part of the time it takes to load
  // a forest (which the page pays at start-up).
  size_t walk_size = 0;
  for (const Tree& tree : trees_)
    walk_size += std::max<size_t>(1, tree.nodes.size() + tree.leaf_proba.size() / kClasses);
  walk_nodes_.reserve(walk_size);
  walk_trees_.reserve(trees_.size());
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
  uint32_t classes = 0, features = 0;
  ForestHeader h{};
  if (r.u32(classes, "the class count") && classes != kClasses) {
    r.fail("the forest has " + std::to_string(classes) + " classes; digits need " +
           std::to_string(kClasses));
  }
  if (r.u32(features, "the feature count") && features != kPixels) {
    r.fail("the forest reads " + std::to_string(features) + " features; a 28x28 image has " +
           std::to_string(kPixels));
  }
  if (r.u32(h.trees, "the tree count") && h.trees == 0) {
    r.fail("the forest has no trees; it needs at least one");
  } else if (h.trees > ForestModel::kMaxTrees) {
    r.fail("the forest has " + std::to_string(h.trees) + " trees; at most " +
           std::to_string(ForestModel::kMaxTrees) + " are read");
  }
  r.u32(h.split_nodes, "the split node count");
  if (r.u32(h.leaves, "the leaf count") &&
      uint64_t(h.leaves) != uint64_t(h.split_nodes) + h.trees) {
    r.fail("the header counts " + std::to_string(h.split_nodes) + " split nodes and " +
           std::to_string(h.leaves) + " leaves in " + std::to_string(h.trees) +
           " trees; binary trees have one leaf more per tree than split nodes (leaves = split "
           "nodes + trees)");
  }
  r.u32(h.structure_bits, "the structure bit count");
  r.u32(h.levels, "the level count");
  r.u8(h.max_depth, "the maximum depth");
  if (r.u8(h.leaf_total, "the leaf total") && h.leaf_total == 0) {
    r.fail("the leaf total is 0; each leaf's levels must sum to at least 1");
  }
  std::vector<Tree> trees;
  if (!r.ok() || !read_trees(r, h, trees) || !r.expect_end()) {
    error = r.error();
    return false;
  }
  out = ForestModel(std::move(trees), envelope.preprocess, h.leaf_total);
  return true;
}

std::vector<uint8_t> ForestModel::serialize() const {
  std::vector<std::vector<PreorderItem>> listed;
  int max_depth = 0;
  for (const Tree& tree : trees_) {
    listed.push_back(preorder(tree));
    for (const PreorderItem& item : listed.back()) {
      if (item.leaf) max_depth = std::max(max_depth, item.depth);
    }
  }

  BitPacker structure(1), feature_high(2), class_high(2);
  std::vector<uint8_t> feature_low, thresholds, class_low, levels;
  std::array<float, kClasses> uniform{};
  std::array<uint8_t, kClasses> leaf_levels;
  for (size_t t = 0; t < trees_.size(); ++t) {
    const Tree& tree = trees_[t];
    const size_t leaves = tree.leaf_proba.size() / kClasses;
    for (const PreorderItem& item : listed[t]) {
      if (item.depth < max_depth) structure.put(item.leaf ? 1 : 0);
      if (!item.leaf) {
        const Node& node = tree.nodes[item.index];
        feature_low.push_back(uint8_t(node.feature));
        feature_high.put(node.feature >> 8);
        thresholds.push_back(node.threshold);
        continue;
      }
      // A reference to a missing leaf (only in trees that skipped validation) is written as an
      // all-zero distribution, which quantise_distribution spreads over the first classes.
      const std::span<const float> distribution =
          item.index < leaves
              ? std::span(tree.leaf_proba).subspan(size_t(item.index) * kClasses, kClasses)
              : std::span<const float>(uniform);
      quantise_distribution(distribution, leaf_levels, leaf_total_);
      uint32_t mask = 0;
      for (int c = 0; c < kClasses; ++c) mask |= uint32_t(leaf_levels[c] > 0) << c;
      class_low.push_back(uint8_t(mask));
      class_high.put(mask >> 8);
      // Every class in the mask but the last: the reader gives that one what is left of the total.
      const int last = 31 - std::countl_zero(mask);
      for (int c = 0; c < last; ++c) {
        if (leaf_levels[c] > 0) levels.push_back(leaf_levels[c]);
      }
    }
  }

  ByteWriter body;
  body.u32(kClasses);
  body.u32(kPixels);
  body.u32(uint32_t(trees_.size()));
  body.u32(uint32_t(feature_low.size()));
  body.u32(uint32_t(class_low.size()));
  body.u32(uint32_t(structure.bits()));
  body.u32(uint32_t(levels.size()));
  body.u8(uint8_t(max_depth));
  body.u8(leaf_total_);
  body.u8s(structure.bytes());
  body.u8s(feature_low);
  body.u8s(feature_high.bytes());
  body.u8s(thresholds);
  body.u8s(class_low);
  body.u8s(class_high.bytes());
  body.u8s(levels);
  return wrap_weights(kKind, preprocess_, body);
}

void ForestModel::predict_proba(std::span<const float> x, std::span<float> out) const {
  walk<false>(x, out, nullptr);
}

void ForestModel::explain(std::span<const float> x, std::span<float> out,
                          ForestInsight& insight) const {
  walk<true>(x, out, &insight);
}

bool ForestModel::explain(std::span<const float> x, std::span<float> out, Insight& insight) const {
  return explain_as<ForestInsight>(*this, x, out, insight);
}

std::unique_ptr<Insight> ForestModel::make_insight() const {
  return std::make_unique<ForestInsight>();
}

template <bool kExplain>
void ForestModel::walk(std::span<const float> x, std::span<float> out,
                       ForestInsight* insight) const {
  if constexpr (kExplain) {
    insight->trees = int(std::min(trees_.size(), ForestInsight::kMaxTrees));
    insight->path_length = 0;
  }
  if (out.size() < size_t(kClasses)) return;
  if (trees_.empty() || x.size() < size_t(kPixels)) {
    std::fill(out.begin(), out.begin() + kClasses, 1.0f / kClasses);
    if constexpr (kExplain) insight->trees = 0;
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
    // The lane of the tree whose path is recorded (kLanes when it is not in this group), and the
    // walk index from which its nodes are leaves.
    size_t path_lane = kLanes;
    uint32_t path_leaves_from = 0;
    if constexpr (kExplain) {
      const size_t t = size_t(insight->path_tree);
      if (insight->path_tree >= 0 && t >= first && t < first + lanes) {
        path_lane = t - first;
        path_leaves_from = walk_trees_[t].nodes;
      }
    }
    for (int step = 0; step < steps; ++step) {
      for (size_t k = 0; k < kLanes; ++k) {
        const Node& node = root[k][at[k]];
        // A mask select rather than `?:`: the direction is a coin flip the branch predictor
        // would miss half the time.
        const uint32_t right_mask =
            0u - uint32_t(!(pixels[node.feature] <= kThresholds[node.threshold]));
        if constexpr (kExplain) {
          if (k == path_lane && at[k] < path_leaves_from &&
              insight->path_length < ForestInsight::kMaxPath) {
            const size_t n = size_t(insight->path_length++);
            insight->path_node[n] = int32_t(at[k]);
            insight->path_row[n] = node.feature / kSide;
            insight->path_col[n] = node.feature % kSide;
            insight->path_threshold[n] = kThresholds[node.threshold];
            insight->path_value[n] = pixels[node.feature];
            insight->path_right[n] = int32_t(right_mask & 1u);
          }
        }
        at[k] = node.left ^ ((node.left ^ node.right) & right_mask);
      }
    }
    for (size_t k = 0; k < lanes; ++k) {
      const WalkTree& walk = walk_trees_[first + k];
      if (walk.leaves == 0) {
        for (float& s : sum) s += 1.0f / kClasses;
        if constexpr (kExplain) {
          const size_t t = first + k;
          if (t < ForestInsight::kMaxTrees) {
            insight->leaf[t] = -1;
            insight->vote[t] = 0;  // top_class of the uniform distribution
            std::fill_n(insight->leaf_proba.data() + t * kClasses, kClasses, 1.0f / kClasses);
          }
        }
        continue;
      }
      const size_t leaf = at[k] >= walk.nodes ? at[k] - walk.nodes : 0;
      const float* proba = trees_[first + k].leaf_proba.data() + leaf * kClasses;
      for (int c = 0; c < kClasses; ++c) sum[c] += proba[c];
      if constexpr (kExplain) {
        const size_t t = first + k;
        if (t < ForestInsight::kMaxTrees) {
          insight->leaf[t] = int32_t(leaf);
          insight->vote[t] = top_class(std::span(proba, kClasses));
          std::copy_n(proba, kClasses, insight->leaf_proba.data() + t * kClasses);
        }
      }
    }
  }
  const float scale = 1.0f / float(trees_.size());
  for (int c = 0; c < kClasses; ++c) out[c] = sum[c] * scale;
}

// Cold: generic code asks once per image at most; compiled small for the page's module.
[[gnu::cold]] InsightArrays ForestInsight::arrays() const {
  InsightArrays a;
  a.add(insight_array("leaf", leaf.data(), {trees}, true, kMaxTrees));
  a.add(insight_array("vote", vote.data(), {trees}, true, kMaxTrees));
  a.add(insight_array("leaf_proba", leaf_proba.data(), {trees, kClasses}, true,
                      kMaxTrees * kClasses));
  a.add(insight_array("path_node", path_node.data(), {path_length}, true, kMaxPath));
  a.add(insight_array("path_row", path_row.data(), {path_length}, true, kMaxPath));
  a.add(insight_array("path_col", path_col.data(), {path_length}, true, kMaxPath));
  a.add(insight_array("path_threshold", path_threshold.data(), {path_length}, true, kMaxPath));
  a.add(insight_array("path_value", path_value.data(), {path_length}, true, kMaxPath));
  a.add(insight_array("path_right", path_right.data(), {path_length}, true, kMaxPath));
  return a;
}

size_t ForestModel::parameter_count() const {
  size_t count = 0;
  for (const Tree& tree : trees_) count += tree.nodes.size() * 2 + tree.leaf_proba.size();
  return count;
}

}  // namespace digits
