#include "train/logreg_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "train/lbfgs.h"
#include "train/parallel.h"
#include "train/progress.h"

namespace digits {

namespace {

// Samples per work unit of the objective. Fixed (not derived from the thread count) so that the
// floating-point summation order, and hence the trained weights, are the same for any number of
// threads.
constexpr int kChunkRows = 1024;

using WeightsD = Eigen::Matrix<double, kClasses, kPixels, Eigen::RowMajor>;
using WeightsT = Eigen::Matrix<double, kPixels, kClasses, Eigen::RowMajor>;
using RowsByClasses = Eigen::Matrix<double, Eigen::Dynamic, kClasses, Eigen::RowMajor>;

}  // namespace

// ---------------------------------------------------------------------------------------------
// The objective

LogRegObjective::LogRegObjective(const Dataset& data, double C, int threads)
    : C_(C), threads_(std::max(1, threads)), labels_(data.y) {
  // Preprocessed digits are about 75% background zeros (150-200 of 784 pixels carry ink), so the
  // products below run on sparse chunks: four times fewer multiplications than dense ones.
  const int chunks = (data.count + kChunkRows - 1) / kChunkRows;
  chunks_.resize(chunks);
  for (int c = 0; c < chunks; ++c) {
    const int start = c * kChunkRows;
    const int rows = std::min(kChunkRows, data.count - start);
    SparseRows& chunk = chunks_[c];
    chunk.resize(rows, kPixels);
    chunk.reserve(std::count_if(data.image(start),
                                data.image(start) + static_cast<size_t>(rows) * kPixels,
                                [](float v) { return v != 0.0f; }));
    for (int i = 0; i < rows; ++i) {
      chunk.startVec(i);
      const float* image = data.image(start + i);
      for (int j = 0; j < kPixels; ++j) {
        if (image[j] != 0.0f) chunk.insertBack(i, j) = image[j];
      }
    }
    chunk.finalize();
  }
}

double LogRegObjective::evaluate(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const {
  Eigen::Map<const WeightsD> W(theta.data());
  Eigen::Map<const Eigen::Matrix<double, kClasses, 1>> b(theta.data() + kClasses * kPixels);
  // W transposed and row-major, so that each nonzero pixel adds one contiguous row of 10 weights.
  const WeightsT w_transposed = W.transpose();

  // Per chunk: its cross-entropy sum and the gradient of that sum, [dW^T (784x10 row-major) | db].
  const int chunks = static_cast<int>(chunks_.size());
  std::vector<double> chunk_loss(chunks, 0.0);
  Eigen::MatrixXd chunk_gradient(kParameters, chunks);

  parallel_for(chunks, threads_, [&](long c) {
    const SparseRows& x = chunks_[c];
    const int start = static_cast<int>(c) * kChunkRows;
    RowsByClasses p = x * w_transposed;  // logits, then softmax(logits) - onehot(y): rows x 10
    p.rowwise() += b.transpose();

    double loss = 0.0;
    for (int i = 0; i < p.rows(); ++i) {
      auto row = p.row(i);
      const double largest = row.maxCoeff();
      const double log_sum_exp = largest + std::log((row.array() - largest).exp().sum());
      const int label = labels_[start + i];
      loss += log_sum_exp - row(label);
      row = (row.array() - log_sum_exp).exp();
      row(label) -= 1.0;
    }
    chunk_loss[c] = loss;
    Eigen::Map<WeightsT> dW_transposed(chunk_gradient.col(c).data());
    dW_transposed.noalias() = x.transpose() * p;
    chunk_gradient.col(c).tail<kClasses>() = p.colwise().sum().transpose();
  });

  double loss = 0.0;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(kParameters);
  for (int c = 0; c < chunks; ++c) {
    loss += chunk_loss[c];
    sum += chunk_gradient.col(c);
  }
  gradient.resize(kParameters);
  Eigen::Map<WeightsD>(gradient.data()) =
      W + C_ * Eigen::Map<const WeightsT>(sum.data()).transpose();
  gradient.tail<kClasses>() = C_ * sum.tail<kClasses>();
  return 0.5 * theta.head<kClasses * kPixels>().squaredNorm() + C_ * loss;
}

// ---------------------------------------------------------------------------------------------
// The trainer

namespace {

void check_dataset(const Dataset& train) {
  if (train.count <= 0) {
    throw std::invalid_argument("cannot train logistic regression on an empty training set");
  }
  if (train.y.size() != static_cast<size_t>(train.count) ||
      train.x.size() != static_cast<size_t>(train.count) * kPixels) {
    throw std::invalid_argument("the training set is inconsistent: " + std::to_string(train.count) +
                                " images but " + std::to_string(train.y.size()) + " labels and " +
                                std::to_string(train.x.size()) +
                                " pixel values; load the images with their labels");
  }
  for (int i = 0; i < train.count; ++i) {
    if (train.y[i] >= kClasses) {
      throw std::invalid_argument("training label " + std::to_string(i) + " is " +
                                  std::to_string(train.y[i]) + ", outside the digits 0-9");
    }
  }
}

std::string format_fixed(const char* format, double a, double b) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, format, a, b);
  return buffer;
}

}  // namespace

LogRegModel train_logreg(const Dataset& train, const TrainOptions& options, TrainReport& report) {
  return train_logreg(train, options, LbfgsOptions{}, report);
}

LogRegModel train_logreg(const Dataset& train, const TrainOptions& options,
                         const LbfgsOptions& solver, TrainReport& report) {
  check_dataset(train);
  constexpr double C = 1.0;
  const auto start = std::chrono::steady_clock::now();

  LogRegObjective objective(train, C, default_threads(options.threads));
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(LogRegObjective::kParameters);

  // The bar measures the gradient's progress towards the tolerance on a log scale (L-BFGS has no
  // fixed number of steps); the iteration count is in the text.
  constexpr long kBarUnits = 1000;
  ProgressBar bar(model_id(LogRegModel::kKind), kBarUnits, options.progress);
  long bar_done = 0;
  const double decades_to_go = -std::log10(solver.relative_tolerance);
  auto on_iteration = [&](const LbfgsProgress& p) {
    if (p.gradient_max_abs > 0 && p.initial_gradient_max_abs > 0) {
      const double decades = std::log10(p.initial_gradient_max_abs / p.gradient_max_abs);
      // 100% is left to finish(), which says whether the solver converged.
      bar_done = std::max(
          bar_done, std::lround((kBarUnits - 1) * std::clamp(decades / decades_to_go, 0.0, 1.0)));
    }
    bar.update(bar_done,
               "iter " + std::to_string(p.iteration) +
                   format_fixed("  f %.6e  max|g| %.2e", p.objective, p.gradient_max_abs));
  };

  const LbfgsResult result = minimize_lbfgs(
      [&](const Eigen::VectorXd& t, Eigen::VectorXd& g) { return objective.evaluate(t, g); }, theta,
      solver, on_iteration);
  bar.finish("iter " + std::to_string(result.iterations) +
             format_fixed("  f %.6e  max|g| %.2e", result.objective, result.gradient_max_abs) +
             (result.converged ? "  converged" : "  NOT converged"));

  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.details = {
      {"iterations", result.iterations},
      {"final_gradient_norm", result.gradient_max_abs},
      {"final_objective", result.objective},
      {"converged", result.converged ? 1.0 : 0.0},
      {"function_evaluations", result.evaluations},
  };
  char hyper[160];
  std::snprintf(hyper, sizeof hyper,
                "C=1.0 (sum of cross-entropies + 1/2 ||W||^2, bias unpenalised), L-BFGS m=%d, "
                "strong Wolfe, stop at max|grad| <= %.0e x initial or %d iterations",
                solver.memory, solver.relative_tolerance, solver.max_iterations);
  report.hyperparameters = hyper;

  const LogRegModel::Weights w = Eigen::Map<const WeightsD>(theta.data()).cast<float>();
  const LogRegModel::Bias b = theta.tail<kClasses>().cast<float>();
  return LogRegModel(w, b, options.preprocess_mode());
}

}  // namespace digits
