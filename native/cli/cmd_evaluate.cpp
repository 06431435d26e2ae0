#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "train/evaluation.h"

namespace digits::cli {

namespace {

std::string help_text() {
  const std::string weights = weights_option_help(20);
  return R"(usage: digits evaluate --images IDX3 --labels IDX1 [--weights DIR] [--no-preprocess] [--json]

Scores each model on labelled images of any size (28x28 MNIST, or e.g. 280x280 canvas
captures with 0 = background and 255 = ink) through the same preprocessing as the page.
  --images IDX3     images (u8, any rows x cols)
  --labels IDX1     labels 0-9, as many as images
)" + weights +
         R"(  --no-preprocess   plain resize to 28x28 without cropping or centring (the original app's feeding)
  --threads N       worker threads (default: all cores)
  --json            print exactly one JSON object on stdout
)";
}

}  // namespace

int run_evaluate(const std::vector<std::string>& argv) {
  Args args("evaluate", help_text(), argv, {"images", "labels", "weights", "threads"},
            {"no-preprocess", "json"});
  if (!args.value("images") || !args.value("labels"))
    throw UsageError("--images and --labels are required; see 'digits evaluate --help'");
  const int threads = int(args.integer("threads", 0, 0, 256));
  DigitClassifier classifier = load_classifier(args.value_or("weights", default_weights_dir()));

  IdxImages images;
  IdxLabels labels;
  std::string error;
  if (!load_idx_images(*args.value("images"), images, error)) throw RunError(error);
  if (!load_idx_labels(*args.value("labels"), labels, error)) throw RunError(error);
  if (size_t(images.count) != labels.labels.size())
    throw RunError("the images file holds " + std::to_string(images.count) +
                   " images but the labels file holds " + std::to_string(labels.labels.size()) +
                   " labels; give matching files");
  if (images.count == 0) throw RunError("the images file holds no images");

  const bool preprocess = !args.has("no-preprocess");
  auto override_mode = preprocess ? std::nullopt : std::optional(PreprocessMode::Plain);
  Evaluation e = evaluate_classifier(classifier, images, labels, override_mode, threads);

  if (args.has("json")) {
    nlohmann::json j;
    j["n"] = e.count;
    j["preprocess"] = preprocess;
    j["models"] = nlohmann::json::object();
    for (int m = 0; m < kModels; ++m) {
      j["models"][kModelRegistry[m].id] = {{"accuracy", e.models[m].accuracy},
                                           {"log_loss", e.models[m].log_loss},
                                           {"empty", e.models[m].empty}};
    }
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf(
      "%d images of %dx%d, %s\n\n", e.count, images.cols, images.rows,
      preprocess ? "MNIST-style preprocessing (as the page)" : "plain resize, no preprocessing");
  std::printf("%-8s %9s %9s %7s\n", "model", "accuracy", "log loss", "empty");
  for (int m = 0; m < kModels; ++m)
    std::printf("%-8s %8.2f%% %9.4f %7d\n", kModelRegistry[m].id, 100 * e.models[m].accuracy,
                e.models[m].log_loss, e.models[m].empty);
  return 0;
}

}  // namespace digits::cli
