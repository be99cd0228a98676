// book.json: the thermometer runs of Deep Learning with PyTorch, ch. 5, in float32.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "golden.hpp"
#include "gradlab/autograd.hpp"
#include "gradlab/error.hpp"
#include "gradlab/ops.hpp"
#include "gradlab/optim/optimizer.hpp"

namespace gradlab::golden {

namespace {
struct book_data {
  Tensor t_c, t_u, t_un;
  explicit book_data(const json::value& book)
      : t_c(tensor_from(book["data"]["t_c"])),
        t_u(tensor_from(book["data"]["t_u"])),
        t_un(tensor_from(book["data"]["t_un"])) {}
  const Tensor& input(const std::string& name) const { return name == "t_un" ? t_un : t_u; }
};

// The book's model and loss, written as its Python is: model(t_u, *params).
Tensor model(const Tensor& t_u, const Tensor& w, const Tensor& b) { return w * t_u + b; }
Tensor loss_fn(const Tensor& t_p, const Tensor& t_c) { return (t_p - t_c).pow(2).mean(); }
Tensor book_loss(const Tensor& params, const Tensor& x, const Tensor& t_c) {
  auto wb = params.unbind();
  return loss_fn(model(x, wb[0], wb[1]), t_c);
}

Tensor initial_params() { return Tensor::from_values({1.0, 0.0}, {2}, dtype::float32, true); }

optim::options to_options(const json::value& run) {
  optim::options o = run.has("options") ? options_from_json(run["options"]) : optim::options{};
  return o.set("lr", run["lr"].number());
}

/// "Epoch 500, Loss 7.860116": PyTorch may differ from itself in the last printed digit.
std::string compare_printed(const std::vector<std::string>& ours, const json::value& theirs, double rtol) {
  const auto& lines = theirs.array();
  if (ours.size() != lines.size())
    return "printed " + std::to_string(ours.size()) + " lines, PyTorch " + std::to_string(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& want = lines[i].str();
    const auto pos_w = want.rfind(' '), pos_o = ours[i].rfind(' ');
    if (want.substr(0, pos_w) != ours[i].substr(0, pos_o)) return "line '" + ours[i] + "' vs '" + want + "'";
    const double w = std::strtod(want.c_str() + pos_w + 1, nullptr);
    const double o = std::strtod(ours[i].c_str() + pos_o + 1, nullptr);
    const double last_digit = 1.5e-6;  // one unit in the last %f digit, plus rounding
    if (!close(o, w, rtol, last_digit)) return "printed '" + ours[i] + "', PyTorch '" + want + "'";
  }
  return "";
}

std::string epoch_line(long epoch, double loss) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "Epoch %ld, Loss %f", epoch, loss);
  return buf;
}

std::string check_run(const std::string& name, const json::value& run, const book_data& d) {
  const bool manual = !run.has("optimizer");
  // The manual loop's record carries only what it printed; its settings are the book's.
  const std::string input = run.has("input") ? run["input"].str()
                            : name.find("t_un") != std::string::npos ? "t_un" : "t_u";
  const double lr = run.has("lr") ? run["lr"].number() : 1e-2;
  const long epochs = run.has("epochs") ? static_cast<long>(run["epochs"].number()) : 5000;
  const bool zero_grad = run.has("zero_grad") ? run["zero_grad"].boolean() : true;
  const double loss_rtol = run.has("loss_rtol") ? run["loss_rtol"].number() : 1e-5;
  const double params_rtol = run.has("params_rtol") ? run["params_rtol"].number() : 1e-5;
  const std::string mode = run.has("compare") ? run["compare"].str() : "final_params";
  const long every = run.has("printed") && run["printed"].size() > 0
                         ? epochs / static_cast<long>(run["printed"].size()) : 500;

  if (!manual && !optim::find_optimizer(run["optimizer"].str())) return skip_because(kNotImplemented);
  const Tensor& x = d.input(input);
  Tensor params = initial_params();
  std::unique_ptr<optim::optimizer> opt;
  if (!manual) opt = optim::make_optimizer(run["optimizer"].str(), {{{params}, {}}}, to_options(run));

  std::vector<double> losses;
  std::vector<std::string> printed;
  for (long epoch = 1; epoch <= epochs; ++epoch) {
    if (manual) {
      if (params.grad().defined()) params.grad().zero_();
      Tensor loss = book_loss(params, x, d.t_c);
      loss.backward();
      {
        no_grad_guard ng;
        params.sub_(lr * params.grad());
      }
      losses.push_back(loss.item());
    } else {
      Tensor loss = book_loss(params, x, d.t_c);
      if (zero_grad) opt->zero_grad();
      loss.backward();
      opt->step();
      losses.push_back(loss.item());
    }
    if (epoch % every == 0) printed.push_back(epoch_line(epoch, losses.back()));
  }

  if (run.has("first_nonfinite_epoch") && !run["first_nonfinite_epoch"].is_null()) {
    const long want = static_cast<long>(run["first_nonfinite_epoch"].number());
    long got = 0;
    for (std::size_t i = 0; i < losses.size() && !got; ++i)
      if (!std::isfinite(losses[i])) got = static_cast<long>(i) + 1;
    if (got != want)
      return "loss first non-finite at epoch " + std::to_string(got) + ", PyTorch at " + std::to_string(want);
  }
  if (mode == "every_epoch" && run.has("losses")) {
    const auto& want = run["losses"].array();
    if (want.size() != losses.size()) return "ran " + std::to_string(losses.size()) + " epochs";
    for (std::size_t i = 0; i < want.size(); ++i) {
      const double w = want[i].real();
      if (!std::isfinite(w)) continue;  // the first non-finite epoch is checked above
      auto e = compare_value(losses[i], w, loss_rtol, 0.0, "loss at epoch " + std::to_string(i + 1));
      if (!e.empty()) return e;
    }
  }
  if (mode == "every_epoch") {
    auto e = compare_printed(printed, run["printed"], loss_rtol);
    if (!e.empty()) return e;
  }
  return compare(params, run["final_params"], params_rtol, 0.0, "final params");
}
}  // namespace

void check_book(const json::value& book, report& r) {
  const book_data d(book);
  r.run("book/first_grad", [&]() -> std::string {
    const auto& fg = book["first_grad"];
    Tensor params = initial_params();
    if (params.grad().defined() != !fg["grad_is_none_before"].boolean()) return "grad before backward";
    Tensor loss = book_loss(params, d.t_u, d.t_c);
    loss.backward();
    auto e = compare_value(loss.item(), fg["loss"].real(), 1e-5, 0, "loss");
    if (e.empty()) e = compare(params.grad(), fg["grad"], 1e-5, 0, "grad");
    if (e.empty() && params.grad().repr() != fg["printed"].str())
      e = "printed " + params.grad().repr() + ", PyTorch " + fg["printed"].str();
    return e;
  });
  const auto& steps = book["one_step"].array();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i];
    r.run("book/one_step/" + s["input"].str() + "/lr=" + py_repr(s["lr"].number()), [&]() -> std::string {
      Tensor params = initial_params();
      auto opt = optim::make_optimizer("SGD", {{{params}, {}}}, optim::options{{"lr", s["lr"].number()}});
      Tensor loss = book_loss(params, d.input(s["input"].str()), d.t_c);
      opt->zero_grad();
      loss.backward();
      opt->step();
      auto e = compare(params, s["params"], 1e-5, 0, "params");
      if (e.empty() && params.repr() != s["printed"].str())
        e = "printed " + params.repr() + ", PyTorch " + s["printed"].str();
      return e;
    });
  }
  for (const auto& [name, run] : book["runs"].object())
    r.run("book/" + name, [&, n = name, &run = run] { return check_run(n, run, d); });
}

}  // namespace gradlab::golden
