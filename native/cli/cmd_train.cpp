#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "drawn/drawn_digits.h"
#include "io/idx.h"
#include "io/md5.h"
#include "train/evaluation.h"
#include "train/metrics_file.h"
#include "train/progress.h"
#include "train/trainers.h"

namespace digits::cli {

namespace {

std::string help_text() {
  const std::string usage =
      "usage: digits train [--model " + model_ids("|") + "|all] [--recipe improved|original]\n";
  const std::string model = "  --model M      " + model_ids(", ") + " or all (default all)\n";
  return usage +
         R"(                    [--preprocess mnist+deskew|mnist|plain] [--data DIR] [--out DIR]
                    [--epochs N] [--seed S] [--limit N] [--threads N]

Trains the models on MNIST's 60,000 training images, writes DIR/<model>.bin and records each
model's figures in DIR/metrics.json (MNIST test accuracy, log loss, confusion matrix, accuracy on
the synthetic drawn-digit set, parameters, file size, training time, command, seed, data md5s).
)" + model +
         R"(  --recipe R     improved (the committed models: deskewing, LeNet-5 augmentation and a faster
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
}

// The drawn-digit validation set every model is scored on: fixed, so figures compare across runs.
constexpr DrawnSetSpec kDrawnSet{1000, 7, 280};

// What the command line asks for.
struct TrainRequest {
  std::string which;  // a registry id or "all"
  std::string data_dir, out_dir;
  long limit = 0;  // 0 = every training image
  TrainOptions options;
  std::string command;  // "digits train ..." as typed, for metrics.json
};

// MNIST as the trainers see it, with the md5 of each file it came from.
struct TrainingFiles {
  MnistFiles mnist;
  nlohmann::json md5s;
};

// The preprocessed sets, made once in the one preprocessing mode of this run.
struct PreparedSets {
  PreprocessMode mode;
  Dataset train, test, drawn;
};

// One line of the summary table.
struct SummaryRow {
  std::string name;
  double seconds, mnist, loss, drawn;
  size_t params, bytes;
};

TrainRequest parse_request(const std::vector<std::string>& argv) {
  Args args("train", help_text(), argv,
            {"model", "recipe", "preprocess", "data", "out", "epochs", "seed", "limit", "threads"},
            {"no-progress"});
  TrainRequest request;
  std::vector<std::string> model_choices;
  for (const ModelInfo& info : kModelRegistry) model_choices.push_back(info.id);
  model_choices.push_back("all");
  request.which = args.choice("model", "all", model_choices);
  TrainOptions& options = request.options;
  options.recipe = args.choice("recipe", "improved", {"improved", "original"}) == "original"
                       ? Recipe::Original
                       : Recipe::Improved;
  request.data_dir = args.value_or("data", default_data_dir());
  request.out_dir = args.value_or("out", "weights");
  options.seed = uint64_t(args.integer("seed", 1, 0, 1L << 62));
  options.epochs = int(args.integer("epochs", 0, 0, 1000));
  options.threads = int(args.integer("threads", 0, 0, 256));
  options.progress = !args.has("no-progress");
  if (args.value("preprocess")) {
    constexpr PreprocessMode kModes[] = {PreprocessMode::Mnist, PreprocessMode::MnistDeskew,
                                         PreprocessMode::Plain};
    const std::string p =
        args.choice("preprocess", "",
                    {preprocess_mode_name(kModes[0]), preprocess_mode_name(kModes[1]),
                     preprocess_mode_name(kModes[2])});
    for (PreprocessMode m : kModes) {
      if (p == preprocess_mode_name(m)) options.preprocess = m;
    }
  }
  request.limit = args.integer("limit", 0, 1, 60000);
  request.command = "digits train";
  for (const auto& a : argv) request.command += " " + a;
  return request;
}

// MNIST (cut to --limit) and the md5 of its four files.
TrainingFiles load_training_files(const TrainRequest& request) {
  TrainingFiles files;
  std::string error;
  if (!load_mnist(request.data_dir, files.mnist, error)) throw RunError(error);
  if (request.limit > 0) {
    files.mnist.train_images = files.mnist.train_images.head(int(request.limit));
    files.mnist.train_labels = files.mnist.train_labels.head(int(request.limit));
  }
  for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                           "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
    std::vector<uint8_t> bytes;
    if (!read_file((std::filesystem::path(request.data_dir) / name).string(), bytes, error))
      throw RunError(error);
    files.md5s[name] = md5_hex(bytes);
  }
  return files;
}

void create_out_dir(const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw RunError(out_dir + ": cannot create the folder (" + ec.message() + ")");
}

// The training, test and drawn-digit sets, preprocessed in the run's mode.
PreparedSets prepare_sets(const MnistFiles& mnist, const TrainOptions& options) {
  IdxLabels drawn_labels;
  const IdxImages drawn_images =
      render_drawn_digits(kDrawnSet.count, kDrawnSet.seed, kDrawnSet.side, drawn_labels);
  const PreprocessMode mode = options.preprocess_mode();
  std::fprintf(stderr, "preprocessing %d training, %d test and %d drawn images (%s)...\n",
               mnist.train_images.count, mnist.test_images.count, drawn_images.count,
               preprocess_mode_name(mode));
  return {mode, make_dataset(mnist.train_images, mnist.train_labels, mode, options.threads),
          make_dataset(mnist.test_images, mnist.test_labels, mode, options.threads),
          make_dataset(drawn_images, drawn_labels, mode, options.threads)};
}

nlohmann::json score_json(const ModelScore& s, bool with_confusion) {
  nlohmann::json j = {{"accuracy", s.accuracy}, {"log_loss", s.log_loss}};
  if (s.empty) j["empty"] = s.empty;
  if (with_confusion) j["confusion"] = s.confusion;
  return j;
}

// Trains one registry model, writes its weights file, reads it back (so the figures are the
// file's), scores it and records it in metrics.json, which is written after every model so that
// a long run that is stopped keeps what it finished.
SummaryRow train_model(const ModelInfo& info, const TrainRequest& request,
                       const TrainingFiles& files, const PreparedSets& sets) {
  const Trainer* trainer = find_trainer(info.kind);
  if (!trainer) throw RunError(std::string("there is no trainer for ") + info.id);
  const TrainOptions& options = request.options;
  const MnistFiles& mnist = files.mnist;
  const TrainingData data{mnist.train_images, mnist.train_labels, sets.train, sets.drawn};
  TrainReport report;
  const std::vector<uint8_t> bytes = trainer->train(data, options, report);
  std::string error;
  const std::unique_ptr<Model> model = info.parse(bytes, error);
  const std::string path = weights_file(request.out_dir, info);
  if (!model) throw RunError(path + ": the freshly written file does not parse: " + error);

  if (!write_file(path, bytes, error)) throw RunError(error);
  const ModelScore on_test = score_model(*model, sets.test, options.threads);
  const ModelScore on_drawn = score_model(*model, sets.drawn, options.threads);
  nlohmann::json details = nlohmann::json::object();
  for (const auto& [k, v] : report.details) details[k] = v;
  const nlohmann::json entry = {
      {"file", info.weights_file},
      {"file_bytes", bytes.size()},
      {"file_md5", md5_hex(bytes)},
      {"parameters", model->parameter_count()},
      {"recipe", recipe_name(options.recipe)},
      {"preprocess", preprocess_mode_name(sets.mode)},
      {"hyperparameters", report.hyperparameters},
      {"training_seconds", report.seconds},
      {"training_images", mnist.train_images.count},
      {"threads", default_threads(options.threads)},
      {"seed", options.seed},
      {"command", request.command},
      {"data_md5", files.md5s},
      {"mnist_test", score_json(on_test, true)},
      {"drawn", score_json(on_drawn, false)},
      {"details", details},
  };
  update_model_metrics((std::filesystem::path(request.out_dir) / "metrics.json").string(),
                       kDrawnSet, info.id, entry);
  std::fprintf(stderr, "%s: MNIST test %.2f%%, drawn %.1f%%, wrote %s\n", info.id,
               100 * on_test.accuracy, 100 * on_drawn.accuracy, path.c_str());
  return {info.id,           report.seconds,           on_test.accuracy, on_test.log_loss,
          on_drawn.accuracy, model->parameter_count(), bytes.size()};
}

void print_summary(const std::vector<SummaryRow>& rows, Recipe recipe, const std::string& out_dir) {
  std::printf("\n%-8s %-9s %10s %11s %9s %9s %10s %10s\n", "model", "recipe", "train time",
              "MNIST test", "log loss", "drawn", "params", "file");
  for (const SummaryRow& r : rows)
    std::printf("%-8s %-9s %10s %10.2f%% %9.4f %8.1f%% %10zu %7.1f KB\n", r.name.c_str(),
                recipe_name(recipe), format_duration(r.seconds).c_str(), 100 * r.mnist, r.loss,
                100 * r.drawn, r.params, r.bytes / 1024.0);
  std::printf("\nweights and %s written to %s/\n", "metrics.json", out_dir.c_str());
}

}  // namespace

int run_train(const std::vector<std::string>& argv) {
  const TrainRequest request = parse_request(argv);
  const TrainingFiles files = load_training_files(request);
  create_out_dir(request.out_dir);
  const PreparedSets sets = prepare_sets(files.mnist, request.options);
  std::vector<SummaryRow> rows;
  for (const ModelInfo& info : kModelRegistry) {
    if (request.which == "all" || request.which == info.id)
      rows.push_back(train_model(info, request, files, sets));
  }
  print_summary(rows, request.options.recipe, request.out_dir);
  return 0;
}

}  // namespace digits::cli
