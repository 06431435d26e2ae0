// What a model shows of its insides for one image — logistic regression's per-pixel evidence,
// the forest's votes and one tree's path, LeNet-5's activations — filled by the model's own
// forward pass (Model::explain), only when asked: a plain predict_proba never pays for it, and
// explain() gives bit for bit the same probabilities.
//
// Each model's insight is a plain struct of fixed-size arrays (LogRegInsight in logreg.h,
// ForestInsight in forest.h, LeNetInsight in lenet.h), allocated once and reused for every image;
// explain() allocates nothing. Code that treats every model alike (the CLI's JSON and PNG maps,
// the wasm binding's typed-array views) reads it through arrays(): named, typed, shaped views of
// its numbers, and of the model's weights worth showing beside them (per_image == false).
//
// Usage:
//   std::unique_ptr<Insight> insight = model.make_insight();  // once
//   model.explain(x, proba, *insight);                         // per image
//   for (const InsightArray& a : insight->arrays()) show(a.name, a.f32(), a.shape, a.rank);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <type_traits>

#include "core/weights_format.h"  // ModelKind

namespace digits {

enum class InsightType : uint32_t { F32 = 0, I32 = 1 };  // float, int32_t

// One named array of an insight, row-major over `shape`.
struct InsightArray {
  static constexpr int kMaxRank = 4;
  const char* name = "";  // "contribution": a JSON key, a typed-array view's name, a PNG's name
  InsightType type = InsightType::F32;
  const void* data = nullptr;
  std::array<int, kMaxRank> shape{};  // its `rank` sizes, e.g. {10, 28, 28}; then zeros
  int rank = 0;
  // Elements the buffer holds, >= size(): the forest's per-tree arrays have room for
  // ForestModel::kMaxTrees trees and its path for the deepest tree, whatever this image used.
  size_t capacity = 0;
  bool per_image = true;  // false: the model's own weights, the same for every image

  size_t size() const {
    size_t n = 1;
    for (int d = 0; d < rank; ++d) n *= size_t(shape[d]);
    return n;
  }
  const float* f32() const { return type == InsightType::F32 ? (const float*)data : nullptr; }
  const int32_t* i32() const { return type == InsightType::I32 ? (const int32_t*)data : nullptr; }
};

// Builds an InsightArray; `capacity` 0 means exactly its size.
template <typename T>
InsightArray insight_array(const char* name, const T* data, std::initializer_list<int> shape,
                           bool per_image = true, size_t capacity = 0) {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, int32_t>);
  InsightArray a;
  a.name = name;
  a.type = std::is_same_v<T, float> ? InsightType::F32 : InsightType::I32;
  a.data = data;
  for (int size : shape) a.shape[size_t(a.rank++)] = size;
  a.capacity = capacity ? capacity : a.size();
  a.per_image = per_image;
  return a;
}

// An insight's arrays, in the order it lists them (a fixed-size list: no allocation).
struct InsightArrays {
  static constexpr int kMax = 16;
  std::array<InsightArray, kMax> items{};
  int count = 0;

  void add(const InsightArray& a) { items[size_t(count++)] = a; }
  const InsightArray* begin() const { return items.data(); }
  const InsightArray* end() const { return items.data() + count; }
  // The array called `name`, or null. Only on a list that outlives the pointer (not on the
  // temporary arrays() returns).
  const InsightArray* find(const char* name) const&& = delete;
  const InsightArray* find(const char* name) const& {
    for (const InsightArray& a : *this)
      if (std::strcmp(a.name, name) == 0) return &a;
    return nullptr;
  }
};

class Insight {
 public:
  virtual ~Insight() = default;
  // The model type whose explain() fills it (its kKind).
  ModelKind kind() const { return kind_; }
  // Views of what the last explain() filled; the per_image == false ones point into the model
  // that filled it, which must outlive their use.
  virtual InsightArrays arrays() const = 0;

 protected:
  explicit Insight(ModelKind kind) : kind_(kind) {}
  Insight(const Insight&) = default;
  Insight& operator=(const Insight&) = default;

 private:
  ModelKind kind_;
};

}  // namespace digits
