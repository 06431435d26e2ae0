#include "train/lbfgs.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <vector>

// L-BFGS (Nocedal & Wright, "Numerical Optimization", algorithms 7.4 and 7.5) with the strong-Wolfe
// line search of their algorithms 3.5 and 3.6.

namespace digits {

namespace {

double max_abs(const Eigen::VectorXd& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

constexpr double kArmijo = 1e-4;    // c1: sufficient decrease
constexpr double kCurvature = 0.9;  // c2: strong-Wolfe curvature, loose as usual for quasi-Newton
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

}  // namespace digits
