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
Bytes operator+(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

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
  stbi_write_png_to_func(
      [](void* ctx, void* data, int size) {
        auto* o = static_cast<Bytes*>(ctx);
        o->insert(o->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
      },
      &png, 2, 2, 4, rgba, 8);
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
  EXPECT_THAT(error, HasSubstr("cannot decode the PNG image (")) << error;
}

// Found by fuzz/fuzz_image.cpp: a 100-byte PNG whose second IDAT announces 6.9 MB made stb grow
// its buffer before reading; a chunk longer than the file is refused before stb sees it.
// Found by fuzz/fuzz_image.cpp: stb wrote past its table for a JPEG Huffman table of more than
// 256 codes; such a table is refused before stb sees it.
TEST(ImageFile, JpegHuffmanTableOfTooManyCodesIsRefused) {
  Bytes jpeg = {0xFF, 0xD8, 0xFF, 0xC4};
  // One table: its class and id, then 16 counts of codes per length: 2 + 255 = 257 codes.
  Bytes table = {0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 255};
  table.resize(table.size() + 257, 7);  // the symbols
  const size_t length = 2 + table.size();
  jpeg.push_back(uint8_t(length >> 8));
  jpeg.push_back(uint8_t(length));
  jpeg.insert(jpeg.end(), table.begin(), table.end());
  GrayImage image;
  std::string error;
  EXPECT_FALSE(decode_image(jpeg, image, error));
  EXPECT_THAT(error, HasSubstr("has 257 codes")) << error;
  // A good JPEG's tables pass.
  EXPECT_TRUE(decode_image(encode("jpg", 3), image, error)) << error;
}

TEST(ImageFile, PngChunkLongerThanTheFileIsRefusedBeforeDecoding) {
  Bytes png = encode("png", 1);
  png.resize(png.size() - 12);  // without IEND
  put_be32(png, 0x006a00fbu);
  png.insert(png.end(), {'I', 'D', 'A', 'T', 0x78, 0x9c, 0, 0});
  GrayImage image;
  std::string error;
  EXPECT_FALSE(decode_image(png, image, error));
  EXPECT_THAT(error, HasSubstr("truncated: a chunk at byte")) << error;
  EXPECT_THAT(error, HasSubstr("announces 6947067 bytes")) << error;
}

// Found by fuzz/fuzz_image.cpp: stb copied an empty first IDAT chunk through a null pointer
// (undefined behaviour, reported by the native-asan suite). Empty IDATs hold nothing and are
// dropped before decoding, so the image is the one without them.
TEST(ImageFile, EmptyIdatChunksChangeNothing) {
  const Bytes png = encode("png", 1);
  GrayImage expected, image;
  std::string error;
  ASSERT_TRUE(decode_image(png, expected, error)) << error;
  // The signature and IHDR (8 + 25 bytes), then empty IDATs before and between the real chunks.
  Bytes with_empty(png.begin(), png.begin() + 33);
  put_chunk(with_empty, {'I', 'D', 'A', 'T'}, {});
  with_empty.insert(with_empty.end(), png.begin() + 33, png.end() - 12);
  put_chunk(with_empty, {'I', 'D', 'A', 'T'}, {});
  with_empty.insert(with_empty.end(), png.end() - 12, png.end());  // IEND
  ASSERT_TRUE(decode_image(with_empty, image, error)) << error;
  EXPECT_EQ(image.width, expected.width);
  EXPECT_EQ(image.pixels, expected.pixels);
}

TEST(ImageFile, NoFileBytesInTheMessage) {
  // Issue 10, #7: stb's short message for an unknown critical chunk copies the chunk's type into
  // the text; this one clears the terminal (ESC [ 2 J).
  Bytes png = png_start(28, 28);
  put_chunk(png, {0x1b, '[', '2', 'J'}, {});
  GrayImage image;
  std::string error;
  EXPECT_FALSE(decode_image(png, image, error));
  EXPECT_THAT(error, HasSubstr("cannot decode the PNG image (")) << error;
  EXPECT_TRUE(all_printable(error)) << error;
  EXPECT_EQ(error.find("[2J"), std::string::npos) << error;
}

// A BMP header (54 bytes) announcing width x height pixels of 24 bits, and `data` bytes of them.
Bytes bmp_header(int32_t width, int32_t height, size_t data = 0) {
  Bytes out = {'B', 'M'};
  auto le32 = [&](uint32_t v) {
    for (int s = 0; s < 32; s += 8) out.push_back(uint8_t(v >> s));
  };
  le32(uint32_t(54 + data));
  le32(0);
  le32(54);  // where the pixels start
  le32(40);  // BITMAPINFOHEADER
  le32(uint32_t(width));
  le32(uint32_t(height));
  out.insert(out.end(), {1, 0, 24, 0});  // one plane, 24 bits a pixel
  for (int i = 0; i < 6; ++i) le32(0);   // no compression, sizes and palette left to the reader
  out.resize(out.size() + data, 0);
  return out;
}

// decode_image's answer for the bytes: "" when it decodes, else its message.
std::string refusal(const Bytes& bytes) {
  GrayImage image;
  std::string error;
  return decode_image(bytes, image, error) ? "" : error;
}

TEST(ImageFile, SixteenBitPgmIsTheSameEveryTime) {
  // Issue 10, #1: stb's PNM reader read past its buffer for maxval > 255, so that heap garbage
  // became pixels (and a 3000x3000 file crashed). A 28x28 16-bit PGM: white paper, a 4x20 bar
  // at half gray (32768), big-endian samples.
  Bytes pgm = bytes_of("P5\n28 28\n65535\n");
  for (int y = 0; y < 28; ++y)
    for (int x = 0; x < 28; ++x) {
      const int v = (x >= 12 && x < 16 && y >= 4 && y < 24) ? 32768 : 65535;
      pgm.push_back(uint8_t(v >> 8));
      pgm.push_back(uint8_t(v & 255));
    }
  GrayImage first, again;
  std::string error;
  ASSERT_TRUE(decode_image(pgm, first, error)) << error;
  ASSERT_TRUE(decode_image(pgm, again, error)) << error;
  EXPECT_EQ(first.pixels, again.pixels);
  EXPECT_EQ(first.pixels[0], 0);              // paper
  EXPECT_EQ(first.pixels[4 * 28 + 12], 127);  // 255 - round(32768 * 255 / 65535)

  Bytes big = bytes_of("P5 3000 3000 65535\n");
  big.resize(big.size() + 3000 * 3000 * 2, 0x80);
  EXPECT_EQ(refusal(big), "");
}

TEST(ImageFile, PgmSamplesScaleToTheirMaxval) {
  // maxval 15: 0 -> 0, 15 -> 255, 7 -> round(7 * 255 / 15) = 119; the dark border is the paper.
  Bytes pgm = bytes_of("P5 3 1 15\n");
  pgm.insert(pgm.end(), {0, 7, 0});
  GrayImage image;
  std::string error;
  ASSERT_TRUE(decode_image(pgm, image, error)) << error;
  EXPECT_EQ(image.pixels, (Bytes{0, 119, 0}));
}

TEST(ImageFile, PlainAsciiPgm) {
  // Issue 10, #8: an ASCII PGM (P2) was refused with a message that suggested PGM.
  GrayImage image;
  std::string error;
  ASSERT_TRUE(decode_image(bytes_of("P2\n# a comment\n3 2\n15\n15 0 15\n15 15 15\n"), image, error))
      << error;
  EXPECT_EQ(image.width, 3);
  EXPECT_EQ(image.height, 2);
  EXPECT_EQ(image.pixels, (Bytes{0, 255, 0, 0, 0, 0}));
  EXPECT_THAT(refusal(bytes_of("P2 3 2 15 15 0 15 15 15")), HasSubstr("truncated"));
  EXPECT_THAT(refusal(bytes_of("P2 3 1 15 1 x 2")), HasSubstr("sample 1 is not a number"));
  EXPECT_THAT(refusal(bytes_of("P2 3 1 15 1 16 2")),
              HasSubstr("sample 1 is 16, above the maxval 15"));
}

TEST(ImageFile, NoPixelsIsRefused) {
  // Issue 10, #3: an 11-byte "P5 0 0 255" header crashed in the border loop.
  for (const char* header : {"P5 0 0 255\n", "P5 0 5 255\n", "P2 5 0 255\n"})
    EXPECT_THAT(refusal(bytes_of(header)), HasSubstr("it has no pixels")) << header;
  EXPECT_THAT(refusal(bmp_header(0, 5)), HasSubstr("it has no pixels"));
  EXPECT_THAT(refusal(png_start(0, 5)), HasSubstr("cannot decode the PNG image ("));
}

TEST(ImageFile, HugeSizesAreRefusedBeforeDecoding) {
  // Issue 10, #4: tiny files announced huge images, which were decoded before the size check (a
  // 19-byte PGM header cost 2.6-3.2 GB). Each of these is refused from its header alone.
  const Bytes pgm = bytes_of("P5 60000 60000 255\n");
  ASSERT_EQ(pgm.size(), 19u);
  EXPECT_THAT(refusal(pgm), HasSubstr("the image is 60000 x 60000 pixels; at most 4096 x 4096"));
  EXPECT_THAT(refusal(bytes_of("P2 9000 10 255\n")), HasSubstr("and 8192 on a side"));
  EXPECT_THAT(refusal(png_start(5000, 5000)), HasSubstr("the image is 5000 x 5000 pixels"));
  EXPECT_THAT(refusal(bmp_header(8000, 3000)), HasSubstr("the image is 8000 x 3000 pixels"));
  EXPECT_THAT(refusal(bmp_header(20000, 1)), HasSubstr("8192 on a side"));
  // 4096 x 4096 is allowed (this PNG then fails for want of pixel data), but not at 16-bit RGBA.
  Bytes rgba16 = png_start(4096, 4096);
  EXPECT_THAT(refusal(rgba16), HasSubstr("cannot decode the PNG image ("));
  rgba16[24] = 16;  // IHDR's bit depth
  rgba16[25] = 6;   // and colour type: RGBA
  EXPECT_THAT(refusal(rgba16), HasSubstr("of 8 bytes each; at most 64 MiB"));

  // An 11-byte GIF and a 222-byte TGA (type 2, 65535 x 65535): formats no tool promises.
  EXPECT_EQ(refusal(bytes_of("GIF89a\xff\xff\xff\xff\x00")),
            "cannot decode the image: it is a GIF file; use a PNG, PGM, JPEG or BMP file");
  Bytes tga = {0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 32, 0};
  tga.resize(222, 0);
  EXPECT_EQ(refusal(tga), "cannot decode the image: it is not a PNG, PGM, JPEG or BMP file");
  EXPECT_THAT(refusal(bytes_of("P6 28 28 255\n")), HasSubstr("it is a PPM (colour netpbm) file"));
}

TEST(ImageFile, TruncatedPgmIsRefused) {
  // Issue 10, #4: stb accepted cut-short PNM data and left the missing pixels uninitialised.
  Bytes pgm = bytes_of("P5 4 4 255\n");
  pgm.resize(pgm.size() + 15, 0);
  EXPECT_EQ(refusal(pgm),
            "truncated: the PGM header announces 4 x 4 pixels (at least 16 bytes) but "
            "the file holds 15 bytes of them");
  pgm.push_back(0);
  EXPECT_EQ(refusal(pgm), "");
  EXPECT_THAT(refusal(bytes_of("P5 4 4 65535\n") + Bytes(31, 0)), HasSubstr("at least 32 bytes"));
  EXPECT_THAT(refusal(bytes_of("P5 4 4")),
              HasSubstr("truncated: the PGM header ends before its maxval"));
  EXPECT_THAT(refusal(bytes_of("P5 4 4 255")),
              HasSubstr("truncated: the PGM file ends after its header"));
  EXPECT_THAT(refusal(bytes_of("P5 4 4 70000\n")),
              HasSubstr("its maxval is 70000, not 1 to 65535"));
  EXPECT_THAT(refusal(bytes_of("P5 4 -4 255\n")), HasSubstr("its height is not a number"));
  EXPECT_THAT(refusal(bytes_of("P5 1234567890 4 255\n")), HasSubstr("its width is not a number"));
}

TEST(ImageFile, TruncatedBmpIsRefused) {
  // stb reads a BMP's missing pixels as zeros; 12 x 9 at 24 bits: rows of 36 bytes, 324 in all.
  Bytes bmp = encode("bmp", 3);
  ASSERT_EQ(bmp.size(), 54u + 324u);
  EXPECT_EQ(refusal(bmp), "");
  bmp.pop_back();
  EXPECT_EQ(refusal(bmp),
            "truncated: the BMP header announces 12 x 9 pixels of 24 bits (378 bytes "
            "with its headers) but the file has 377");
  EXPECT_THAT(refusal(bmp_header(4096, 4096, 1000)),
              HasSubstr("truncated: the BMP header announces"));
}

TEST(ImageFile, EmptyFile) {
  GrayImage image;
  std::string error;
  EXPECT_FALSE(decode_image({}, image, error));
  EXPECT_EQ(error, "the file is empty");
}

}  // namespace
}  // namespace digits
