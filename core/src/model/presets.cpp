// The presets: the book's thermometer (ch. 5), a quadratic variant, Rosenbrock, and
// TensorFlow-Playground-like classification sets drawn from gradlab's own rng.
#include "gradlab/model/presets.hpp"

#include <cmath>

#include "gradlab/error.hpp"
#include "gradlab/model/diagnostic.hpp"
#include "gradlab/model/rng.hpp"

namespace gradlab::model {

namespace {

dataset thermometer() {
  dataset d;
  d.name = "thermometer";
  const std::vector<float> t_c = {0.5f, 14.0f, 15.0f, 28.0f, 11.0f, 8.0f,
                                  3.0f, -4.0f, 6.0f,  13.0f, 21.0f};
  const std::vector<float> t_u = {35.7f, 55.9f, 58.2f, 81.9f, 56.3f, 48.9f,
                                  33.9f, 21.8f, 48.4f, 60.4f, 68.4f};
  std::vector<float> t_un(t_u.size());
  for (std::size_t i = 0; i < t_u.size(); ++i)
    t_un[i] = 0.1f * t_u[i];  // float32, as torch computes it
  d.columns = {{"t_u", t_u}, {"t_un", t_un}, {"t_c", t_c}};
  d.target = "t_c";
  d.normalized_by["t_u"] = "t_un";
  return d;
}

const double kPi = 3.14159265358979323846;

// sin/cos from + - * / only (Taylor series after reduction to [-pi, pi]), so that the data
// sets are the same in every build.
double portable_sin(double x) {
  const double two_pi = 2 * kPi;
  x -= two_pi * std::floor(x / two_pi + 0.5);
  double term = x, sum = 0;
  for (int k = 1; k < 40; k += 2) {
    sum += term;
    term *= -x * x / ((k + 1) * (k + 2));
  }
  return sum;
}
double portable_cos(double x) { return portable_sin(x + kPi / 2); }

}  // namespace

dataset classification_data(const std::string& kind, std::size_t n, double noise,
                            std::uint64_t seed) {
  rng r(seed);
  std::vector<float> x1, x2, y;
  auto push = [&](double a, double b, double label) {
    x1.push_back(static_cast<float>(a));
    x2.push_back(static_cast<float>(b));
    y.push_back(static_cast<float>(label));
  };
  if (kind == "circle") {
    const double radius = 5;
    for (std::size_t i = 0; i < n; ++i) {
      const bool inside = i < n / 2;
      const double rr =
          inside ? r.uniform() * radius * 0.5 : radius * 0.7 + r.uniform() * radius * 0.3;
      const double angle = r.uniform() * 2 * kPi;
      const double a = rr * portable_sin(angle) + noise * r.normal(),
                   b = rr * portable_cos(angle) + noise * r.normal();
      push(a, b, inside ? 1 : 0);
    }
  } else if (kind == "xor") {
    for (std::size_t i = 0; i < n; ++i) {
      double a = r.uniform() * 10 - 5, b = r.uniform() * 10 - 5;
      a += a > 0 ? 0.3 : -0.3;
      b += b > 0 ? 0.3 : -0.3;
      // one draw per statement: the order of a call's arguments is unspecified in C++ (g++ and
      // clang differ), and the native and WebAssembly builds must make the same data
      const double na = r.normal();
      const double nb = r.normal();
      push(a + noise * na, b + noise * nb, (a * b >= 0) ? 1 : 0);
    }
  } else if (kind == "gaussian") {
    for (std::size_t i = 0; i < n; ++i) {
      const bool pos = i < n / 2;
      const double c = pos ? 2 : -2;
      const double na = r.normal();  // sequenced draws, as for xor
      const double nb = r.normal();
      push(c + (1 + noise) * na, c + (1 + noise) * nb, pos ? 1 : 0);
    }
  } else if (kind == "spiral") {
    for (std::size_t i = 0; i < n; ++i) {
      const bool pos = i < n / 2;
      const std::size_t k = pos ? i : i - n / 2;
      const double rr = static_cast<double>(k) / static_cast<double>(n / 2) * 5;
      const double t =
          1.75 * static_cast<double>(k) / static_cast<double>(n / 2) * 2 * kPi + (pos ? 0 : kPi);
      const double na = r.normal();  // sequenced draws, as for xor
      const double nb = r.normal();
      push(rr * portable_sin(t) + noise * na, rr * portable_cos(t) + noise * nb, pos ? 1 : 0);
    }
  } else {
    value_error("unknown classification data '" + kind + "' (circle, xor, spiral, gaussian)");
  }
  dataset d;
  d.name = kind;
  d.columns = {{"x1", x1}, {"x2", x2}, {"y", y}};
  d.target = "y";
  d.matrix = "X";
  return d;
}

std::vector<std::string> preset_names() {
  return {"thermometer", "thermometer_quadratic", "rosenbrock", "circle", "xor", "spiral",
          "gaussian"};
}

preset make_preset(const std::string& name, std::uint64_t seed) {
  preset p;
  p.name = name;
  if (name == "thermometer") {
    p.description = "Deep Learning with PyTorch, ch. 5: fit t_c = w * t_u + b";
    p.data = thermometer();
    p.model_text =
        "# thermometer, as in the book\n"
        "param w = 1.0\n"
        "param b = 0.0\n"
        "t_p = w * t_u + b\n"
        "loss = ((t_p - t_c) ** 2).mean()\n";
    p.options.set("lr", 1e-2);
    p.epochs = 5000;
    p.normalize = true;
  } else if (name == "thermometer_quadratic") {
    p.description = "The book's exercise: a quadratic model (on t_un, through input normalisation)";
    p.data = thermometer();
    p.model_text =
        "param w2 = 1.0\n"
        "param w1 = 1.0\n"
        "param b = 0.0\n"
        "t_p = w2 * t_u ** 2 + w1 * t_u + b\n"
        "loss = ((t_p - t_c) ** 2).mean()\n";
    p.options.set("lr", 1e-4);
    p.epochs = 5000;
    p.normalize = true;  // t_u reads t_un, as in the book's exercise
  } else if (name == "rosenbrock") {
    p.description = "Rosenbrock's banana valley: minimum at (1, 1)";
    p.model_text =
        "param x = -1.5\n"
        "param y = 2.0\n"
        "loss = (1 - x) ** 2 + 100 * (y - x * x) ** 2\n";
    p.options.set("lr", 1e-3);
    p.epochs = 2000;
  } else if (name == "circle" || name == "xor" || name == "spiral" || name == "gaussian") {
    p.description = "2-D classification (" + name + "), a 2-16-16-1 tanh MLP with BCE-with-logits";
    p.data = classification_data(name, 200, name == "spiral" ? 0.1 : 0.25, seed);
    p.model_text =
        "param W1[16, 2] = randn(std=0.5, seed=1)\n"
        "param b1[16] = zeros\n"
        "param W2[16, 16] = randn(std=0.25, seed=2)\n"
        "param b2[16] = zeros\n"
        "param W3[1, 16] = randn(std=0.25, seed=3)\n"
        "param b3[1] = zeros\n"
        "h = tanh(linear(X, W1, b1))\n"
        "h = tanh(linear(h, W2, b2))\n"
        "logits = linear(h, W3, b3)[:, 0]\n"
        "loss = binary_cross_entropy_with_logits(logits, y)\n";
    p.optimizer = "Adam";
    p.options.set("lr", 1e-2);
    p.epochs = 500;
  } else {
    value_error("unknown preset '" + name + "'." +
                (did_you_mean(name, preset_names()).empty()
                     ? ""
                     : " Did you mean '" + did_you_mean(name, preset_names()) + "'?"));
  }
  return p;
}

}  // namespace gradlab::model
