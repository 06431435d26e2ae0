#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/image_file.h"

namespace digits::cli {

namespace {

std::string help_text() {
  const std::string weights = weights_option_help(18);
  return R"(usage: digits predict IMAGE [--weights DIR] [--json] [--show]

Each model's ten probabilities for one image file (PNG, PGM, JPEG, BMP; any size). The ink is
whichever of dark/light differs from the image's border, so a dark digit on white paper works.
)" + weights +
         R"(  --json          print one JSON object on stdout
  --show          also draw the 28x28 image the models saw
)";
}

}  // namespace

int run_predict(const std::vector<std::string>& argv) {
  Args args("predict", help_text(), argv, {"weights"}, {"json", "show"}, 1);
  if (args.positional().empty())
    throw UsageError("give an image file; see 'digits predict --help'");
  const std::string path = args.positional()[0];
  DigitClassifier classifier = load_classifier(args.value_or("weights", default_weights_dir()));

  GrayImage image;
  std::string error;
  if (!load_image_file(path, image, error)) throw RunError(error);
  DigitClassifier::Result r;
  PreprocessStatus status =
      classifier.classify(image.pixels, image.width, image.height, PixelFormat::Gray8, r);
  if (status == PreprocessStatus::BadSize)
    throw RunError(path + ": " + preprocess_status_message(status));

  if (args.has("json")) {
    nlohmann::json j;
    j["image"] = path;
    j["width"] = image.width;
    j["height"] = image.height;
    j["empty"] = status == PreprocessStatus::Empty;
    j["models"] = nlohmann::json::object();
    if (status == PreprocessStatus::Ok) {
      for (int m = 0; m < kModels; ++m) {
        const auto& p = r.proba[m];
        const int top = r.prediction[m];
        j["models"][kModelRegistry[m].id] = {
            {"prediction", top},
            {"confidence", p[top]},
            {"probabilities", std::vector<float>(p.begin(), p.end())}};
      }
    }
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  if (status == PreprocessStatus::Empty) {
    std::printf("%s: %s\n", path.c_str(), preprocess_status_message(status));
    return 0;
  }
  if (args.has("show")) {
    const char* shades = " .:-=+*#%@";
    for (int y = 0; y < kSide; ++y) {
      for (int x = 0; x < kSide; ++x) {
        const int level = std::clamp(int(r.image[y * kSide + x] * 9.99f), 0, 9);
        std::putchar(shades[level]);
        std::putchar(shades[level]);
      }
      std::putchar('\n');
    }
  }
  std::printf("%-8s %5s %6s  ", "model", "guess", "conf");
  for (int d = 0; d < kClasses; ++d) std::printf("    %d ", d);
  std::printf("\n");
  for (int m = 0; m < kModels; ++m) {
    const auto& p = r.proba[m];
    const int top = r.prediction[m];
    std::printf("%-8s %5d %5.1f%%  ", kModelRegistry[m].id, top, 100 * p[top]);
    for (float v : p) std::printf("%5.3f ", v);
    std::printf("\n");
  }
  return 0;
}

}  // namespace digits::cli
