#include "core/weights_format.h"

#include "core/model_registry.h"

#include <array>
#include <bit>
#include <cstring>

namespace digits {

static_assert(std::endian::native == std::endian::little,
              "the weights format is little-endian; add byte swapping for big-endian hosts");

const char* model_id(ModelKind kind) {
  const int i = model_index(kind);
  return i < 0 ? "unknown" : kModelRegistry[i].id;
}

uint32_t crc32(std::span<const uint8_t> bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t b : bytes) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

template <typename T>
static void put(std::vector<uint8_t>& out, T v) {
  uint8_t raw[sizeof(T)];
  std::memcpy(raw, &v, sizeof(T));
  out.insert(out.end(), raw, raw + sizeof(T));
}

void ByteWriter::u16(uint16_t v) { put(bytes_, v); }
void ByteWriter::u32(uint32_t v) { put(bytes_, v); }
void ByteWriter::f32(float v) { put(bytes_, v); }
void ByteWriter::u16s(std::span<const uint16_t> v) {
  for (auto x : v) put(bytes_, x);
}
void ByteWriter::f32s(std::span<const float> v) {
  for (auto x : v) put(bytes_, x);
}

bool ByteReader::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
  return false;
}

bool ByteReader::take(size_t n, const char* what, const uint8_t** out) {
  if (!ok()) return false;
  if (remaining() < n) {
    return fail("truncated: wanted " + std::to_string(n) + " bytes for " + what + " at byte " +
                std::to_string(pos_) + " of the body, but only " + std::to_string(remaining()) +
                " remain");
  }
  *out = bytes_.data() + pos_;
  pos_ += n;
  return true;
}

bool ByteReader::u8(uint8_t& v, const char* what) {
  const uint8_t* p;
  if (!take(1, what, &p)) return false;
  v = *p;
  return true;
}
bool ByteReader::u16(uint16_t& v, const char* what) {
  const uint8_t* p;
  if (!take(2, what, &p)) return false;
  std::memcpy(&v, p, 2);
  return true;
}
bool ByteReader::u32(uint32_t& v, const char* what) {
  const uint8_t* p;
  if (!take(4, what, &p)) return false;
  std::memcpy(&v, p, 4);
  return true;
}
bool ByteReader::f32(float& v, const char* what) {
  const uint8_t* p;
  if (!take(4, what, &p)) return false;
  std::memcpy(&v, p, 4);
  return true;
}
bool ByteReader::u8s(std::span<uint8_t> v, const char* what) {
  const uint8_t* p;
  if (!take(v.size(), what, &p)) return false;
  if (!v.empty()) std::memcpy(v.data(), p, v.size());
  return true;
}
bool ByteReader::u16s(std::span<uint16_t> v, const char* what) {
  const uint8_t* p;
  if (!take(v.size() * 2, what, &p)) return false;
  if (!v.empty()) std::memcpy(v.data(), p, v.size() * 2);
  return true;
}
bool ByteReader::f32s(std::span<float> v, const char* what) {
  const uint8_t* p;
  if (!take(v.size() * 4, what, &p)) return false;
  if (!v.empty()) std::memcpy(v.data(), p, v.size() * 4);
  return true;
}
bool ByteReader::expect_end() {
  if (!ok()) return false;
  if (remaining() != 0) {
    return fail(std::to_string(remaining()) + " unexpected bytes after the last field");
  }
  return true;
}

std::vector<uint8_t> wrap_weights(ModelKind kind, PreprocessMode preprocess,
                                  const ByteWriter& body) {
  std::vector<uint8_t> out(kWeightsMagic, kWeightsMagic + 4);
  put(out, kWeightsVersion);
  put(out, static_cast<uint32_t>(kind));
  put(out, static_cast<uint32_t>(preprocess));
  put(out, static_cast<uint32_t>(body.bytes().size()));
  put(out, crc32(body.bytes()));
  out.insert(out.end(), body.bytes().begin(), body.bytes().end());
  return out;
}

bool unwrap_weights(std::span<const uint8_t> file, ModelKind expected, WeightsEnvelope& out,
                    std::string& error) {
  const std::string want = model_id(expected);
  if (file.size() < kWeightsHeaderSize) {
    error = "truncated: " + std::to_string(file.size()) + " bytes, shorter than the " +
            std::to_string(kWeightsHeaderSize) + "-byte header of a " + want + " weights file";
    return false;
  }
  if (std::memcmp(file.data(), kWeightsMagic, 4) != 0) {
    error = "wrong magic: not a Digit Drawer weights file (expected \"DGTW\" in the first 4 bytes)";
    return false;
  }
  uint32_t version, kind, preprocess, body_size, body_crc;
  std::memcpy(&version, file.data() + 4, 4);
  std::memcpy(&kind, file.data() + 8, 4);
  std::memcpy(&preprocess, file.data() + 12, 4);
  std::memcpy(&body_size, file.data() + 16, 4);
  std::memcpy(&body_crc, file.data() + 20, 4);
  if (version != kWeightsVersion) {
    error = "wrong version " + std::to_string(version) + ": this build reads version " +
            std::to_string(kWeightsVersion) + "; retrain or use matching weights";
    return false;
  }
  if (kind != static_cast<uint32_t>(expected)) {
    const bool known = model_index(static_cast<ModelKind>(kind)) >= 0;
    error = std::string("wrong model: the file holds ") +
            (known ? model_id(static_cast<ModelKind>(kind))
                   : "an unknown model (" + std::to_string(kind) + ")") +
            " weights, expected " + want;
    return false;
  }
  if (preprocess > static_cast<uint32_t>(PreprocessMode::MnistDeskew)) {
    error = "unknown preprocessing mode " + std::to_string(preprocess);
    return false;
  }
  const size_t actual = file.size() - kWeightsHeaderSize;
  if (actual != body_size) {
    error = (actual < body_size ? "truncated: the header announces "
                                : "wrong size: the header announces ") +
            std::to_string(body_size) + " bytes of " + want + " weights but the file holds " +
            std::to_string(actual);
    return false;
  }
  out.body = file.subspan(kWeightsHeaderSize);
  if (crc32(out.body) != body_crc) {
    error = "corrupt: the " + want + " weights fail their CRC-32 checksum";
    return false;
  }
  out.kind = expected;
  out.preprocess = static_cast<PreprocessMode>(preprocess);
  return true;
}

}  // namespace digits
