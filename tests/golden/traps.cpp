// traps.json: what PyTorch does when a learner gets it wrong.
#include "golden.hpp"
#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::golden {

namespace {
Tensor thermo_loss(const Tensor& p, const Tensor& x, const Tensor& y) {
  auto wb = p.unbind();
  return (wb[0] * x + wb[1] - y).pow(2).mean();
}

/// Runs f and compares the error it raises with PyTorch's {"type", "message"}.
std::string expect_error(const json::value& want, const std::function<void()>& f) {
  try {
    f();
  } catch (const error& e) {
    if (e.type() != want["type"].str()) return "raised " + e.type() + ", PyTorch " + want["type"].str();
    if (e.what() != want["message"].str())
      return std::string("message '") + e.what() + "', PyTorch '" + want["message"].str() + "'";
    return "";
  }
  return "no error raised; PyTorch raises " + want["type"].str() + ": " + want["message"].str();
}
}  // namespace

void check_traps(const json::value& traps, const json::value& book, report& r) {
  const Tensor t_c = tensor_from(book["data"]["t_c"]);
  const Tensor t_u = tensor_from(book["data"]["t_u"]);
  const Tensor t_un = tensor_from(book["data"]["t_un"]);
  auto params = [] { return Tensor::from_values({1.0, 0.0}, {2}, dtype::float32, true); };

  r.run("traps/accumulate_three_backwards", [&]() -> std::string {
    Tensor p = params();
    const auto& want = traps["accumulate_three_backwards"]["grads_after_each"].array();
    for (std::size_t k = 0; k < want.size(); ++k) {
      thermo_loss(p, t_u, t_c).backward();
      auto e = compare(p.grad(), want[k], 1e-6, 0, "grad after backward " + std::to_string(k + 1));
      if (!e.empty()) return e;
    }
    return "";
  });
  r.run("traps/zero_grad_default_sets_none", [&]() -> std::string {
    Tensor p = params();
    thermo_loss(p, t_u, t_c).backward();
    auto opt = optim::make_optimizer("SGD", {{{p}, {}}}, optim::options{{"lr", 0.1}});
    opt->zero_grad();
    const bool none = !p.grad().defined();
    return none == traps["zero_grad_default_sets_none"]["grad_is_none"].boolean() ? "" : "grad after zero_grad()";
  });
  r.run("traps/backward_twice", [&] {
    return expect_error(traps["backward_twice"], [&] {
      Tensor q = params();
      Tensor l = thermo_loss(q, t_u, t_c);
      l.backward();
      l.backward();
    });
  });
  r.run("traps/inplace_update_without_no_grad", [&] {
    return expect_error(traps["inplace_update_without_no_grad"], [&] {
      Tensor q = params();
      thermo_loss(q, t_u, t_c).backward();
      q.sub_(0.01 * q.grad());
    });
  });
  r.run("traps/backward_non_scalar", [&] {
    return expect_error(traps["backward_non_scalar"], [&] { (params() * 2.0).backward(); });
  });
  r.run("traps/backward_without_requires_grad", [&] {
    return expect_error(traps["backward_without_requires_grad"], [&] {
      Tensor q = Tensor::from_values({1.0, 0.0}, {2});
      thermo_loss(q, t_u, t_c).backward();
    });
  });
  r.run("traps/out_of_place_update_warnings", [&]() -> std::string {
    // params = params - lr * params.grad: params stops being a leaf, so its .grad stays None
    Tensor q = params();
    thermo_loss(q, t_un, t_c).backward();
    q = q - 0.01 * q.grad();
    if (q.is_leaf()) return "the updated tensor is still a leaf";
    thermo_loss(q, t_un, t_c).backward();
    if (q.grad().defined()) return "a non-leaf got a .grad";
    return "";
  });
  r.run("traps/data_input_grad_stays_none", [&]() -> std::string {
    Tensor x = Tensor::from_values({1.0, 2.0}, {2});
    Tensor w = Tensor::from_values({3.0}, {}, dtype::float32, true);
    (w * x).sum().backward();
    const auto& want = traps["data_input_grad_stays_none"];
    if (x.grad().defined() != !want["x_grad_is_none"].boolean()) return "x.grad should stay None";
    return compare_value(w.grad().item(), want["w_grad"].real(), 1e-6, 0, "w.grad");
  });
  r.run("traps/no_grad_result_requires_grad", [&]() -> std::string {
    Tensor x = Tensor::from_values({1.0, 2.0}, {2});
    Tensor w = Tensor::from_values({3.0}, {}, dtype::float32, true);
    no_grad_guard ng;
    const bool rg = (w * x).requires_grad();
    return rg == traps["no_grad_result_requires_grad"]["requires_grad"].boolean() ? "" : "requires_grad under no_grad";
  });
  r.run("traps/grad_fn_names", [&]() -> std::string {
    Tensor x = Tensor::from_values({1.0, 2.0}, {2});
    Tensor w = Tensor::from_values({3.0}, {}, dtype::float32, true);
    Tensor p = params();
    const std::map<std::string, Tensor> exprs = {
        {"w*t_u+b", w * x + w}, {"mul", w * x}, {"sub", w * x - x},
        {"pow", (w * x).pow(2)}, {"mean", (w * x).pow(2).mean()}, {"select", p[0]}};
    for (const auto& [key, want] : traps["grad_fn_names"].object()) {
      auto it = exprs.find(key);
      if (it == exprs.end()) return "no expression for '" + key + "'";
      if (want.is_null()) continue;
      const std::string got = it->second.grad_fn() ? it->second.grad_fn()->name() : "None";
      if (got != want.str()) return key + ": " + got + ", PyTorch " + want.str();
    }
    return "";
  });
}

}  // namespace gradlab::golden
