// The model language: parsing, precedence, name resolution, initialisers, data, and a
// table of bad inputs with the messages a learner sees.
#include "gradlab/model/model.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>

#include "gradlab/autograd.hpp"
#include "gradlab/model/data.hpp"
#include "gradlab/model/parser.hpp"
#include "gradlab/model/presets.hpp"
#include "gradlab/model/python.hpp"
#include "gradlab/model/rng.hpp"

using namespace gradlab;
using namespace gradlab::model;

namespace {

columns_t thermo_columns(bool normalize = false) {
  return make_columns(make_preset("thermometer").data, normalize);
}

std::vector<Tensor> tensors(const columns_t& c) {
  std::vector<Tensor> v;
  for (const auto& x : c) v.push_back(x.second);
  return v;
}

std::vector<Tensor> inits(const compiled_model& m) {
  std::vector<Tensor> v;
  for (const auto& p : m.params()) v.push_back(p.init.clone().requires_grad_(true));
  return v;
}

double eval_scalar(const std::string& text) {
  // a constant model: one free parameter k multiplies the expression
  compiled_model m = compiled_model::compile("loss = k * 0 + (" + text + ")", {}, "");
  no_grad_guard ng;
  return m.loss(inits(m), {}).item();
}

diagnostic error_of(const std::string& text, const columns_t& cols,
                    const std::string& target = "t_c") {
  try {
    compiled_model::compile(text, cols, target);
  } catch (const model_error& e) {
    return e.where();
  }
  FAIL("no error for: " << text.substr(0, 80));
  return {};
}

}  // namespace

TEST_CASE("Python precedence: ** binds tighter than unary minus and is right-associative",
          "[model]") {
  CHECK(eval_scalar("-2 ** 2") == -4.0);
  CHECK(eval_scalar("(-2) ** 2") == 4.0);
  CHECK(eval_scalar("2 ** 3 ** 2") == 512.0);
  CHECK(eval_scalar("2 ** -1") == 0.5);
  CHECK(eval_scalar("1 + 2 * 3 - 4 / 2") == 5.0);
  CHECK(eval_scalar("1e-3 * 1000") == Approx(1.0));
  CHECK(eval_scalar("-(1 - 3) * 2") == 4.0);
  CHECK(eval_scalar("10 - 2 - 3") == 5.0);
}

TEST_CASE("the book's model text compiles: two declared parameters, loss from 'loss ='",
          "[model]") {
  const auto cols = thermo_columns();
  compiled_model m = compiled_model::compile(make_preset("thermometer").model_text, cols, "t_c");
  REQUIRE(m.params().size() == 2);
  CHECK(m.params()[0].name == "w");
  CHECK(m.params()[0].init.item() == 1.0);
  CHECK(m.params()[1].name == "b");
  CHECK_FALSE(m.mse_against_target());
  auto ps = inits(m);
  Tensor loss = m.loss(ps, tensors(cols));
  CHECK(loss.grad_fn()->name() == "MeanBackward0");
  loss.backward();
  CHECK(ps[0].grad().defined());
}

TEST_CASE("free names become scalar parameters at 0; a bare prediction gets MSE against the target",
          "[model]") {
  const auto cols = thermo_columns();
  compiled_model m = compiled_model::compile("w * t_u + b", cols, "t_c");
  REQUIRE(m.params().size() == 2);
  CHECK(m.params()[0].name == "w");
  CHECK(m.params()[0].implicit);
  CHECK(m.params()[0].init.item() == 0.0);
  CHECK(m.mse_against_target());
  // at w = b = 0 the loss is mean(t_c^2)
  double want = 0;
  const preset thermo = make_preset("thermometer");
  for (float c : thermo.data.find("t_c")->values) want += double(c) * c;
  want /= 11;
  no_grad_guard ng;
  CHECK(m.loss(inits(m), tensors(cols)).item() == Approx(want).epsilon(1e-6));
}

TEST_CASE("param p[2] = [1.0, 0.0] with p[0] * t_u + p[1] is the book's model(t_u, *params)",
          "[model]") {
  const auto cols = thermo_columns();
  compiled_model a = compiled_model::compile(
      "param p[2] = [1.0, 0.0]\nloss = ((p[0] * t_u + p[1] - t_c) ** 2).mean()", cols, "t_c");
  compiled_model b = compiled_model::compile(
      "param w = 1.0; param b = 0.0; loss = ((w * t_u + b - t_c) ** 2).mean()", cols, "t_c");
  REQUIRE(a.params().size() == 1);
  CHECK(a.params()[0].shape == shape_t{2});
  auto pa = inits(a), pb = inits(b);
  Tensor la = a.loss(pa, tensors(cols)), lb = b.loss(pb, tensors(cols));
  CHECK(la.item() == lb.item());
  la.backward();
  lb.backward();
  CHECK(pa[0].grad().at(0) == pb[0].grad().item());
  CHECK(pa[0].grad().at(1) == pb[1].grad().item());
}

TEST_CASE("initialisers: zeros, ones, full, randn and uniform are seeded and shaped", "[model]") {
  compiled_model m = compiled_model::compile(
      "param a[2, 3] = zeros\nparam b[3] = ones()\nparam c[2] = full(0.5)\n"
      "param d[4, 2] = randn(std=0.5, seed=1)\nparam e[4, 2] = randn(std=0.5, seed=1)\n"
      "param f[100] = uniform(-1, 1, seed=7)\nloss = a.sum() + b.sum() + c.sum() + d.sum() + "
      "e.sum() + f.sum()",
      {}, "");
  const auto& p = m.params();
  CHECK(p[0].init.shape() == shape_t{2, 3});
  CHECK(p[1].init.to_vector() == std::vector<double>{1, 1, 1});
  CHECK(p[2].init.to_vector() == std::vector<double>{0.5, 0.5});
  CHECK(p[3].init.to_vector() == p[4].init.to_vector());  // same seed, same values
  for (double v : p[5].init.to_vector()) CHECK((v >= -1 && v < 1));
  CHECK(p[3].init.to_vector() != std::vector<double>(8, 0.0));
}

TEST_CASE("the rng is splitmix64 with a portable log", "[model]") {
  rng a(42), b(42);
  for (int i = 0; i < 100; ++i) CHECK(a.next_u64() == b.next_u64());
  rng z(0);
  CHECK(z.next_u64() == 0xE220A8397B1DCDAFull);  // splitmix64's published first output for seed 0
  for (double x : {1e-300, 1e-5, 0.1, 0.5, 0.9999, 1.0, 2.0, 3.5, 1e10})
    CHECK(portable_log(x) == Approx(std::log(x)).epsilon(1e-15).margin(1e-300));
  double s = 0, s2 = 0;
  rng r(3);
  for (int i = 0; i < 20000; ++i) {
    const double v = r.normal();
    s += v;
    s2 += v * v;
  }
  CHECK(std::fabs(s / 20000) < 0.03);
  CHECK(s2 / 20000 == Approx(1.0).epsilon(0.03));
}

TEST_CASE("CSV: columns, target, and errors with line numbers", "[model][data]") {
  dataset d = parse_csv("x, y\n1, 2\n3, 4.5\n");
  CHECK(d.rows() == 2);
  CHECK(d.target == "y");
  CHECK(d.find("y")->values == std::vector<float>{2.0f, 4.5f});
  REQUIRE_THROWS_WITH(parse_csv(""), Catch::Contains("CSV is empty"));
  REQUIRE_THROWS_WITH(parse_csv("a,b\n"), Catch::Contains("no rows"));
  REQUIRE_THROWS_WITH(parse_csv("a,b\n1,2\n3\n"),
                      Catch::Contains("CSV line 3: 1 values, but the header has 2 columns"));
  REQUIRE_THROWS_WITH(parse_csv("a,b\n1,x\n"),
                      Catch::Contains("CSV line 2, column 'b': 'x' is not a number"));
  REQUIRE_THROWS_WITH(parse_csv("a,b\n1,2\n3,nan\n"),
                      Catch::Contains("CSV line 3, column 'b'") && Catch::Contains("NaN and inf"));
  REQUIRE_THROWS_WITH(parse_csv("a,b\ninf,2\n"), Catch::Contains("CSV line 2, column 'a'"));
  REQUIRE_THROWS_WITH(parse_csv("a,a\n1,2\n"), Catch::Contains("appears twice"));
  REQUIRE_THROWS_WITH(parse_csv("a b,c\n1,2\n"), Catch::Contains("column name 'a b'"));
}

TEST_CASE("classification data is deterministic from its seed", "[model][data]") {
  for (const char* kind : {"circle", "xor", "spiral", "gaussian"}) {
    dataset a = classification_data(kind, 100, 0.2, 5), b = classification_data(kind, 100, 0.2, 5);
    dataset c = classification_data(kind, 100, 0.2, 6);
    CHECK(a.rows() == 100);
    CHECK(a.find("x1")->values == b.find("x1")->values);
    CHECK(a.find("x1")->values != c.find("x1")->values);
    int ones = 0;
    for (float y : a.find("y")->values) ones += y == 1.0f;
    CHECK(ones > 20);
    CHECK(ones < 80);
  }
  columns_t cols = make_columns(classification_data("xor", 10, 0, 1), false);
  CHECK(cols.back().first == "X");
  CHECK(cols.back().second.shape() == shape_t{10, 2});
}

TEST_CASE("every preset's model compiles, or names the op it waits for", "[model]") {
  for (const auto& name : preset_names()) {
    preset p = make_preset(name);
    const auto cols = make_columns(p.data, p.normalize);
    try {
      compiled_model m = compiled_model::compile(p.model_text, cols, p.data.target);
      CHECK(!m.params().empty());
    } catch (const model_error& e) {
      INFO(name << ": " << e.where().str());
      CHECK_THAT(e.what(), Catch::Contains("not available in this build"));
    }
  }
  REQUIRE_THROWS_WITH(make_preset("thermometr"), Catch::Contains("Did you mean 'thermometer'?"));
}

TEST_CASE("expressions print back as Python with the right parentheses", "[model]") {
  program p = parse(
      "(-x) ** 2 - -x ** 2 * (a - (b - c)) + (a ** b) ** c + a ** b ** c\ny[:, 0].mean(dim=1)");
  CHECK(python_expr(p, p.stmts[0].value) ==
        "(-x) ** 2 - -x ** 2 * (a - (b - c)) + (a ** b) ** c + a ** b ** c");
  CHECK(python_expr(p, p.stmts[1].value) == "y[:, 0].mean(dim=1)");
}

namespace {
struct bad_case {
  const char* text;
  const char* message;  // a substring of the message
  int line, col;        // 0 = do not check
};
}  // namespace

TEST_CASE("bad model text: a table of inputs and the messages they give", "[model][errors]") {
  const auto cols = thermo_columns();
  const std::vector<bad_case> cases = {
      {"w * t_u +", "expected an expression", 1, 10},
      {"w * (t_u + b", "'(' was never closed", 1, 5},
      {"w * t_u + b)", "unmatched ')'", 1, 12},
      {"w * * t_u", "invalid syntax", 1, 5},
      {"w $ t_u", "invalid character '$'", 1, 3},
      {"x = 'a'", "strings are not part of the model language", 1, 5},
      {"w * t_uu + b", "name 't_uu' is not defined. Did you mean 't_u'?", 1, 5},
      {"param weight = 1.0\nloss = ((wieght * t_u - t_c) ** 2).mean()", "Did you mean 'weight'?", 2,
       10},
      {"loss = meen(w * t_u)", "unknown function 'meen'. Did you mean 'mean'?", 1, 8},
      {"loss = (w * t_u).meen()", "has no attribute 'meen'. Did you mean 'mean'?", 1, 8},
      {"loss = frobnicate(w)", "unknown function 'frobnicate'", 1, 8},
      {"loss = tanhh(w * t_u).mean()", "unknown function 'tanhh'. Did you mean 'tanh'?", 1, 8},
      {"loss = maximum(w * t_u, 0).mean()",
       "maximum(): argument 'other' (position 2) must be Tensor, not float", 1, 8},
      {"loss = mse_loss(w * t_u)", "mse_loss() missing 1 required positional argument: 'target'", 1,
       8},
      {"loss = mse_loss(w * t_u, t_c, 1, 2, 3, 4)",
       "mse_loss() takes from 2 to 5 positional arguments but 6 were given", 1, 8},
      {"loss = mse_loss(w * t_u, t_c, reduction=1)", "1.0 is not a valid value for reduction", 1,
       8},
      {"loss = mse_loss(w * t_u, t_c, size_average=1)",
       "mse_loss(): gradlab does not take size_average (got 1.0)", 1, 8},
      {"param W[2, 3] = zeros\nloss = (W @ t_u).sum()",
       "'W' has shape [2, 3], 't_u' has shape [11]", 2, 8},
      {"loss = (w * t_u).sum(dim=1.5)", "sum(): argument 'dim' (position 2) must be int, not float",
       1, 8},
      {"loss = (w * t_u - t_c).mean(1, 2, 3, 4)",
       "mean() takes from 1 to 3 positional arguments but 5 were given", 1, 8},
      {"param W[3] = [1.0, 2.0, 3.0]\nloss = ((W * t_u - t_c) ** 2).mean()",
       "The size of tensor a (3) must match the size of tensor b (11) at non-singleton dimension 0",
       2, 10},
      {"param W[3] = [1.0, 2.0, 3.0]\nloss = ((W * t_u - t_c) ** 2).mean()",
       "'W' has shape [3], 't_u' has shape [11]", 2, 10},
      {"param W[2] = [1.0, 2.0, 3.0]", "the list has 3 values but the parameter has shape [2]", 1,
       14},
      {"param w = 1\nparam w = 2\nw * t_u", "'w' is already a parameter", 2, 7},
      {"param t_u = 1\nt_u", "'t_u' is a data column", 1, 7},
      {"loss = w * t_u", "the loss must be a single number (a 0-dim tensor)", 1, 1},
      {"import torch", "'import' is not part of the model language", 1, 1},
      {"p[0] = 1", "only a name can be assigned", 1, 1},
      {"x += 1", "augmented assignment '+=' is not supported", 1, 3},
      {"t_u[0:2]", "slices with bounds", 1, 6},
      {"loss = t_u[0, 0]", "too many indices for tensor of dimension 1", 1, 15},
      {"w = 1\nw * t_u", "the loss does not depend on any parameter", 2, 1},
      {"2x", "invalid decimal literal", 1, 1},
      {"# only a comment\n", "the model is empty", 1, 1},
      {"param", "expected a name after 'param'", 1, 6},
      {"param 3 = 1", "expected a name after 'param'", 1, 7},
      {"caf\xc3\xa9 = w * t_u", "non-ASCII character '\xc3\xa9'", 1, 4},
      {"w\xe2\x80\x8b * t_u", "non-ASCII character", 1, 2},
      {"\xce\xb8 * t_u", "names must use ASCII letters", 1, 1},
      {"loss = 1 / 0", "float division by zero", 1, 8},
      {"tanh", "is a function", 0, 0},
  };
  for (const auto& c : cases) {
    INFO("model text: " << c.text);
    const diagnostic d = error_of(c.text, cols);
    INFO("got: " << d.str());
    CHECK_THAT(d.message, Catch::Contains(c.message));
    if (c.line) {
      CHECK(d.line == c.line);
      CHECK(d.col == c.col);
    }
    CHECK(d.end_col > d.col);
  }
}

TEST_CASE("deep and huge inputs fail cleanly", "[model][errors]") {
  const auto cols = thermo_columns();
  SECTION("10^5 nested parentheses") {
    const std::string text = std::string(100000, '(') + "w" + std::string(100000, ')');
    const diagnostic d = error_of(text, cols);
    CHECK_THAT(d.message, Catch::Contains("too many nested parentheses"));
    CHECK(d.line == 1);
  }
  SECTION("10^5 unclosed parentheses") {
    CHECK_THAT(error_of(std::string(100000, '('), cols).message,
               Catch::Contains("too many nested parentheses"));
  }
  SECTION("10^5 unary minus signs") {
    CHECK_THAT(error_of(std::string(100000, '-') + "w", cols).message,
               Catch::Contains("nested too deeply"));
  }
  SECTION("a ** chain of 10^5") {
    std::string text = "w";
    for (int i = 0; i < 100000; ++i) text += "**w";
    CHECK_THAT(error_of(text, cols).message, Catch::Contains("nested too deeply"));
  }
  SECTION("one expression of 1 MB fails with a clear message") {
    std::string text = "loss = w";
    while (text.size() < (1u << 20)) text += " + w";
    CHECK_THAT(error_of(text, cols).message, Catch::Contains("expression too long"));
  }
  SECTION("1 MB of statements parses") {
    std::string text = "param w = 1.0\nparam b = 0.0\n";
    while (text.size() < (1u << 20)) text += "t_p = w * t_u + b  # a line\n";
    text += "loss = ((t_p - t_c) ** 2).mean()\n";
    const auto t0 = std::chrono::steady_clock::now();
    compiled_model m = compiled_model::compile(text, cols, "t_c");
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK(m.params().size() == 2);
    CHECK(s < 5.0);
  }
  SECTION("1 MB of distinct names: bounded, quick, clean") {
    std::string text;
    for (int i = 0; text.size() < (1u << 20); ++i)
      text += "v" + std::to_string(i) + " = a" + std::to_string(i) + " * t_u\n";
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_THAT(error_of(text, cols).message, Catch::Contains("too many parameters"));
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 5.0);
    std::string big =
        "param W[1000, 1000] = zeros\nparam V[1000, 1000] = zeros\nparam U[1000, 1000] = zeros\n"
        "param S[1000, 1000] = zeros\nparam R[1000, 1000] = zeros\nparam Q[2] = zeros\nQ.sum()";
    CHECK_THAT(error_of(big, cols).message, Catch::Contains("more than 5000000 values"));
  }
  SECTION("1 MB of garbage bytes") {
    std::string text;
    rng r(1);
    for (int i = 0; i < (1 << 20); ++i) text += static_cast<char>(r.below(256));
    CHECK_NOTHROW([&] {
      try {
        compiled_model::compile(text, cols, "t_c");
      } catch (const model_error&) {
      }
    }());
  }
}

TEST_CASE(
    "free names that differ only in digits, or from other free names, are separate parameters",
    "[model]") {
  const auto cols = thermo_columns();
  compiled_model m =
      compiled_model::compile("bias1 * t_u + bias2 + weight * t_un + weigth", cols, "t_c");
  CHECK(m.params().size() == 4);
  compiled_model d = compiled_model::compile("param w_1 = 1.0\nw_1 * t_u + w_2", cols, "t_c");
  CHECK(d.params().size() == 2);
}

TEST_CASE("True, False and None work as in Python calls", "[model]") {
  const auto cols = make_columns(classification_data("xor", 8, 0, 1), false);
  compiled_model m = compiled_model::compile(
      "param W[1, 2] = [[0.5, -0.5]]\nz = linear(X, W, None).sum(dim=1, keepdim=False)\n"
      "k = (X * X).sum(dim=1, keepdim=True)\nloss = binary_cross_entropy_with_logits(z, y) + "
      "k.mean() * 0",
      cols, "y");
  CHECK(m.params().size() == 1);
  program p = parse("x.sum(dim=1, keepdim=True) + f(None)");
  CHECK(python_expr(p, p.stmts[0].value) == "x.sum(dim=1, keepdim=True) + f(None)");
  const diagnostic d =
      error_of("loss = (w * None).sum()", make_columns(make_preset("thermometer").data, false));
  CHECK_THAT(d.message,
             Catch::Contains("unsupported operand type(s) for *: 'Tensor' and 'NoneType'"));
}

TEST_CASE("a model never depends on another one: nothing global", "[model]") {
  const auto cols = thermo_columns();
  compiled_model a = compiled_model::compile("w * t_u + b", cols, "t_c");
  compiled_model b = compiled_model::compile("param w = 3.0\nloss = (w - 1) ** 2", cols, "t_c");
  CHECK(a.params().size() == 2);
  CHECK(b.params().size() == 1);
  no_grad_guard ng;
  CHECK(b.loss(inits(b), tensors(cols)).item() == 4.0);
}
