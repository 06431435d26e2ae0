// Image files for `digits predict`: PNG, PGM, JPEG, BMP, and nothing else (PGM by io/pgm.cpp, the
// others by stb_image, compiled in stb_image_impl.cpp). The size is read from the header and
// checked against the limits below before anything is decoded.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace digits {

// At most 4096 x 4096 pixels (the page's limit too), and no side over kMaxInputSide (8192, what
// preprocessing takes).
inline constexpr int64_t kMaxImagePixels = int64_t(4096) * 4096;
// What the decoder may hold at once: pixels x channels x bytes per sample, i.e. a 4096 x 4096
// RGBA image with 8 bits per sample (a 16-bit one may have half as many pixels).
inline constexpr uint64_t kMaxImageDecodedBytes = uint64_t(4096) * 4096 * 4;
// The largest file read: an uncompressed 4096 x 4096 BMP with 32 bits a pixel, and room to spare.
inline constexpr uint64_t kMaxImageFileBytes = uint64_t(80) << 20;

struct GrayImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height, 0 = background, 255 = ink
};

// Decodes an image file's bytes as ink: colour is turned to gray (transparent pixels read as white
// paper), and the polarity is taken from the border — if the border is light (dark digit on white
// paper, the usual drawing), the image is inverted so that ink = 255, as in MNIST.
// Returns false with a sentence saying what is wrong (never with bytes of the file in it).
bool decode_image(std::span<const uint8_t> bytes, GrayImage& out, std::string& error);

// read_file (at most kMaxImageFileBytes) + decode_image, with the file name in the message.
bool load_image_file(const std::string& path, GrayImage& out, std::string& error);

}  // namespace digits
