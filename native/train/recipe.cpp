#include "train/trainers.h"

namespace digits {

const char* recipe_name(Recipe recipe) {
  return recipe == Recipe::Original ? "original" : "improved";
}

PreprocessMode recipe_preprocess(Recipe recipe) {
  // The original app fed MNIST as it is; our "original" keeps MNIST-style centring (so it can read
  // a canvas at all) but not deskewing. The improved recipe deskews (README "Preprocessing").
  return recipe == Recipe::Original ? PreprocessMode::Mnist : PreprocessMode::MnistDeskew;
}

}  // namespace digits
