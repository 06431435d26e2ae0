#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/class_drawings.h"
#include "train/evaluation.h"

namespace digits::cli {

namespace {

std::string help_text() {
  const std::string weights = weights_option_help(20);
  return R"(usage: digits evaluate --images IDX3 --labels IDX1 [--weights DIR] [--no-preprocess] [--json]
       digits evaluate DRAWINGS [--weights DIR] [--no-preprocess] [--json]

Scores each model on labelled images of any size (28x28 MNIST, or e.g. 280x280 canvas
captures with 0 = background and 255 = ink) through the same preprocessing as the page.
  --images IDX3     images (u8, any rows x cols)
  --labels IDX1     labels 0-9, as many as images
  DRAWINGS          a class's drawings as the page's "Download our drawings" saves them: the
                    zip, or the digit-drawer-drawings folder it unzips to (or the folder holding
                    it). Drawings labelled "not a digit" are reported apart; when the download
                    holds drawings.json, how often the page's guesses match these models' answers.
)" + weights +
         R"(  --no-preprocess   plain resize to 28x28 without cropping or centring (the original app's feeding)
  --threads N       worker threads (default: all cores)
  --json            print exactly one JSON object on stdout
)";
}

nlohmann::json score_json(const ModelScore& s) {
  return {{"accuracy", s.total ? nlohmann::json(s.accuracy) : nlohmann::json()},
          {"log_loss", s.total ? nlohmann::json(s.log_loss) : nlohmann::json()},
          {"empty", s.empty},
          {"right", s.right},
          {"total", s.total}};
}

void print_scores(const Evaluation& e) {
  std::printf("%-8s %15s %9s %9s %7s\n", "model", "right of total", "accuracy", "log loss",
              "empty");
  for (int m = 0; m < kModels; ++m) {
    const ModelScore& s = e.models[m];
    const std::string right = std::to_string(s.right) + " of " + std::to_string(s.total);
    if (s.total)
      std::printf("%-8s %15s %8.2f%% %9.4f %7d\n", kModelRegistry[m].id, right.c_str(),
                  100 * s.accuracy, s.log_loss, s.empty);
    else
      std::printf("%-8s %15s %9s %9s %7d\n", kModelRegistry[m].id, right.c_str(), "-", "-", 0);
  }
}

// The digits a model said most for the "not a digit" drawings (all of them on a tie).
std::vector<int> most_said(const ClassEvaluation::NotADigit& n) {
  const int most = *std::max_element(n.said.begin(), n.said.end());
  std::vector<int> digits;
  for (int d = 0; d < kClasses && most > 0; ++d)
    if (n.said[d] == most) digits.push_back(d);
  return digits;
}

int report_images(const Args& args, const DigitClassifier& classifier, int threads,
                  std::optional<PreprocessMode> override_mode) {
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

  Evaluation e = evaluate_classifier(classifier, images, labels, override_mode, threads);
  if (args.has("json")) {
    nlohmann::json j;
    j["n"] = e.count;
    j["preprocess"] = !override_mode;
    j["models"] = nlohmann::json::object();
    for (int m = 0; m < kModels; ++m) j["models"][kModelRegistry[m].id] = score_json(e.models[m]);
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf(
      "%d images of %dx%d, %s\n\n", e.count, images.cols, images.rows,
      override_mode ? "plain resize, no preprocessing" : "MNIST-style preprocessing (as the page)");
  print_scores(e);
  return 0;
}

int report_class_drawings(const Args& args, const std::string& path,
                          const DigitClassifier& classifier, int threads,
                          std::optional<PreprocessMode> override_mode) {
  ClassDrawings drawings;
  std::string error;
  if (!load_class_drawings(path, drawings, error)) throw RunError(error);
  const ClassEvaluation e = evaluate_class_drawings(classifier, drawings, override_mode, threads);

  if (args.has("json")) {
    nlohmann::json j;
    j["n"] = e.count;
    j["digits"] = e.digits.count;
    j["preprocess"] = !override_mode;
    j["models"] = nlohmann::json::object();
    nlohmann::json not_a_digit = {{"n", e.not_a_digit}, {"models", nlohmann::json::object()}};
    nlohmann::json record =
        e.has_record ? nlohmann::json{{"models", nlohmann::json::object()}} : nlohmann::json();
    for (int m = 0; m < kModels; ++m) {
      const char* id = kModelRegistry[m].id;
      j["models"][id] = score_json(e.digits.models[m]);
      const auto& n = e.not_a_digit_answers[m];
      not_a_digit["models"][id] = {{"said", n.said}, {"no_ink", n.no_ink}, {"most", most_said(n)}};
      if (e.has_record)
        record["models"][id] = {{"agree", e.recorded_agree[m]}, {"recorded", e.recorded[m]}};
    }
    j["not_a_digit"] = not_a_digit;
    j["page_guesses"] = record;
    std::printf("%s\n", j.dump().c_str());
    return 0;
  }
  std::printf(
      "%s: %d drawings of 280x280, %d digits and %d \"not a digit\", %s\n\n", path.c_str(), e.count,
      e.digits.count, e.not_a_digit,
      override_mode ? "plain resize, no preprocessing" : "MNIST-style preprocessing (as the page)");
  std::printf("Digits (labelled 0-9):\n");
  print_scores(e.digits);
  std::printf("\n\"Not a digit\" (label 10): %d drawings; what each model said, by digit:\n",
              e.not_a_digit);
  std::printf("%-8s", "model");
  for (int d = 0; d < kClasses; ++d) std::printf(" %4d", d);
  std::printf(" %7s  %s\n", "no ink", "most said");
  for (int m = 0; m < kModels; ++m) {
    const auto& n = e.not_a_digit_answers[m];
    std::printf("%-8s", kModelRegistry[m].id);
    for (int d = 0; d < kClasses; ++d) std::printf(" %4d", n.said[d]);
    std::string most;
    for (int d : most_said(n)) most.append(most.empty() ? "" : " ").append(std::to_string(d));
    std::printf(" %7d  %s\n", n.no_ink, most.empty() ? "-" : most.c_str());
  }
  if (!e.has_record) {
    std::printf("\nNo drawings.json: nothing to compare with the page's guesses.\n");
    return 0;
  }
  std::printf("\nThe page's recorded guesses (drawings.json) that match these models' answers:\n");
  for (int m = 0; m < kModels; ++m)
    std::printf("%-8s %d of %d\n", kModelRegistry[m].id, e.recorded_agree[m], e.recorded[m]);
  return 0;
}

}  // namespace

int run_evaluate(const std::vector<std::string>& argv) {
  Args args("evaluate", help_text(), argv, {"images", "labels", "weights", "threads"},
            {"no-preprocess", "json"}, 1);
  const bool drawings = !args.positional().empty();
  if (drawings && (args.value("images") || args.value("labels")))
    throw UsageError(
        "give either a class-drawings zip or folder, or --images and --labels, "
        "not both; see 'digits evaluate --help'");
  if (!drawings && (!args.value("images") || !args.value("labels")))
    throw UsageError(
        "--images and --labels (or a class-drawings zip or folder) are required; see "
        "'digits evaluate --help'");
  const int threads = int(args.integer("threads", 0, 0, 256));
  DigitClassifier classifier = load_classifier(args.value_or("weights", default_weights_dir()));
  const auto override_mode =
      args.has("no-preprocess") ? std::optional(PreprocessMode::Plain) : std::nullopt;
  if (drawings)
    return report_class_drawings(args, args.positional()[0], classifier, threads, override_mode);
  return report_images(args, classifier, threads, override_mode);
}

}  // namespace digits::cli
