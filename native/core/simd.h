// Small SIMD vectors for the models' inner loops: GCC's and Clang's vector extension, lowered to
// SSE/AVX natively and to SIMD128 by em++ -msimd128 (Eigen 3.4 has no WebAssembly SIMD path, so
// it would run scalar there). Loads and stores go through memcpy: unaligned, no aliasing questions.
#pragma once

#include <cstring>

namespace digits::simd {

using Float4 = float __attribute__((vector_size(16)));
using Float8 = float __attribute__((vector_size(32)));  // two SIMD128 registers in wasm

template <typename V>
inline V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V>
inline void store(float* p, V v) {
  std::memcpy(p, &v, sizeof v);
}

inline Float4 load4(const float* p) { return load<Float4>(p); }
inline void store4(float* p, Float4 v) { store(p, v); }
inline Float4 splat4(float s) { return Float4{s, s, s, s}; }
inline Float4 max4(Float4 a, Float4 b) { return a > b ? a : b; }

}  // namespace digits::simd
