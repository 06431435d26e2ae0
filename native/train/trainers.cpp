#include "train/trainers.h"

namespace digits {

namespace {

std::vector<uint8_t> logreg(const TrainingData& data, const TrainOptions& options,
                            TrainReport& report) {
  return train_logreg(data.train, options, report).serialize();
}

std::vector<uint8_t> forest(const TrainingData& data, const TrainOptions& options,
                            TrainReport& report) {
  return train_forest(data.images, data.labels, options, report).serialize();
}

std::vector<uint8_t> lenet(const TrainingData& data, const TrainOptions& options,
                           TrainReport& report) {
  return train_lenet(data.images, data.labels, data.validation, options, report).serialize();
}

constexpr Trainer kTrainerTable[] = {
    {LogRegModel::kKind, &logreg},
    {ForestModel::kKind, &forest},
    {LeNetModel::kKind, &lenet},
};

}  // namespace

const std::span<const Trainer> kTrainers = kTrainerTable;

const Trainer* find_trainer(ModelKind model) {
  for (const Trainer& t : kTrainers)
    if (t.model == model) return &t;
  return nullptr;
}

}  // namespace digits
