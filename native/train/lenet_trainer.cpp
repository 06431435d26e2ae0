// LeNet-5 training with tiny-dnn (train_lenet of trainers.h).
//
// The loop drives tiny-dnn one minibatch at a time (network::train over exactly one batch) so that
// it can re-augment the data every epoch, schedule the learning rate per step and report a running
// loss. tiny-dnn's train() calls optimizer.reset() on every call, which would wipe Adam's moment
// estimates each batch: PersistentAdam keeps them.
//
// Determinism: the shuffle and every sample's transform come from the seed alone (a sample's
// generator is seeded from (seed, epoch, index), so the thread count does not matter), weights are
// initialised from tiny_dnn::set_random_seed, and tiny-dnn's threaded minibatch keeps one gradient
// slot per sample and sums them in sample order, so the same seed gives the same weights.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/random.h"
#include "train/augment.h"
#include "train/evaluation.h"
#include "train/lenet_network.h"
#include "train/parallel.h"
#include "train/progress.h"
#include "train/trainers.h"

namespace digits {
namespace {

struct PersistentAdam : tiny_dnn::adam {
  void reset() override {}
};

struct LeNetSettings {
  int epochs = 10;
  int batch_size = 128;
  double learning_rate = 1e-4;        // Adam step size at the start
  double final_learning_rate = 1e-4;  // at the last step (cosine decay in between)
  bool augment = false;
  double plain_fraction = 1.0;  // share of samples fed un-augmented each epoch
};

LeNetSettings settings_for(const TrainOptions& options) {
  LeNetSettings s;
  if (options.recipe == Recipe::Improved) {
    // The committed recipe (README "Training"); its training time is recorded, and re-measured
    // by every run, in metrics.json's "training_seconds".
    s.epochs = 20;
    s.batch_size = 64;
    s.learning_rate = 1e-3;
    s.final_learning_rate = 1e-5;
    s.augment = true;
    s.plain_fraction = 1.0 / 3.0;
  }
  if (options.epochs > 0) s.epochs = options.epochs;
  return s;
}

std::string describe(const LeNetSettings& s, PreprocessMode mode) {
  char buf[512];
  const AugmentRanges r;
  std::string augmentation = "no augmentation";
  if (s.augment) {
    char a[256];
    std::snprintf(a, sizeof a,
                  "augmentation on %.0f%% of samples per epoch (rotation +-%g deg, shear +-%g, "
                  "aspect %g-%g, stroke radius -%g..+%g px)",
                  100 * (1 - s.plain_fraction), r.max_rotation_degrees, r.max_shear, r.min_aspect,
                  r.max_aspect, r.max_thin, r.max_thicken);
    augmentation = a;
  }
  if (s.final_learning_rate != s.learning_rate) {
    std::snprintf(buf, sizeof buf, "Adam lr %g cosine-decayed to %g, %d epochs, batch %d, ",
                  s.learning_rate, s.final_learning_rate, s.epochs, s.batch_size);
  } else {
    std::snprintf(buf, sizeof buf, "Adam lr %g, %d epochs, batch %d, ", s.learning_rate, s.epochs,
                  s.batch_size);
  }
  return std::string(buf) + augmentation + ", cross-entropy, preprocessing " +
         preprocess_mode_name(mode);
}

// Fisher-Yates with our own index draw, so the order is the same with every standard library.
void shuffle(std::vector<int>& order, std::mt19937_64& rng) {
  for (size_t i = order.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(rng() % i);
    std::swap(order[i - 1], order[j]);
  }
}

void check_inputs(const IdxImages& images, const IdxLabels& labels, const Dataset& validation) {
  if (images.count <= 0) {
    throw std::runtime_error("LeNet-5 training needs training images, but none were given");
  }
  if (static_cast<int>(labels.labels.size()) != images.count) {
    throw std::runtime_error("LeNet-5 training: " + std::to_string(images.count) + " images but " +
                             std::to_string(labels.labels.size()) +
                             " labels; give one label per image");
  }
  if (images.rows < 1 || images.cols < 1 || images.rows > kAugmentSide ||
      images.cols > kAugmentSide) {
    throw std::runtime_error("LeNet-5 training expects images of at most " +
                             std::to_string(kAugmentSide) + "x" + std::to_string(kAugmentSide) +
                             " pixels (MNIST's are 28x28), got " + std::to_string(images.cols) +
                             "x" + std::to_string(images.rows));
  }
  for (uint8_t y : labels.labels)
    if (y >= kClasses) {
      throw std::runtime_error("LeNet-5 training: a label is " + std::to_string(y) +
                               ", but labels must be digits 0..9");
    }
  if (validation.count > 0 && static_cast<int>(validation.y.size()) != validation.count) {
    throw std::runtime_error("LeNet-5 training: the validation set has no labels");
  }
}

}  // namespace

LeNetModel train_lenet(const IdxImages& images, const IdxLabels& labels, const Dataset& validation,
                       const TrainOptions& options, TrainReport& report) {
  check_inputs(images, labels, validation);
  const auto start = std::chrono::steady_clock::now();
  const LeNetSettings settings = settings_for(options);
  const PreprocessMode mode = options.preprocess_mode();
  const int threads = default_threads(options.threads);
  const int count = images.count;

  // Un-augmented samples are the same every epoch: preprocess them once.
  const Dataset plain = make_dataset(images, labels, mode, threads);

  tiny_dnn::set_random_seed(static_cast<unsigned>(options.seed ^ (options.seed >> 32)));
  LeNetNetwork net = make_lenet_network();
  net.init_weight();
  PersistentAdam optimizer;
  optimizer.alpha = static_cast<tiny_dnn::float_t>(settings.learning_rate);

  std::mt19937_64 shuffle_rng(mix64(options.seed));
  std::vector<int> order(count);
  for (int i = 0; i < count; ++i) order[i] = i;

  // This epoch's inputs, count x kPixels in `order`'s order (ink = 1).
  std::vector<float> epoch_x(static_cast<size_t>(count) * kPixels);
  const int batches = (count + settings.batch_size - 1) / settings.batch_size;
  const long total_steps = static_cast<long>(batches) * settings.epochs;
  long step = 0;
  double last_epoch_loss = 0, best_validation = -1, last_validation = -1;
  std::vector<tiny_dnn::vec_t> batch_x;
  std::vector<tiny_dnn::label_t> batch_y;

  try {
    for (int epoch = 0; epoch < settings.epochs; ++epoch) {
      shuffle(order, shuffle_rng);
      parallel_for(count, threads, [&](long slot) {
        const int i = order[slot];
        float* dst = epoch_x.data() + static_cast<size_t>(slot) * kPixels;
        std::mt19937_64 rng(stream_seed(options.seed, uint64_t(epoch), uint32_t(i)));
        const double draw = unit_double(rng());
        if (settings.augment && draw >= settings.plain_fraction &&
            augmented_example(images, i, rng, mode, {dst, kPixels})) {
          return;
        }
        std::copy(plain.image(i), plain.image(i) + kPixels, dst);
      });

      char label[64];
      std::snprintf(label, sizeof label, "lenet  epoch %d/%d", epoch + 1, settings.epochs);
      ProgressBar bar(label, batches, options.progress);
      double loss_sum = 0;
      long loss_count = 0;
      for (int b = 0; b < batches; ++b, ++step) {
        // Cosine decay per step from learning_rate to final_learning_rate.
        const double progress = total_steps > 1 ? double(step) / double(total_steps - 1) : 0.0;
        optimizer.alpha = static_cast<tiny_dnn::float_t>(
            settings.final_learning_rate +
            0.5 * (settings.learning_rate - settings.final_learning_rate) *
                (1 + std::cos(std::numbers::pi * progress)));
        const int first = b * settings.batch_size;
        const int size = std::min(settings.batch_size, count - first);
        batch_x.resize(size);
        batch_y.resize(size);
        for (int k = 0; k < size; ++k) {
          const float* src = epoch_x.data() + static_cast<size_t>(first + k) * kPixels;
          batch_x[k] = lenet_input({src, kPixels});
          batch_y[k] = labels.labels[order[first + k]];
        }
        net.train<tiny_dnn::cross_entropy_multiclass>(optimizer, batch_x, batch_y, size, 1);

        // The output layer still holds this batch's forward pass (before the update): its
        // cross-entropy is the running loss.
        const std::vector<tiny_dnn::tensor_t> out = net[net.depth() - 1]->output();
        for (int k = 0; k < size && !out.empty() && k < static_cast<int>(out[0].size()); ++k) {
          const double p = std::max<double>(out[0][k][batch_y[k]], 1e-12);
          loss_sum -= std::log(p);
          ++loss_count;
        }
        if (!std::isfinite(loss_sum)) {
          throw std::runtime_error(
              "LeNet-5 training diverged (the loss is not finite); lower the learning rate");
        }
        char extra[64];
        std::snprintf(extra, sizeof extra, "loss %.4f", loss_sum / std::max(1L, loss_count));
        bar.update(b + 1, extra);
      }
      last_epoch_loss = loss_sum / std::max(1L, loss_count);

      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double eta = elapsed / (epoch + 1) * (settings.epochs - epoch - 1);
      char extra[160];
      if (validation.count > 0) {
        last_validation = score_model(export_lenet(net, mode), validation, threads).accuracy;
        best_validation = std::max(best_validation, last_validation);
        std::snprintf(extra, sizeof extra, "loss %.4f  validation %.2f%%  run %s, ETA %s, epoch",
                      last_epoch_loss, 100 * last_validation, format_duration(elapsed).c_str(),
                      format_duration(eta).c_str());
      } else {
        std::snprintf(extra, sizeof extra, "loss %.4f  run %s, ETA %s, epoch", last_epoch_loss,
                      format_duration(elapsed).c_str(), format_duration(eta).c_str());
      }
      bar.finish(extra);
    }
  } catch (const tiny_dnn::nn_error& e) {
    throw std::runtime_error(std::string("LeNet-5 training failed inside tiny-dnn: ") + e.what() +
                             " (this is a bug in the trainer's use of tiny-dnn; please report it)");
  }

  LeNetModel model = export_lenet(net, mode);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.details = {{"epochs", settings.epochs},
                    {"batch_size", settings.batch_size},
                    {"final_train_loss", last_epoch_loss},
                    {"parameters", static_cast<double>(model.parameter_count())}};
  if (validation.count > 0) {
    report.details.emplace_back("final_validation_accuracy", last_validation);
    report.details.emplace_back("best_validation_accuracy", best_validation);
  }
  report.hyperparameters = describe(settings, mode);
  return model;
}

}  // namespace digits
