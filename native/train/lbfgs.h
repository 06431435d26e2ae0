// L-BFGS with a strong-Wolfe line search: minimises a smooth function of a vector of doubles
// given its value and gradient. The logistic-regression trainer (logreg_trainer.h) is its user;
// nothing in it knows about digits.
//
// Usage:
//   const Objective f = [](const Eigen::VectorXd& x, Eigen::VectorXd& gradient) {
//     gradient = 2 * x;  // resized by the objective
//     return x.squaredNorm();
//   };
//   Eigen::VectorXd x = Eigen::VectorXd::Ones(5);  // the start, updated in place
//   const LbfgsResult result = minimize_lbfgs(f, x, LbfgsOptions{});
//   // result.converged, result.iterations, result.gradient_max_abs, x near 0
#pragma once

#include <functional>

#include <Eigen/Core>

namespace digits {

struct LbfgsOptions {
  int memory = 10;  // (s, y) pairs kept
  int max_iterations = 2000;
  // Converged when max |gradient| <= relative_tolerance * max |gradient at the start|.
  double relative_tolerance = 1e-7;
};

struct LbfgsProgress {
  int iteration = 0;
  int evaluations = 0;
  double objective = 0;
  double gradient_max_abs = 0;
  double initial_gradient_max_abs = 0;
};

struct LbfgsResult {
  int iterations = 0;
  int evaluations = 0;
  double objective = 0;
  double gradient_max_abs = 0;
  bool converged = false;  // false when max_iterations ran out or the line search stalled
};

// f(x, gradient) returns the value at x and writes the gradient (same size as x).
using Objective = std::function<double(const Eigen::VectorXd&, Eigen::VectorXd&)>;

// Minimises f from x (updated in place) with L-BFGS and a strong-Wolfe line search
// (c1 = 1e-4, c2 = 0.9). `on_iteration` (may be empty) is called after every iteration.
LbfgsResult minimize_lbfgs(const Objective& f, Eigen::VectorXd& x, const LbfgsOptions& options,
                           const std::function<void(const LbfgsProgress&)>& on_iteration = {});

}  // namespace digits
