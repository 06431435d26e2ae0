#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/explain.h"
#include "io/image_file.h"

namespace digits::cli {

namespace {

std::string help_text() {
  const std::string weights = weights_option_help(18);
  return R"(usage: digits predict IMAGE [--weights DIR] [--json] [--show]
                     [--explain [--tree N] [--out DIR]]

Each model's ten probabilities for one image file (PNG, PGM, JPEG, BMP; any size). The ink is
whichever of dark/light differs from the image's border, so a dark digit on white paper works.
)" + weights +
         R"(  --json          print one JSON object on stdout
  --show          also draw the 28x28 image the models saw
  --explain       also show each model's insides, from the forward pass that predicts: logistic
                  regression's evidence per pixel, every tree's vote and one tree's path,
                  LeNet-5's activations per layer (with --json: every number of them)
  --tree N        the tree whose path --explain shows (default 0)
  --out DIR       with --explain, also write the maps as PNG files into DIR (made if missing):
                  input.png, logreg's evidence and templates per digit, LeNet-5's feature maps
                  per channel and its filters
)";
}

// --out must name a folder, or nothing yet (it is made once there is something to write).
void check_out_dir(const std::string& dir) {
  std::error_code ec;
  const auto status = std::filesystem::status(dir, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
    throw UsageError("option --out names " + dir +
                     ", which is not a folder; give a folder for the PNG maps");
}

// One insight buffer per model, the forest's asked for the path of tree --tree.
InsightBuffers make_insights(const DigitClassifier& classifier, const Args& args) {
  InsightBuffers insights = classifier.make_insights();
  const int forest = model_index(ForestModel::kKind);
  const long trees =
      forest >= 0 && classifier.loaded(forest)
          ? long(static_cast<const ForestModel&>(classifier.model(forest)).trees().size())
          : 0;
  long tree = 0;
  try {
    tree = args.integer("tree", 0, 0, std::max(trees - 1, 0L));
  } catch (const UsageError& e) {
    throw UsageError(std::string(e.what()) + " (the forest has " + std::to_string(trees) +
                     " trees, numbered from 0)");
  }
  if (trees > 0) static_cast<ForestInsight&>(*insights[forest]).path_tree = int(tree);
  return insights;
}

}  // namespace

int run_predict(const std::vector<std::string>& argv) {
  Args args("predict", help_text(), argv, {"weights", "tree", "out"}, {"json", "show", "explain"},
            1);
  const bool explain = args.has("explain");
  if (args.positional().empty())
    throw UsageError(std::string("give an image file") + (explain ? " to explain" : "") +
                     "; see 'digits predict --help'");
  for (const char* flag : {"tree", "out"})
    if (args.has(flag) && !explain)
      throw UsageError(std::string("option --") + flag +
                       " goes with --explain; see 'digits predict --help'");
  const std::optional<std::string> out_dir = args.value("out");
  if (out_dir) check_out_dir(*out_dir);
  const std::string path = args.positional()[0];
  DigitClassifier classifier = load_classifier(args.value_or("weights", default_weights_dir()));
  InsightBuffers insights;
  if (explain) insights = make_insights(classifier, args);

  GrayImage image;
  std::string error;
  if (!load_image_file(path, image, error)) throw RunError(error);
  DigitClassifier::Result r;
  PreprocessStatus status =
      explain ? classifier.explain(image.pixels, image.width, image.height, PixelFormat::Gray8, r,
                                   insights_of(insights))
              : classifier.classify(image.pixels, image.width, image.height, PixelFormat::Gray8, r);
  if (status == PreprocessStatus::BadSize)
    throw RunError(path + ": " + preprocess_status_message(status));
  const bool explained = explain && status == PreprocessStatus::Ok;
  if (out_dir && explained) {
    std::error_code ec;
    std::filesystem::create_directories(*out_dir, ec);
    if (ec) throw RunError(*out_dir + ": cannot create the folder (" + ec.message() + ")");
  }
  const std::vector<std::string> maps =
      out_dir && explained ? write_insight_maps(*out_dir, r, insights) : std::vector<std::string>{};

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
    if (explained) {
      const nlohmann::json insides = insight_json(r, insights);
      for (const auto& [id, model] : insides.items()) j["models"][id].update(model);
      if (out_dir) j["files"] = {{"folder", *out_dir}, {"names", maps}};
    }
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  if (status == PreprocessStatus::Empty) {
    std::printf("%s: %s%s\n", path.c_str(), preprocess_status_message(status),
                explain ? " (no insight: the models did not run)" : "");
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
  if (explained) {
    print_insight(r, insights);
    if (out_dir) std::printf("\nwrote %zu PNG files into %s\n", maps.size(), out_dir->c_str());
  }
  return 0;
}

}  // namespace digits::cli
