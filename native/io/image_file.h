// Image files for `digits predict`: PNG, PGM/PPM, JPEG, BMP (via stb_image from libstb-dev).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace digits {

struct GrayImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height, 0 = background, 255 = ink
};

// Loads an image file as ink: colour is turned to gray (transparent pixels read as white paper),
// and the polarity is taken from the border — if the border is light (dark digit on white paper,
// the usual drawing), the image is inverted so that ink = 255, as in MNIST.
// Returns false with a message naming the file when it cannot be read or decoded.
bool load_image_file(const std::string& path, GrayImage& out, std::string& error);

}  // namespace digits
