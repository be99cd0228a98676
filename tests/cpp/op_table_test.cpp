// The op table (gradlab/ops/op_table.def): each row's op records the grad_fn the row names,
// the model language offers exactly the rows it should under their PyTorch spellings, and
// atan (the README's worked example of adding an op) against Debian's PyTorch.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/model/data.hpp"
#include "gradlab/model/functions.hpp"
#include "gradlab/model/model.hpp"
#include "gradlab/model/presets.hpp"
#include "gradlab/ops.hpp"
#include "torch_script.hpp"

using namespace gradlab;

TEST_CASE("every row's op records the grad_fn its row names", "[op_table]") {
  REQUIRE(op_table().size() >= 12);
  for (const op_info& row : op_table()) {
    INFO(row.name);
    Tensor x = Tensor::from_values({0.5, 1.5, 2.5}, {3}, dtype::float64, true);
    Tensor y = row.fn(x);
    REQUIRE(y.grad_fn());
    CHECK(y.grad_fn()->name() == row.grad_fn);
    CHECK(find_op(row.name) == &row);
    CHECK_FALSE(planned_op(row.name));
    CHECK(std::string(row.params) == "input");
  }
  CHECK(find_op("atan"));
  CHECK_FALSE(find_op("tan"));
  CHECK(planned_op("tan"));
}

TEST_CASE("the model language offers the rows under their namespaces", "[op_table][model]") {
  for (const op_info& row : op_table()) {
    INFO(row.name);
    const model::function_info* f = model::find_function(row.name);
    REQUIRE(static_cast<bool>(f) == row.in(ns_model));
    if (!f) continue;
    CHECK(f->method == row.in(ns_tensor));
    CHECK(std::string(f->python) == (row.in(ns_torch) ? "torch." : "F.") + std::string(row.name));
  }
  // a planned name is 'not available yet'; atan, once planned, now compiles
  const auto cols = model::make_columns(model::make_preset("thermometer").data, false);
  try {
    model::compiled_model::compile("loss = tan(w * t_u).mean()", cols, "t_c");
    FAIL("tan compiled");
  } catch (const model::model_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("function 'tan' is not available in this build yet"));
  }
  model::compiled_model m = model::compiled_model::compile(
      "param w = 0.03\nloss = atan(w * t_u).mean() + (w * t_u).atan().sum()", cols, "t_c");
  REQUIRE(m.params().size() == 1);
  const Tensor w = m.params()[0].init.clone().requires_grad_(true);
  std::vector<Tensor> columns;
  Tensor t_u;
  for (const auto& c : cols) {
    columns.push_back(c.second);
    if (c.first == "t_u") t_u = c.second;
  }
  REQUIRE(t_u.defined());
  const Tensor loss = m.loss({w}, columns);
  CHECK(loss.grad_fn()->name() == "AddBackward0");
  const Tensor want = atan(w * t_u).mean() + atan(w * t_u).sum();
  CHECK(want.item() != 0);
  CHECK(loss.item() == want.item());
}

namespace {
std::string hex(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", x);
  return buf;
}

/// atan(x) and d sum(atan(x) * g)/dx from Debian's PyTorch, in the dtype named.
std::vector<double> torch_atan(const std::vector<double>& x, const std::vector<double>& g,
                               const char* dtype) {
  std::string xs, gs;
  for (double v : x) xs += "float.fromhex('" + hex(v) + "'),";
  for (double v : g) gs += "float.fromhex('" + hex(v) + "'),";
  const std::string script = std::string("import torch\n") + "x = torch.tensor([" + xs +
                             "], dtype=torch." + dtype +
                             ", requires_grad=True)\n"
                             "y = torch.atan(x)\n"
                             "assert type(y.grad_fn).__name__ == 'AtanBackward0'\n"
                             "y.backward(torch.tensor([" +
                             gs + "], dtype=torch." + dtype +
                             "))\n"
                             "print(' '.join(v.hex() for v in y.tolist() + x.grad.tolist()))\n";
  std::string out;
  if (!torch_script::run(script, out)) return {};
  std::vector<double> v;
  std::istringstream in(out);
  std::string tok;
  while (in >> tok) v.push_back(std::strtod(tok.c_str(), nullptr));
  INFO(out);
  REQUIRE(v.size() == 2 * x.size());
  return v;
}
}  // namespace

TEST_CASE("atan and its backward against Debian's PyTorch", "[op_table][torch]") {
  // both signs, |x| from tiny to huge, and 37 values so that vector loops have a tail
  std::vector<double> x = {0.0, -0.0, 1e-30, -3e-8, 0.25, -0.5, 1.0, -1.0, 2.0, 1e3, -7e5, 3e20};
  while (x.size() < 37) x.push_back(std::sin(0.7 * static_cast<double>(x.size())) * 6);
  std::vector<double> g(x.size());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = 0.5 + std::cos(static_cast<double>(i));
  for (const char* dt : {"float64", "float32"}) {
    INFO(dt);
    const dtype d = std::string(dt) == "float64" ? dtype::float64 : dtype::float32;
    // the values as the dtype holds them, so that both sides start from the same numbers
    std::vector<double> xd(x), gd(g);
    if (d == dtype::float32)
      for (std::size_t i = 0; i < x.size(); ++i) {
        xd[i] = static_cast<float>(x[i]);
        gd[i] = static_cast<float>(g[i]);
      }
    const std::vector<double> ref = torch_atan(xd, gd, dt);
    if (ref.empty()) WARN("Debian's PyTorch is not importable here: compared in the native build");
    Tensor t = Tensor::from_values(xd, {xd.size()}, d, true);
    Tensor y = t.atan();
    CHECK(y.grad_fn()->name() == "AtanBackward0");
    y.backward(Tensor::from_values(gd, {gd.size()}, d));
    if (ref.empty()) continue;
    const Tensor yv = y.to(dtype::float64), gv = t.grad().to(dtype::float64);
    // forward: the C library's atan against ATen's vectorised (SLEEF, 1-ulp) atan, so at
    // most an ulp apart; backward: grad / (x * x + 1) in the same order, so the same bits
    const double ulp = d == dtype::float64 ? 0x1p-52 : 0x1p-23;
    for (std::size_t i = 0; i < x.size(); ++i) {
      INFO("x = " << hex(xd[i]));
      const double got = yv.data<double>().data()[i], want = ref[i];
      CHECK(std::fabs(got - want) <= ulp * std::fabs(want));
      CHECK(hex(gv.data<double>().data()[i]) == hex(ref[x.size() + i]));
    }
  }
}
