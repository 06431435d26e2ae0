// The trainers, one per model of the registry (core/model_registry.h), listed in kTrainers by the
// kind of the model each one trains. Each takes the training data it needs (preprocessed, or raw
// images it augments and preprocesses itself), shows progress bars on stderr, and fills a
// TrainReport. `digits train` loops over the registry and asks find_trainer(kind) for each model.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/forest.h"
#include "core/lenet.h"
#include "core/logreg.h"
#include "io/idx.h"
#include "train/dataset.h"

namespace digits {

// `original`: the original app's hyper-parameters (see ../shared/seed/ORIGINAL_README.md), no
// deskewing, no augmentation. `improved`: the committed recipe (see README "Training").
enum class Recipe { Original, Improved };
const char* recipe_name(Recipe recipe);
PreprocessMode recipe_preprocess(Recipe recipe);

struct TrainOptions {
  Recipe recipe = Recipe::Improved;
  uint64_t seed = 1;
  int threads = 0;       // 0 = all hardware threads
  int epochs = 0;        // LeNet-5 only; 0 = the recipe's
  bool progress = true;  // progress bars on stderr
  // Overrides the recipe's preprocessing (to measure e.g. deskewing's effect on one recipe).
  std::optional<PreprocessMode> preprocess;

  // The preprocessing the model is trained on and recorded with.
  PreprocessMode preprocess_mode() const { return preprocess.value_or(recipe_preprocess(recipe)); }
};

struct TrainReport {
  double seconds = 0;
  // Model-specific facts for metrics.json and the summary table, in order:
  // e.g. {"iterations", 412}, {"final_gradient_norm", 3.1e-4}.
  std::vector<std::pair<std::string, double>> details;
  std::string hyperparameters;  // one line, e.g. "C=1.0, L-BFGS m=10, tol 1e-4"
};

// Logistic regression: minimises 1/2 ||W||^2 + C * sum_i CE_i (bias not penalised), C = 1.0,
// with L-BFGS over Eigen, to convergence.
LogRegModel train_logreg(const Dataset& train, const TrainOptions& options, TrainReport& report);

// Random forest: 100 trees, max depth 10, Gini, bootstrap, min 2 samples to split; candidate
// features per split: 28 (scikit-learn's sqrt(784)) in the original recipe, 56 in the improved
// one. Trees trained in parallel threads.
ForestModel train_forest(const Dataset& train, const TrainOptions& options, TrainReport& report);
// The same from raw images, as the recipe trains it: the improved recipe adds two augmented copies
// of every image (make_augmented_dataset), which helps it on drawn digits without costing MNIST
// accuracy (README "Training" has the figures); the original recipe trains on the images alone.
// Logistic regression gains nothing from augmentation.
ForestModel train_forest(const IdxImages& images, const IdxLabels& labels,
                         const TrainOptions& options, TrainReport& report);

// LeNet-5 with tiny-dnn. `images`/`labels` are raw (un-preprocessed) images; the trainer applies
// its augmentation (improved recipe) and then the core's preprocessing. `validation` (already
// preprocessed, may be empty) is scored after each epoch for the progress line.
LeNetModel train_lenet(const IdxImages& images, const IdxLabels& labels, const Dataset& validation,
                       const TrainOptions& options, TrainReport& report);

// Everything a trainer may use, made once by `digits train`.
struct TrainingData {
  const IdxImages& images;  // MNIST training images, raw (as the file holds them)
  const IdxLabels& labels;
  const Dataset& train;       // the same, preprocessed in options.preprocess_mode()
  const Dataset& validation;  // the drawn-digit set, preprocessed alike (scored after each epoch)
};

struct Trainer {
  ModelKind model;  // the kind of the model it trains (its kKind)
  // Trains the model and returns its weights file (the model's serialize()).
  std::vector<uint8_t> (*train)(const TrainingData& data, const TrainOptions& options,
                                TrainReport& report);
};

// Every trainer; a test checks that each registry model has exactly one.
extern const std::span<const Trainer> kTrainers;
const Trainer* find_trainer(ModelKind model);  // null when there is none

}  // namespace digits
