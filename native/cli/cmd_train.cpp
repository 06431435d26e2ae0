#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "io/idx.h"
#include "io/md5.h"
#include "drawn/drawn_digits.h"
#include "train/evaluation.h"
#include "train/progress.h"
#include "train/trainers.h"

namespace digits::cli {

static const char* kHelp = R"(usage: digits train [--model logreg|forest|lenet|all] [--recipe improved|original]
                    [--preprocess mnist+deskew|mnist|plain] [--data DIR] [--out DIR]
                    [--epochs N] [--seed S] [--limit N] [--threads N]

Trains the models on MNIST's 60,000 training images, writes DIR/<model>.bin and records each
model's figures in DIR/metrics.json (MNIST test accuracy, log loss, confusion matrix, accuracy on
the synthetic drawn-digit set, parameters, file size, training time, command, seed, data md5s).
  --model M      logreg, forest, lenet or all (default all)
  --recipe R     improved (the committed models: deskewing, LeNet-5 augmentation and a faster
                 schedule) or original (the original app's hyper-parameters); default improved
  --data DIR     MNIST IDX files (default data/mnist; scripts/setup.sh fetches them)
  --out DIR      where to write weights and metrics.json (default weights)
  --preprocess P mnist+deskew, mnist or plain: override the recipe's preprocessing (to measure it)
  --epochs N     LeNet-5 epochs (default: the recipe's)
  --seed S       random seed (default 1); the same seed gives identical weights
  --limit N      train on the first N training images only (quick experiments)
  --threads N    worker threads (default: all cores)
  --no-progress  no progress bars
)";

namespace {

// The drawn-digit validation set every model is scored on: fixed, so figures compare across runs.
constexpr int kDrawnCount = 1000;
constexpr uint64_t kDrawnSeed = 7;
constexpr int kDrawnSide = 280;

nlohmann::json score_json(const ModelScore& s, bool with_confusion) {
  nlohmann::json j = {{"accuracy", s.accuracy}, {"log_loss", s.log_loss}};
  if (s.empty) j["empty"] = s.empty;
  if (with_confusion) j["confusion"] = s.confusion;
  return j;
}

}  // namespace

int run_train(const std::vector<std::string>& argv) {
  for (const auto& a : argv)
    if (a == "--help") return std::fputs(kHelp, stdout), 0;
  Args args("train", argv,
            {"model", "recipe", "preprocess", "data", "out", "epochs", "seed", "limit", "threads"},
            {"no-progress"});
  std::vector<std::string> model_choices;
  for (const ModelInfo& info : kModelRegistry) model_choices.push_back(info.id);
  model_choices.push_back("all");
  const std::string which = args.choice("model", "all", model_choices);
  const Recipe recipe = args.choice("recipe", "improved", {"improved", "original"}) == "original"
                            ? Recipe::Original
                            : Recipe::Improved;
  const std::string data_dir = args.value_or("data", default_data_dir());
  const std::string out_dir = args.value_or("out", "weights");
  TrainOptions options;
  options.recipe = recipe;
  options.seed = uint64_t(args.integer("seed", 1, 0, 1L << 62));
  options.epochs = int(args.integer("epochs", 0, 0, 1000));
  options.threads = int(args.integer("threads", 0, 0, 256));
  options.progress = !args.has("no-progress");
  if (args.value("preprocess")) {
    constexpr PreprocessMode kModes[] = {PreprocessMode::Mnist, PreprocessMode::MnistDeskew,
                                         PreprocessMode::Plain};
    const std::string p = args.choice("preprocess", "", {preprocess_mode_name(kModes[0]),
                                                         preprocess_mode_name(kModes[1]),
                                                         preprocess_mode_name(kModes[2])});
    for (PreprocessMode m : kModes) {
      if (p == preprocess_mode_name(m)) options.preprocess = m;
    }
  }
  const long limit = args.integer("limit", 0, 1, 60000);

  std::string command = "digits train";
  for (const auto& a : argv) command += " " + a;

  MnistFiles mnist;
  std::string error;
  if (!load_mnist(data_dir, mnist, error)) throw RunError(error);
  if (limit > 0) {
    mnist.train_images = mnist.train_images.head(int(limit));
    mnist.train_labels = mnist.train_labels.head(int(limit));
  }
  nlohmann::json md5s;
  for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                           "t10k-labels-idx1-ubyte"}) {
    std::vector<uint8_t> bytes;
    if (!read_file((std::filesystem::path(data_dir) / name).string(), bytes, error)) throw RunError(error);
    md5s[name] = md5_hex(bytes);
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw RunError(out_dir + ": cannot create the folder (" + ec.message() + ")");

  IdxLabels drawn_labels;
  IdxImages drawn_images = render_drawn_digits(kDrawnCount, kDrawnSeed, kDrawnSide, drawn_labels);

  // Preprocessed sets, made once per preprocessing mode.
  const PreprocessMode mode = options.preprocess_mode();
  std::fprintf(stderr, "preprocessing %d training, %d test and %d drawn images (%s)...\n",
               mnist.train_images.count, mnist.test_images.count, drawn_images.count,
               preprocess_mode_name(mode));
  const Dataset train = make_dataset(mnist.train_images, mnist.train_labels, mode, options.threads);
  const Dataset test = make_dataset(mnist.test_images, mnist.test_labels, mode, options.threads);
  const Dataset drawn = make_dataset(drawn_images, drawn_labels, mode, options.threads);

  // metrics.json is read again just before each write, so runs of different models (which may
  // overlap) each update their own entry and keep the others'.
  const std::string metrics_path = (std::filesystem::path(out_dir) / "metrics.json").string();
  auto read_metrics = [&] {
    nlohmann::json metrics = nlohmann::json::object();
    std::ifstream in(metrics_path);
    if (in) {
      try {
        metrics = nlohmann::json::parse(in);
      } catch (const std::exception&) {
        std::fprintf(stderr, "warning: %s is not valid JSON; starting it afresh\n", metrics_path.c_str());
      }
    }
    metrics["format"] = "digit-drawer metrics, version 1";
    metrics["drawn_set"] = {{"command", "digits drawn --count " + std::to_string(kDrawnCount) +
                                            " --seed " + std::to_string(kDrawnSeed) + " --side " +
                                            std::to_string(kDrawnSide)},
                            {"count", kDrawnCount}, {"seed", kDrawnSeed}, {"side", kDrawnSide}};
    return metrics;
  };

  struct Row {
    std::string name;
    double seconds, mnist, loss, drawn;
    size_t params, bytes;
  };
  std::vector<Row> rows;

  auto record = [&](const ModelInfo& info, const std::vector<uint8_t>& bytes, const Model& model,
                    const TrainReport& report) {
    const std::string name = info.id;
    const std::string path = weights_file(out_dir, info);
    const size_t params = model.parameter_count();
    const auto predict = [&](std::span<const float> x, std::span<float> p) { model.predict_proba(x, p); };
    if (!write_file(path, bytes, error)) throw RunError(error);
    const ModelScore on_test = score_model(predict, test, options.threads);
    const ModelScore on_drawn = score_model(predict, drawn, options.threads);
    nlohmann::json metrics = read_metrics();
    nlohmann::json details = nlohmann::json::object();
    for (const auto& [k, v] : report.details) details[k] = v;
    metrics["models"][name] = {
        {"file", info.weights_file},
        {"file_bytes", bytes.size()},
        {"file_md5", md5_hex(bytes)},
        {"parameters", params},
        {"recipe", recipe_name(recipe)},
        {"preprocess", preprocess_mode_name(mode)},
        {"hyperparameters", report.hyperparameters},
        {"training_seconds", report.seconds},
        {"training_images", mnist.train_images.count},
        {"threads", default_threads(options.threads)},
        {"seed", options.seed},
        {"command", command},
        {"data_md5", md5s},
        {"mnist_test", score_json(on_test, true)},
        {"drawn", score_json(on_drawn, false)},
        {"details", details},
    };
    rows.push_back({name, report.seconds, on_test.accuracy, on_test.log_loss, on_drawn.accuracy, params,
                    bytes.size()});
    // Written after every model, so a long run that is stopped keeps what it finished.
    std::ofstream(metrics_path) << metrics.dump(2) << "\n";
    std::fprintf(stderr, "%s: MNIST test %.2f%%, drawn %.1f%%, wrote %s\n", name.c_str(),
                 100 * on_test.accuracy, 100 * on_drawn.accuracy, path.c_str());
  };

  // Trains each chosen model, reads its file back (so the figures are the file's) and records it.
  const TrainingData data{mnist.train_images, mnist.train_labels, train, drawn};
  for (const ModelInfo& info : kModelRegistry) {
    if (which != "all" && which != info.id) continue;
    const Trainer* trainer = find_trainer(info.kind);
    if (!trainer) throw RunError(std::string("there is no trainer for ") + info.id);
    TrainReport report;
    const std::vector<uint8_t> bytes = trainer->train(data, options, report);
    const std::unique_ptr<Model> model = info.parse(bytes, error);
    if (!model)
      throw RunError(weights_file(out_dir, info) + ": the freshly written file does not parse: " + error);
    record(info, bytes, *model, report);
  }

  std::printf("\n%-8s %-9s %10s %11s %9s %9s %10s %10s\n", "model", "recipe", "train time", "MNIST test",
              "log loss", "drawn", "params", "file");
  for (const Row& r : rows)
    std::printf("%-8s %-9s %10s %10.2f%% %9.4f %8.1f%% %10zu %7.1f KB\n", r.name.c_str(), recipe_name(recipe),
                format_duration(r.seconds).c_str(), 100 * r.mnist, r.loss, 100 * r.drawn, r.params,
                r.bytes / 1024.0);
  std::printf("\nweights and %s written to %s/\n", "metrics.json", out_dir.c_str());
  return 0;
}

}  // namespace digits::cli
