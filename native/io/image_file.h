// Image files for `digits predict`: PNG, PGM, JPEG, BMP (stb_image, compiled in stb_image_impl.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace digits {

struct GrayImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height, 0 = background, 255 = ink
};

// Decodes an image file's bytes as ink: colour is turned to gray (transparent pixels read as white
// paper), and the polarity is taken from the border — if the border is light (dark digit on white
// paper, the usual drawing), the image is inverted so that ink = 255, as in MNIST.
// Returns false with a sentence saying what is wrong.
bool decode_image(std::span<const uint8_t> bytes, GrayImage& out, std::string& error);

// read_file + decode_image, with the file name in the message.
bool load_image_file(const std::string& path, GrayImage& out, std::string& error);

}  // namespace digits
