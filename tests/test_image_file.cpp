// Image files for `digits predict`: good files of each format, and the hostile ones of issue 10
// ("Hostile image files"), each of which once crashed, read past a buffer or printed file bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_STATIC
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "io/image_file.h"
#include "test_support.h"

namespace digits {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A 12x9 drawing: white paper (255) with a dark bar (40) in columns 4-6, rows 2-6.
constexpr int kW = 12, kH = 9;
Bytes drawing_gray() {
  Bytes g(kW * kH, 255);
  for (int y = 2; y <= 6; ++y)
    for (int x = 4; x <= 6; ++x) g[y * kW + x] = 40;
  return g;
}
// The same drawing as the models see it: ink = 255 - gray.
Bytes drawing_ink() {
  Bytes ink = drawing_gray();
  for (auto& v : ink) v = uint8_t(255 - v);
  return ink;
}

// stb_image_write into memory: `comp` channels per pixel, gray in each colour channel and an
// opaque alpha (comp 2 or 4).
Bytes encode(const char* format, int comp) {
  Bytes pixels;
  const bool alpha = comp == 2 || comp == 4;
  for (uint8_t g : drawing_gray())
    for (int c = 0; c < comp; ++c) pixels.push_back(alpha && c == comp - 1 ? 255 : g);
  Bytes out;
  auto append = [](void* ctx, void* data, int size) {
    auto* o = static_cast<Bytes*>(ctx);
    o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  const std::string f = format;
  if (f == "png") stbi_write_png_to_func(append, &out, kW, kH, comp, pixels.data(), kW * comp);
  if (f == "bmp") stbi_write_bmp_to_func(append, &out, kW, kH, comp, pixels.data());
  if (f == "jpg") stbi_write_jpg_to_func(append, &out, kW, kH, comp, pixels.data(), 100);
  return out;
}

void put_be32(Bytes& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(uint8_t(v >> s));
}
// One PNG chunk: length, type, data, CRC (stb does not check it, so it is left zero).
void put_chunk(Bytes& out, std::array<uint8_t, 4> type, const Bytes& data) {
  put_be32(out, uint32_t(data.size()));
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), data.begin(), data.end());
  put_be32(out, 0);
}
constexpr std::array<uint8_t, 4> kIhdr = {'I', 'H', 'D', 'R'};
// The PNG signature and an IHDR chunk for an 8-bit gray image.
Bytes png_start(uint32_t width, uint32_t height) {
  Bytes out = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  Bytes ihdr;
  put_be32(ihdr, width);
  put_be32(ihdr, height);
  ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});  // depth 8, gray, deflate, filter 0, no interlace
  put_chunk(out, kIhdr, ihdr);
  return out;
}

bool all_printable(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

TEST(ImageFile, DecodesPngBmpAndJpeg) {
  for (const auto& [format, comp] : {std::pair{"png", 1}, {"png", 4}, {"bmp", 3}, {"jpg", 3}}) {
    GrayImage image;
    std::string error;
    ASSERT_TRUE(decode_image(encode(format, comp), image, error)) << format << ": " << error;
    EXPECT_EQ(image.width, kW) << format;
    EXPECT_EQ(image.height, kH) << format;
    const Bytes ink = drawing_ink();
    ASSERT_EQ(image.pixels.size(), ink.size());
    const int tolerance = std::string(format) == "jpg" ? 24 : 0;  // JPEG rings at the bar's edges
    for (size_t i = 0; i < ink.size(); ++i)
      ASSERT_NEAR(image.pixels[i], ink[i], tolerance) << format << " pixel " << i;
  }
}

TEST(ImageFile, TransparentPixelsArePaper) {
  // A 2x2 RGBA PNG: black but fully transparent everywhere, except one opaque black pixel.
  const uint8_t rgba[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255};
  Bytes png;
  stbi_write_png_to_func([](void* ctx, void* data, int size) {
    auto* o = static_cast<Bytes*>(ctx);
    o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  }, &png, 2, 2, 4, rgba, 8);
  GrayImage image;
  std::string error;
  ASSERT_TRUE(decode_image(png, image, error)) << error;
  EXPECT_EQ(image.pixels, (Bytes{0, 0, 0, 255}));
}

TEST(ImageFile, PngWithAHugeIdatLengthIsRefused) {
  // Issue 10, #2: 49 bytes whose IDAT chunk announces 2^31 bytes. stb gives no failure reason
  // there, and the message used to be built from its null pointer.
  Bytes png = png_start(28, 28);
  put_be32(png, 0x80000000u);
  png.insert(png.end(), {'I', 'D', 'A', 'T', 0x78, 0x9c, 0, 0, 0, 0, 0, 0});
  ASSERT_EQ(png.size(), 49u);
  GrayImage image;
  std::string error;
  EXPECT_FALSE(decode_image(png, image, error));
  EXPECT_THAT(error, HasSubstr("cannot decode the image"));
}

TEST(ImageFile, NoFileBytesInTheMessage) {
  // Issue 10, #7: stb's short message for an unknown critical chunk copies the chunk's type into
  // the text; this one clears the terminal (ESC [ 2 J).
  Bytes png = png_start(28, 28);
  put_chunk(png, {0x1b, '[', '2', 'J'}, {});
  GrayImage image;
  std::string error;
  EXPECT_FALSE(decode_image(png, image, error));
  EXPECT_THAT(error, HasSubstr("cannot decode the image"));
  EXPECT_TRUE(all_printable(error)) << error;
  EXPECT_EQ(error.find("[2J"), std::string::npos) << error;
}

TEST(ImageFile, EmptyFile) {
  GrayImage image;
  std::string error;
  EXPECT_FALSE(decode_image({}, image, error));
  EXPECT_EQ(error, "the file is empty");
}

}  // namespace
}  // namespace digits
