#include "train/logreg_trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <limits>
#include <stdexcept>
#include <thread>

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

double max_abs(const Eigen::VectorXd& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

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
    chunk.reserve(std::count_if(data.image(start), data.image(start) + static_cast<size_t>(rows) * kPixels,
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
// L-BFGS (Nocedal & Wright, "Numerical Optimization", algorithms 7.4 and 7.5) with the strong-Wolfe
// line search of their algorithms 3.5 and 3.6.

namespace {

constexpr double kArmijo = 1e-4;     // c1: sufficient decrease
constexpr double kCurvature = 0.9;   // c2: strong-Wolfe curvature, loose as usual for quasi-Newton
constexpr int kMaxLineSearchEvaluations = 40;

// A point along the search direction: step length, value, directional derivative, and the full
// value/gradient so the accepted point need not be evaluated again.
struct LinePoint {
  double step = 0, value = 0, slope = 0;
  Eigen::VectorXd gradient;
};

// Minimiser of the cubic through (a, fa, da) and (b, fb, db), kept inside the middle 80% of
// [a, b] so that zoom always shrinks the interval; bisection when the cubic has no minimiser.
double interpolate_step(const LinePoint& a, const LinePoint& b) {
  const double lo = std::min(a.step, b.step), hi = std::max(a.step, b.step);
  const double margin = 0.1 * (hi - lo);
  const double d1 = a.slope + b.slope - 3.0 * (a.value - b.value) / (a.step - b.step);
  const double discriminant = d1 * d1 - a.slope * b.slope;
  double t = 0.5 * (lo + hi);
  if (discriminant >= 0) {
    const double d2 = std::copysign(std::sqrt(discriminant), b.step - a.step);
    const double candidate =
        b.step - (b.step - a.step) * (b.slope + d2 - d1) / (b.slope - a.slope + 2.0 * d2);
    if (std::isfinite(candidate)) t = candidate;
  }
  return std::clamp(t, lo + margin, hi - margin);
}

class LineSearch {
 public:
  LineSearch(const Objective& f, const Eigen::VectorXd& x, const Eigen::VectorXd& direction,
             double value, double slope, int& evaluations)
      : f_(f), x_(x), direction_(direction), evaluations_(evaluations) {
    origin_.value = value;
    origin_.slope = slope;
  }

  // Returns true with `accepted` set to a point satisfying the strong Wolfe conditions; false when
  // none was found within the evaluation budget (rounding noise near the optimum, usually). When
  // it fails, `accepted` still holds the best sufficient-decrease point if there was one.
  bool run(double initial_step, LinePoint& accepted, bool& decreased) {
    decreased = false;
    LinePoint previous = origin_;
    double step = initial_step;
    for (int i = 0; evaluations_used_ < kMaxLineSearchEvaluations; ++i) {
      LinePoint current = probe(step);
      if (!std::isfinite(current.value)) {
        // Overshot into overflow: treat it as "too far" and zoom back.
        step = 0.5 * (previous.step + step);
        continue;
      }
      if (current.value > origin_.value + kArmijo * step * origin_.slope ||
          (i > 0 && current.value >= previous.value)) {
        return zoom(previous, current, accepted, decreased);
      }
      remember(current, accepted, decreased);
      if (std::abs(current.slope) <= -kCurvature * origin_.slope) return true;
      if (current.slope >= 0) return zoom(current, previous, accepted, decreased);
      previous = std::move(current);
      step *= 4.0;
    }
    return false;
  }

 private:
  LinePoint probe(double step) {
    LinePoint p;
    p.step = step;
    p.value = f_(x_ + step * direction_, p.gradient);
    p.slope = p.gradient.dot(direction_);
    ++evaluations_;
    ++evaluations_used_;
    return p;
  }

  // Keeps the lowest point that satisfies sufficient decrease, as a fallback.
  void remember(const LinePoint& p, LinePoint& best, bool& decreased) {
    if (p.value <= origin_.value + kArmijo * p.step * origin_.slope &&
        (!decreased || p.value < best.value)) {
      best = p;
      decreased = true;
    }
  }

  // `low` satisfies sufficient decrease and has the lower value; the minimiser lies between it
  // and `high`.
  bool zoom(LinePoint low, LinePoint high, LinePoint& accepted, bool& decreased) {
    while (evaluations_used_ < kMaxLineSearchEvaluations) {
      if (std::abs(high.step - low.step) <= 1e-16 * std::max(1.0, std::abs(low.step))) break;
      LinePoint trial = probe(interpolate_step(low, high));
      if (!std::isfinite(trial.value) ||
          trial.value > origin_.value + kArmijo * trial.step * origin_.slope ||
          trial.value >= low.value) {
        high = std::move(trial);
        continue;
      }
      remember(trial, accepted, decreased);
      if (std::abs(trial.slope) <= -kCurvature * origin_.slope) return true;
      if (trial.slope * (high.step - low.step) >= 0) high = low;
      low = std::move(trial);
    }
    return false;
  }

  const Objective& f_;
  const Eigen::VectorXd& x_;
  const Eigen::VectorXd& direction_;
  int& evaluations_;
  int evaluations_used_ = 0;
  LinePoint origin_;
};

}  // namespace

LbfgsResult minimize_lbfgs(const Objective& f, Eigen::VectorXd& x, const LbfgsOptions& options,
                           const std::function<void(const LbfgsProgress&)>& on_iteration) {
  LbfgsResult result;
  Eigen::VectorXd gradient;
  double value = f(x, gradient);
  result.evaluations = 1;
  const double initial_gradient = max_abs(gradient);
  const double tolerance = options.relative_tolerance * initial_gradient;

  // The memory: s = x_{k+1} - x_k, y = g_{k+1} - g_k, rho = 1 / (y . s), newest at the back.
  struct Pair {
    Eigen::VectorXd s, y;
    double rho;
  };
  std::deque<Pair> memory;
  std::vector<double> alpha(std::max(1, options.memory));

  auto report = [&] {
    result.objective = value;
    result.gradient_max_abs = max_abs(gradient);
    if (on_iteration) {
      on_iteration({result.iterations, result.evaluations, value, result.gradient_max_abs,
                    initial_gradient});
    }
  };

  Eigen::VectorXd direction;
  while (true) {
    result.objective = value;
    result.gradient_max_abs = max_abs(gradient);
    if (result.gradient_max_abs <= tolerance) {
      result.converged = true;
      break;
    }
    if (result.iterations >= options.max_iterations) break;

    // Two-loop recursion: direction = -H g, with H0 = (s.y / y.y) I from the newest pair.
    direction = gradient;
    for (int i = static_cast<int>(memory.size()) - 1; i >= 0; --i) {
      alpha[i] = memory[i].rho * memory[i].s.dot(direction);
      direction -= alpha[i] * memory[i].y;
    }
    double initial_step = 1.0;
    if (!memory.empty()) {
      const Pair& newest = memory.back();
      direction *= 1.0 / (newest.rho * newest.y.squaredNorm());
    } else {
      // No curvature known yet: a first step of unit length along the steepest descent.
      initial_step = 1.0 / std::max(gradient.norm(), std::numeric_limits<double>::min());
    }
    for (size_t i = 0; i < memory.size(); ++i) {
      const double beta = memory[i].rho * memory[i].y.dot(direction);
      direction += (alpha[i] - beta) * memory[i].s;
    }
    direction = -direction;
    double slope = gradient.dot(direction);
    if (!(slope < 0)) {
      // Not a descent direction (lost curvature information): restart from steepest descent.
      memory.clear();
      direction = -gradient;
      slope = -gradient.squaredNorm();
      initial_step = 1.0 / std::max(gradient.norm(), std::numeric_limits<double>::min());
    }

    LinePoint accepted;
    bool decreased = false;
    LineSearch search(f, x, direction, value, slope, result.evaluations);
    const bool wolfe = search.run(initial_step, accepted, decreased);
    if (!decreased) {
      if (memory.empty()) break;  // even steepest descent cannot decrease f: rounding floor
      memory.clear();             // retry this iteration along the steepest descent
      continue;
    }

    Pair pair{accepted.step * direction, accepted.gradient - gradient, 0.0};
    x += pair.s;
    value = accepted.value;
    gradient = std::move(accepted.gradient);
    ++result.iterations;

    // Only pairs with positive curvature keep H positive definite; the Wolfe conditions
    // guarantee it, an Armijo-only fallback step may not.
    const double ys = pair.y.dot(pair.s);
    if (ys > 1e-12 * pair.y.squaredNorm() && (wolfe || ys > 0)) {
      pair.rho = 1.0 / ys;
      memory.push_back(std::move(pair));
      if (static_cast<int>(memory.size()) > options.memory) memory.pop_front();
    }
    report();
  }
  return result;
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
    throw std::invalid_argument(
        "the training set is inconsistent: " + std::to_string(train.count) + " images but " +
        std::to_string(train.y.size()) + " labels and " + std::to_string(train.x.size()) +
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
  ProgressBar bar("logreg", kBarUnits, options.progress);
  long bar_done = 0;
  const double decades_to_go = -std::log10(solver.relative_tolerance);
  auto on_iteration = [&](const LbfgsProgress& p) {
    if (p.gradient_max_abs > 0 && p.initial_gradient_max_abs > 0) {
      const double decades = std::log10(p.initial_gradient_max_abs / p.gradient_max_abs);
      // 100% is left to finish(), which says whether the solver converged.
      bar_done = std::max(bar_done, std::lround((kBarUnits - 1) * std::clamp(decades / decades_to_go, 0.0, 1.0)));
    }
    bar.update(bar_done, "iter " + std::to_string(p.iteration) +
                             format_fixed("  f %.6e  max|g| %.2e", p.objective, p.gradient_max_abs));
  };

  const LbfgsResult result = minimize_lbfgs(
      [&](const Eigen::VectorXd& t, Eigen::VectorXd& g) { return objective.evaluate(t, g); },
      theta, solver, on_iteration);
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

  const LogRegModel::Weights w =
      Eigen::Map<const WeightsD>(theta.data()).cast<float>();
  const LogRegModel::Bias b = theta.tail<kClasses>().cast<float>();
  return LogRegModel(w, b, options.preprocess_mode());
}

}  // namespace digits
