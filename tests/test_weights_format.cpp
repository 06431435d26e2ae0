// The weights envelope: round trip and every corruption case, with the message each one gets.
#include <gtest/gtest.h>

#include "core/model_registry.h"
#include "core/weights_format.h"

namespace digits {
namespace {

std::vector<uint8_t> sample_file() {
  ByteWriter body;
  body.u32(10);
  body.f32(1.5f);
  const uint16_t shorts[] = {1, 2, 3};
  body.u16s(shorts);
  return wrap_weights(ForestModel::kKind, PreprocessMode::MnistDeskew, body);
}

std::string unwrap_error(std::span<const uint8_t> file, ModelKind kind = ForestModel::kKind) {
  WeightsEnvelope env;
  std::string error;
  EXPECT_FALSE(unwrap_weights(file, kind, env, error));
  return error;
}

TEST(WeightsFormat, Crc32MatchesTheStandardCheckValue) {
  const std::string check = "123456789";
  EXPECT_EQ(crc32({reinterpret_cast<const uint8_t*>(check.data()), check.size()}), 0xCBF43926u);
}

TEST(WeightsFormat, RoundTrip) {
  auto file = sample_file();
  ASSERT_EQ(file.size(), kWeightsHeaderSize + 4 + 4 + 6);
  WeightsEnvelope env;
  std::string error;
  ASSERT_TRUE(unwrap_weights(file, ForestModel::kKind, env, error)) << error;
  EXPECT_EQ(env.kind, ForestModel::kKind);
  EXPECT_EQ(env.preprocess, PreprocessMode::MnistDeskew);
  ByteReader r(env.body);
  uint32_t n;
  float f;
  uint16_t s[3];
  ASSERT_TRUE(r.u32(n, "count") && r.f32(f, "value") && r.u16s(s, "shorts"));
  EXPECT_EQ(n, 10u);
  EXPECT_EQ(f, 1.5f);
  EXPECT_EQ(s[2], 3);
  EXPECT_TRUE(r.expect_end());
}

TEST(WeightsFormat, WrongMagic) {
  auto file = sample_file();
  file[0] = 'X';
  EXPECT_NE(unwrap_error(file).find("wrong magic"), std::string::npos);
}

TEST(WeightsFormat, WrongVersion) {
  auto file = sample_file();
  file[4] = 9;
  auto e = unwrap_error(file);
  EXPECT_NE(e.find("wrong version 9"), std::string::npos) << e;
}

TEST(WeightsFormat, WrongModel) {
  auto e = unwrap_error(sample_file(), LeNetModel::kKind);
  EXPECT_NE(e.find("holds forest weights, expected lenet"), std::string::npos) << e;
}

TEST(WeightsFormat, EveryTruncationIsRejected) {
  const auto file = sample_file();
  for (size_t n = 0; n < file.size(); ++n) {
    auto e = unwrap_error(std::span(file.data(), n));
    EXPECT_NE(e.find("truncated"), std::string::npos) << n << ": " << e;
  }
}

TEST(WeightsFormat, ExtraBytesAreRejected) {
  auto file = sample_file();
  file.push_back(0);
  EXPECT_NE(unwrap_error(file).find("wrong size"), std::string::npos);
}

TEST(WeightsFormat, EveryFlippedBodyByteFailsTheChecksum) {
  const auto good = sample_file();
  for (size_t i = kWeightsHeaderSize; i < good.size(); ++i) {
    auto file = good;
    file[i] ^= 0x10;
    EXPECT_NE(unwrap_error(file).find("CRC-32"), std::string::npos) << i;
  }
}

TEST(WeightsFormat, UnknownPreprocessMode) {
  auto file = sample_file();
  file[12] = 7;
  EXPECT_NE(unwrap_error(file).find("preprocessing mode"), std::string::npos);
}

TEST(WeightsFormat, ReaderReportsWhatWasTruncated) {
  const uint8_t bytes[] = {1, 2, 3};
  ByteReader r(bytes);
  uint32_t v;
  EXPECT_FALSE(r.u32(v, "tree count"));
  EXPECT_NE(r.error().find("tree count"), std::string::npos);
  uint8_t b;
  EXPECT_FALSE(r.u8(b, "anything"));  // stays failed after the first error
}

}  // namespace
}  // namespace digits
