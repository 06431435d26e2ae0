// The random forest trainer's knobs, for tests and experiments; the CLI uses train_forest(train,
// options, report) from trainers.h, which is train_forest with the default ForestParams.
#pragma once

#include "train/trainers.h"

namespace digits {

// scikit-learn's RandomForestClassifier(n_estimators=100, max_depth=10, criterion="gini",
// bootstrap=True, max_features="sqrt", min_samples_split=2, min_samples_leaf=1).
struct ForestParams {
  int trees = 100;
  int max_depth = 10;         // the root is depth 0; clamped to 14 so indices fit 15 bits
  int max_features = 28;      // candidate features per split, sqrt(784)
  int min_samples_split = 2;  // distinct training images a node needs to be split
  // true: leaves rounded to levels / ForestModel::kLeafTotal (fifths) as the weights file stores
  // them, so the model in memory predicts exactly as its file does. false: the exact float class
  // frequencies (serialize() still rounds them).
  bool quantise_leaves = true;
};

ForestModel train_forest(const Dataset& train, const ForestParams& params,
                         const TrainOptions& options, TrainReport& report);

}  // namespace digits
