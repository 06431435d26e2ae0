// The Digit Drawer weights format: one file per model, read from memory (the core never opens
// files; the CLI reads them from disk, the page fetches them).
//
// Every file is an envelope around a model-specific body. All integers and floats little-endian.
//
//   offset size  field
//   0      4     magic        "DGTW"
//   4      4     u32 version  kWeightsVersion (1)
//   8      4     u32 model    ModelKind: each model's own number (its kKind), listed in the
//                             registry, core/model_registry.h
//   12     4     u32 preprocess  PreprocessMode the model was trained on (0 plain, 1 mnist,
//                                2 mnist + deskew); the core feeds it exactly that
//   16     4     u32 body_size    bytes of body that follow the header
//   20     4     u32 body_crc32   CRC-32 (IEEE) of the body
//   24     ...   body          model-specific; see logreg.h, forest.h, lenet.h
//
// A file whose length is not 24 + body_size, or whose body fails its checksum, is rejected with a
// message that says which; so is a wrong magic, version or model kind.
//
// Usage:
//   ByteWriter body; body.u32(...); body.f32s(...);
//   std::vector<uint8_t> file = wrap_weights(LogRegModel::kKind, PreprocessMode::MnistDeskew,
//   body); WeightsEnvelope env; std::string err; if (!unwrap_weights(file, LogRegModel::kKind, env,
//   err)) report(err); ByteReader r(env.body); ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/preprocess.h"

namespace digits {

inline constexpr char kWeightsMagic[4] = {'D', 'G', 'T', 'W'};
inline constexpr uint32_t kWeightsVersion = 1;
inline constexpr size_t kWeightsHeaderSize = 24;

// The model a weights file holds, as the number in its header. The numbers are given by the models
// themselves (e.g. `static constexpr ModelKind kKind{1}` in LogRegModel) and listed, with the rest
// of what is known of each model, in core/model_registry.h.
enum class ModelKind : uint32_t {};

// The registry's id of `kind` (ModelInfo::id), or "unknown".
const char* model_id(ModelKind kind);

// CRC-32 (IEEE 802.3, reflected, as zlib's crc32).
uint32_t crc32(std::span<const uint8_t> bytes);

// Appends little-endian values.
class ByteWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u16(uint16_t v);
  void u32(uint32_t v);
  void f32(float v);
  void u8s(std::span<const uint8_t> v) { bytes_.insert(bytes_.end(), v.begin(), v.end()); }
  void u16s(std::span<const uint16_t> v);
  void f32s(std::span<const float> v);
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

// Reads little-endian values; every read checks the remaining length. After the first failed read
// ok() is false and error() says what was being read ("truncated: wanted N bytes for <what>...").
class ByteReader {
 public:
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  bool u8(uint8_t& v, const char* what);
  bool u16(uint16_t& v, const char* what);
  bool u32(uint32_t& v, const char* what);
  bool f32(float& v, const char* what);
  bool u8s(std::span<uint8_t> v, const char* what);
  bool u16s(std::span<uint16_t> v, const char* what);
  bool f32s(std::span<float> v, const char* what);
  size_t remaining() const { return bytes_.size() - pos_; }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // Sets the error (if none is set yet) and returns false, for validation failures.
  bool fail(std::string message);
  // True when every byte was consumed; otherwise sets an error naming the extra bytes.
  bool expect_end();

 private:
  bool take(size_t n, const char* what, const uint8_t** out);
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  std::string error_;
};

struct WeightsEnvelope {
  ModelKind kind;
  PreprocessMode preprocess;
  std::span<const uint8_t> body;  // points into the buffer given to unwrap_weights
};

std::vector<uint8_t> wrap_weights(ModelKind kind, PreprocessMode preprocess,
                                  const ByteWriter& body);

// Validates the envelope; on failure returns false and sets `error` to a sentence saying what is
// wrong (the caller prefixes the file name).
bool unwrap_weights(std::span<const uint8_t> file, ModelKind expected, WeightsEnvelope& out,
                    std::string& error);

}  // namespace digits
