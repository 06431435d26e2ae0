// The random-number pieces the trainers and the drawn-digit generator share. Each tool keeps its
// own generator (std::mt19937_64, xoshiro256**, SplitMix64 itself), but every seed is spread
// through the one SplitMix64 below, and every double is drawn the same way, so their output is
// the same with every standard library (std:: distributions are implementation-defined).
// In core/ because train/ and drawn/ both need it and neither should depend on the other; it is
// header-only and pure, as the core must be.
#pragma once

#include <cstdint>

namespace digits {

inline constexpr uint64_t kSplitMix64Step = 0x9e3779b97f4a7c15ull;

// SplitMix64's output for state x (its finaliser after one step): nearby inputs give unrelated
// 64-bit values.
constexpr uint64_t mix64(uint64_t x) {
  x += kSplitMix64Step;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// SplitMix64 as a generator: the next output of `state`, which advances.
inline uint64_t splitmix64(uint64_t& state) {
  const uint64_t out = mix64(state);
  state += kSplitMix64Step;
  return out;
}

// The seed of an independent stream for item `index` of round `round` (an epoch, an augmented
// copy) under `seed`: the same whatever order or thread the items are worked on.
constexpr uint64_t stream_seed(uint64_t seed, uint64_t round, uint32_t index) {
  return mix64(seed ^ mix64(round << 32 | index));
}

// A double in [0, 1) from the top 53 bits of a 64-bit draw.
constexpr double unit_double(uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

}  // namespace digits
