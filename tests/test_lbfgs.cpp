// L-BFGS with its strong-Wolfe line search (train/lbfgs.h), on functions whose minimum is known:
// convergence, the counts it reports, and stopping cleanly when no step can decrease f.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "train/lbfgs.h"

namespace digits {
namespace {

// sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, minimum 0 at all ones; a curved valley that needs
// a working line search and curvature pairs.
double rosenbrock(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
  double f = 0;
  g.setZero(x.size());
  for (int i = 0; i + 1 < x.size(); ++i) {
    const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
    f += 100 * a * a + b * b;
    g[i] += -400 * a * x[i] - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
}

// 1/2 sum_i 10^i (x_i - 1)^2: convex, badly scaled (1 .. 10^(n-1)), minimum 0 at all ones.
double scaled_bowl(const Eigen::VectorXd& x, Eigen::VectorXd& g) {
  double f = 0;
  g.resize(x.size());
  for (int i = 0; i < x.size(); ++i) {
    const double scale = std::pow(10.0, i), d = x[i] - 1;
    f += 0.5 * scale * d * d;
    g[i] = scale * d;
  }
  return f;
}

TEST(Lbfgs, MinimisesRosenbrock) {
  Eigen::VectorXd x(6);
  x << -1.2, 1.0, -1.2, 1.0, -1.2, 1.0;
  LbfgsOptions options;
  options.relative_tolerance = 1e-10;
  const LbfgsResult result = minimize_lbfgs(rosenbrock, x, options);
  EXPECT_TRUE(result.converged);
  EXPECT_LT(result.iterations, 200);
  for (int i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], 1.0, 1e-6);
  EXPECT_LT(result.objective, 1e-12);
}

TEST(Lbfgs, MinimisesAConvexQuadraticAndReportsWhatItDid) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(5);
  Eigen::VectorXd g;
  const double initial_gradient = (scaled_bowl(x, g), g.cwiseAbs().maxCoeff());
  LbfgsOptions options;
  options.relative_tolerance = 1e-9;
  std::vector<LbfgsProgress> seen;
  const LbfgsResult result =
      minimize_lbfgs(scaled_bowl, x, options, [&](const LbfgsProgress& p) { seen.push_back(p); });

  EXPECT_TRUE(result.converged);
  for (int i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], 1.0, 1e-6) << i;
  // The figures it reports are those of the point it returns.
  const double f = scaled_bowl(x, g);
  EXPECT_EQ(result.objective, f);
  EXPECT_EQ(result.gradient_max_abs, g.cwiseAbs().maxCoeff());
  EXPECT_LE(result.gradient_max_abs, options.relative_tolerance * initial_gradient);
  EXPECT_GT(result.iterations, 0);
  EXPECT_GE(result.evaluations, result.iterations + 1);  // the start, then >= 1 per iteration

  // One report per iteration, numbered from 1, ending at the result.
  ASSERT_EQ(int(seen.size()), result.iterations);
  for (size_t k = 0; k < seen.size(); ++k) {
    EXPECT_EQ(seen[k].iteration, int(k) + 1);
    EXPECT_EQ(seen[k].initial_gradient_max_abs, initial_gradient);
  }
  EXPECT_EQ(seen.back().objective, result.objective);
  EXPECT_EQ(seen.back().evaluations, result.evaluations);
}

TEST(Lbfgs, StartingAtTheMinimumTakesNoStep) {
  Eigen::VectorXd x = Eigen::VectorXd::Ones(4);
  const LbfgsResult result = minimize_lbfgs(scaled_bowl, x, LbfgsOptions{});
  EXPECT_TRUE(result.converged);
  EXPECT_EQ(result.iterations, 0);
  EXPECT_EQ(result.evaluations, 1);
  EXPECT_EQ(x, Eigen::VectorXd::Ones(4));
}

TEST(Lbfgs, StopsAtTheIterationCap) {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(7);
  LbfgsOptions options;
  options.max_iterations = 3;
  options.relative_tolerance = 1e-12;
  const LbfgsResult result = minimize_lbfgs(scaled_bowl, x, options);
  EXPECT_FALSE(result.converged);
  EXPECT_EQ(result.iterations, 3);
}

TEST(Lbfgs, GradientThatIsNotADescentDirectionStopsCleanly) {
  // f = |x|^2 with the gradient's sign flipped: every step along "-gradient" goes uphill, so the
  // line search finds no decrease even along the steepest descent, and the solver gives up
  // without moving, within the line search's evaluation budget.
  const Objective wrong_sign = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = -2 * x;
    return x.squaredNorm();
  };
  Eigen::VectorXd x = Eigen::VectorXd::Constant(3, 2.0);
  const LbfgsResult result = minimize_lbfgs(wrong_sign, x, LbfgsOptions{});
  EXPECT_FALSE(result.converged);
  EXPECT_EQ(result.iterations, 0);
  EXPECT_EQ(x, Eigen::VectorXd::Constant(3, 2.0));
  EXPECT_EQ(result.objective, 12.0);
  EXPECT_EQ(result.gradient_max_abs, 4.0);
  EXPECT_GT(result.evaluations, 1);
  EXPECT_LE(result.evaluations, 1 + 40);
}

TEST(Lbfgs, InfiniteValuesAreTooFarAndAFailedLineSearchStopsCleanly) {
  // f = -x up to a wall at x = 10, +infinity beyond. The line search grows its step (1, 4, 16),
  // treats the infinite value at 16 as "too far" and comes back to 10; from there every step
  // lands beyond the wall, the search runs out of evaluations without a decrease, and the
  // solver stops at the wall instead of returning a non-finite point.
  const Objective wall = [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = Eigen::VectorXd::Constant(1, -1.0);
    return x[0] <= 10 ? -x[0] : std::numeric_limits<double>::infinity();
  };
  Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
  const LbfgsResult result = minimize_lbfgs(wall, x, LbfgsOptions{});
  EXPECT_FALSE(result.converged);
  EXPECT_EQ(x[0], 10.0);
  EXPECT_EQ(result.objective, -10.0);
  EXPECT_EQ(result.iterations, 1);
}

}  // namespace
}  // namespace digits
