// The pieces of the logistic-regression trainer, exposed for tests and for callers that want to
// cap the solver (train_logreg in trainers.h uses the defaults below).
//
// Parameters theta are one vector of kClasses * kPixels + kClasses doubles:
//   theta[0 .. 7840)      W[10][784] row-major
//   theta[7840 .. 7850)   b[10]
//
// Usage:
//   LogRegObjective objective(train, 1.0, default_threads());
//   Eigen::VectorXd theta = Eigen::VectorXd::Zero(LogRegObjective::kParameters), grad;
//   double f = objective.evaluate(theta, grad);
#pragma once

#include <vector>

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include "train/lbfgs.h"
#include "train/trainers.h"

namespace digits {

// scikit-learn's LogisticRegression(C, multinomial) objective:
//   f(W, b) = 1/2 ||W||^2 + C * sum_i CE_i,   CE_i = logsumexp(W x_i + b) - (W x_i + b)[y_i]
// summed (not averaged) over every sample; the bias is not penalised.
class LogRegObjective {
 public:
  static constexpr int kParameters = kClasses * kPixels + kClasses;

  // Copies `data` (its nonzero pixels and its labels). `threads` workers split the samples in
  // fixed chunks whose partial sums are added in chunk order, so the result does not depend on
  // the thread count.
  LogRegObjective(const Dataset& data, double C, int threads);

  // Returns f(theta) and writes its gradient (kParameters doubles) to `gradient`.
  double evaluate(const Eigen::VectorXd& theta, Eigen::VectorXd& gradient) const;

 private:
  // A chunk of samples: rows x 784, only the nonzero pixels (as doubles).
  using SparseRows = Eigen::SparseMatrix<double, Eigen::RowMajor, int>;
  double C_;
  int threads_;
  std::vector<uint8_t> labels_;
  std::vector<SparseRows> chunks_;
};

// train_logreg with explicit solver options (tests cap max_iterations to stay fast).
LogRegModel train_logreg(const Dataset& train, const TrainOptions& options,
                         const LbfgsOptions& solver, TrainReport& report);

}  // namespace digits
