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

namespace {
Tensor vec(std::vector<double> v, bool grad = true) {
  const std::size_t n = v.size();
  return Tensor::from_values(std::move(v), {n}, dtype::float64, grad);
}
Tensor mat(std::vector<double> v, std::size_t r, std::size_t c, bool grad = true) {
  return Tensor::from_values(std::move(v), {r, c}, dtype::float64, grad);
}
op_arg T(Tensor t) { return op_arg::of_tensor(std::move(t)); }
std::vector<double> values(const Tensor& t) {
  const auto& d = t.to(dtype::float64).data<double>();
  return std::vector<double>(d.begin(), d.end());
}

/// Each row's required arguments for a call with the defaults (by the row's name; a row
/// without an entry here fails the test below).
std::vector<op_arg> sample_args(const std::string& name) {
  const Tensor x = vec({0.5, 1.5, 2.5});
  const Tensor m = mat({0.5, 1.5, 2.5, -1.0, 0.25, 2.0}, 2, 3);
  if (find_op(name)->fn) return {T(x)};
  if (name == "add" || name == "sub" || name == "mul" || name == "div" || name == "maximum" ||
      name == "dot")
    return {T(x), T(vec({1.0, -2.0, 3.0}))};
  if (name == "pow") return {T(x), op_arg::of_real(2.0)};
  if (name == "clamp" || name == "clip") return {T(x), op_arg::of_real(1.0)};
  if (name == "leaky_relu" || name == "elu" || name == "gelu" || name == "softplus" ||
      name == "sum" || name == "mean" || name == "max" || name == "min" || name == "t")
    return {T(x)};
  if (name == "softmax" || name == "log_softmax" || name == "unsqueeze")
    return {T(x), op_arg::of_int(0)};
  if (name == "squeeze") return {T(mat({1.0, 2.0, 3.0}, 1, 3)), op_arg::of_int(0)};
  if (name == "matmul" || name == "mm") return {T(m), T(mat({1, 2, 3, 4, 5, 6}, 3, 2))};
  if (name == "mv") return {T(m), T(x)};
  if (name == "addmm") return {T(vec({1.0, 2.0})), T(m), T(mat({1, 2, 3, 4, 5, 6}, 3, 2))};
  if (name == "linear") return {T(m), T(mat({1, 2, 3, 4, 5, 6}, 2, 3))};
  if (name == "transpose") return {T(m), op_arg::of_int(0), op_arg::of_int(1)};
  if (name == "reshape") return {T(m), op_arg::of_ints({3, 2})};
  if (name == "select") return {T(m), op_arg::of_int(1), op_arg::of_int(0)};
  if (name == "mse_loss" || name == "l1_loss" || name == "huber_loss")
    return {T(x), T(vec({1.0, 1.0, 1.0}, false))};
  if (name == "binary_cross_entropy" || name == "binary_cross_entropy_with_logits")
    return {T(vec({0.25, 0.5, 0.75})), T(vec({0.0, 1.0, 1.0}, false))};
  if (name == "cross_entropy") return {T(m), T(vec({2.0, 0.0}, false))};
  return {};
}
}  // namespace

TEST_CASE("every row's op records the grad_fn its row names", "[op_table]") {
  REQUIRE(op_table().size() >= 48);
  for (const op_info& row : op_table()) {
    INFO(row.name);
    REQUIRE(row.call);
    const std::vector<op_arg> args = sample_args(row.name);
    REQUIRE_FALSE(args.empty());
    const Tensor y = call_op(row, args);
    REQUIRE(y.grad_fn());
    CHECK(y.grad_fn()->name() == row.grad_fn);
    CHECK(find_op(row.name) == &row);
    CHECK_FALSE((planned_op(row.name) && row.in(ns_model)));
    if (row.fn) {
      CHECK(std::string(row.params) == "input");
      CHECK(row.fn(args[0].t).grad_fn()->name() == row.grad_fn);
    }
  }
  CHECK(find_op("atan"));
  CHECK_FALSE(find_op("tan"));
  CHECK(planned_op("tan"));
}

TEST_CASE("bind_op_args: the defaults PARAMS gives, Python's TypeErrors", "[op_table]") {
  const op_info& sum = *find_op("sum");
  const Tensor x = vec({1.0, 2.0, 3.0});
  std::vector<op_arg> a = bind_op_args(sum, {T(x)}, {});
  REQUIRE(a.size() == 3);
  CHECK(a[1].is_none());
  CHECK((a[2].kind == op_arg::boolean && !a[2].b));
  a = bind_op_args(sum, {T(x)}, {{"keepdim", op_arg::of_bool(true)}, {"dim", op_arg::of_int(0)}});
  CHECK((a[1].kind == op_arg::integer && a[1].i == 0 && a[2].b));
  CHECK(call_op(sum, {T(x), op_arg::of_int(0)}).grad_fn()->name() == "SumBackward1");
  const op_info& add = *find_op("add");
  CHECK(bind_op_args(add, {T(x), T(x)}, {})[2].i == 1);  // alpha=1
  // a number operand is a wrapped scalar, on either side (as Python's operators take it)
  const Tensor y = call_op(add, {T(x), op_arg::of_real(2.0)}, {{"alpha", op_arg::of_int(3)}});
  CHECK(values(y) == std::vector<double>{7.0, 8.0, 9.0});
  const Tensor z = call_op(add, {op_arg::of_real(2.0), T(x)}, {{"alpha", op_arg::of_int(3)}});
  CHECK(values(z) == std::vector<double>{5.0, 8.0, 11.0});
  CHECK(y.dtype() == dtype::float64);
}

TEST_CASE("bad arguments: PyTorch's TypeError texts (Debian's PyTorch)", "[op_table][torch]") {
  // the same calls in PyTorch and through bind_op_args + the row's adapter
  const char* script =
      "import torch, torch.nn.functional as F\n"
      "x = torch.ones(3)\n"
      "calls = [lambda: F.mse_loss(x), lambda: F.mse_loss(x, x, 1, 2, 3, 4),\n"
      "         lambda: F.mse_loss(x, x, foo=1), lambda: F.mse_loss(x, target=x, input=x),\n"
      "         lambda: torch.maximum(x, 0.5), lambda: F.mse_loss(x, x, reduction=1.5),\n"
      "         lambda: torch.clamp(x), lambda: torch.softmax(x, 1.5)]\n"
      "for c in calls:\n"
      "    try:\n"
      "        c()\n"
      "    except Exception as e:\n"
      "        print(type(e).__name__ + ': ' + str(e).splitlines()[0])\n";
  std::string out;
  if (!torch_script::run(script, out)) {
    WARN("Debian's PyTorch is not importable here: compared in the native build");
    return;
  }
  std::vector<std::string> want;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) want.push_back(line);
  const Tensor x = vec({1.0, 1.0, 1.0}, false);
  using kw = std::vector<std::pair<std::string, op_arg>>;
  const op_info& mse = *find_op("mse_loss");
  auto got = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const error& e) {
      return e.type() + ": " + e.what();
    }
    return "no error";
  };
  std::vector<std::string> have = {
      got([&] { call_op(mse, {T(x)}); }),
      got([&] {
        call_op(mse, {T(x), T(x), T(x), T(x), T(x), T(x)});
      }),
      got([&] {
        call_op(mse, {T(x), T(x)}, kw{{"foo", op_arg::of_int(1)}});
      }),
      got([&] {
        call_op(mse, {T(x)}, kw{{"target", T(x)}, {"input", T(x)}});
      }),
      got([&] {
        call_op(*find_op("maximum"), {T(x), op_arg::of_real(0.5)});
      }),
      got([&] {
        call_op(mse, {T(x), T(x)}, kw{{"reduction", op_arg::of_real(1.5)}});
      }),
      got([&] { call_op(*find_op("clamp"), {T(x)}); }),
      got([&] {
        call_op(*find_op("softmax"), {T(x), op_arg::of_real(1.5)});
      }),
  };
  REQUIRE(want.size() == have.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO(i);
    if (i == 7) {
      // softmax(x, 1.5): PyTorch lists its overloads; gradlab names the parameter
      CHECK(want[i] ==
            "TypeError: softmax() received an invalid combination of arguments - got "
            "(Tensor, float), but expected one of:");
      CHECK(have[i] == "TypeError: softmax(): argument 'dim' (position 2) must be int, not float");
      continue;
    }
    CHECK(have[i] == want[i]);
  }
}
TEST_CASE("the model language offers the rows under their namespaces", "[op_table][model]") {
  for (const op_info& row : op_table()) {
    INFO(row.name);
    const model::function_info* f = model::find_function(row.name);
    REQUIRE(static_cast<bool>(f) == row.in(ns_model));
    if (!f) continue;
    CHECK(f->method == row.in(ns_tensor));
    if (std::string(row.name) != "cross_entropy")  // its class targets need .long() in PyTorch
      CHECK(std::string(f->python) ==
            (row.in(ns_torch) ? "torch." : "F.") + std::string(row.name));
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
