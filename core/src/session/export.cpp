// Export as a runnable PyTorch script: the data and initial parameters as exact float32
// literals, the model as Python, the optimizer with its options, and the training loop
// with the session's switches (zero_grad, set_to_none, copies, mini-batch order).
#include <cmath>
#include <cstdio>

#include "gradlab/model/python.hpp"
#include "gradlab/session.hpp"
#include "session/shuffle.hpp"
#include "util/text_builder.hpp"

namespace gradlab {

namespace {

std::string f32(double v) {
  if (std::isnan(v)) return "float('nan')";
  if (std::isinf(v)) return v > 0 ? "float('inf')" : "float('-inf')";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g",
                static_cast<double>(static_cast<float>(v)));  // round-trips float32
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string float_list(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    s += (i ? ", " : "") + f32(v[i]);
    if (i % 8 == 7 && i + 1 < v.size()) s += "\n    ";
  }
  return s + "]";
}

std::string tensor_literal(const Tensor& t, bool requires_grad) {
  const shape_t sh = t.shape();
  const std::vector<double> v = t.to_vector();
  std::string s;
  if (sh.empty()) {
    s = "torch.tensor(" + f32(v.at(0)) + ", dtype=torch.float32";
  } else {
    s = "torch.tensor(" + float_list(v) + ", dtype=torch.float32)";
    if (sh.size() > 1) {
      s += ".reshape(";
      for (std::size_t i = 0; i < sh.size(); ++i) s += (i ? ", " : "") + std::to_string(sh[i]);
      s += ")";
    }
    return requires_grad ? s + ".requires_grad_(True)" : s;
  }
  return s + (requires_grad ? ", requires_grad=True)" : ")");
}

std::string py_bool(bool b) { return b ? "True" : "False"; }

}  // namespace

std::string session::export_pytorch(long epochs) const {
  text_builder py;
  const model::program& prog = model_.ast();
  py << "# Exported by gradlab: replays this session in PyTorch.\n"
     << "# Run with: python3 this_file.py  (prints one line per epoch: epoch N loss X)\n"
     << "import torch\n"
     << "import torch.nn.functional as F\n\n";

  // data, exactly the float32 values gradlab used (after input normalisation)
  std::vector<std::string> cols;
  if (!full_columns_.empty()) py << "# data" << (normalize_ ? " (inputs normalised)" : "") << "\n";
  for (const auto& [name, t] : full_columns_) {
    cols.push_back(name);
    py << name << " = " << tensor_literal(t, false) << "\n";
  }

  py << "\n# parameters, as initialised by gradlab\n";
  std::string plist;
  for (const auto& ps : model_.params()) {
    py << ps.name << " = " << tensor_literal(ps.init, true)
       << (ps.implicit ? "  # a free name: starts at 0" : "") << "\n";
    plist += (plist.empty() ? "" : ", ") + ps.name;
  }
  py << "_params = [" << plist << "]\n\n";

  // the model
  std::string args;
  for (const auto& c : cols) args += (args.empty() ? "" : ", ") + c;
  py << "def compute_loss(" << args << "):\n";
  py << "    # the model as typed in gradlab\n";
  for (std::size_t s = 0; s <= model_.loss_statement(); ++s) {
    const model::stmt& st = prog.stmts[s];
    if (st.kind == model::stmt_kind::param) continue;
    const std::string e = model::python_expr(prog, st.value);
    const bool last = s == model_.loss_statement();
    if (st.kind == model::stmt_kind::assign) py << "    " << st.name << " = " << e << "\n";
    if (!last) continue;
    const std::string v = st.kind == model::stmt_kind::assign ? st.name : "(" + e + ")";
    if (model_.mse_against_target())
      py << "    return ((" << v << " - " << model_.target() << ") ** 2).mean()\n";
    else
      py << "    return " << v << "\n";
  }
  py << "\n";

  const bool manual = opt_name_ == kManualUpdate;
  double lr = opt_opts_.has("lr") ? opt_opts_.num("lr") : 0.0;
  // An lr changed mid-run (session::apply()) is changed at the same epochs, as PyTorch's
  // `for g in optimizer.param_groups: g['lr'] = lr` does (the records say when).
  std::vector<std::pair<long, double>> lr_changes;  // (the first epoch with it, lr)
  if (sched_name_.empty() && !hist_.lr.empty() && opt_opts_.has("lr")) {
    double prev = hist_.lr[0];
    for (std::size_t i = 1; i <= hist_.lr.size(); ++i) {
      const double next = i < hist_.lr.size() ? hist_.lr[i] : lr;
      if (next != prev) lr_changes.push_back({static_cast<long>(i) + 1, next});
      prev = next;
    }
    lr = hist_.lr[0];
  }
  if (manual) {
    py << "_lr = " << optim::option_repr(lr) << "\n";
  } else {
    std::string opts;
    for (const auto& [k, v] : opt_opts_.values())
      opts += ", " + k + "=" + optim::option_repr(k == "lr" ? optim::option_value(lr) : v);
    if (copy_params_)
      py << "# the optimizer gets COPIES of the parameters: their .grad stays None, nothing moves\n"
         << "_optimizer = torch.optim." << opt_name_
         << "([_p.detach().clone().requires_grad_(True) for _p in _params]" << opts << ")\n";
    else
      py << "_optimizer = torch.optim." << opt_name_ << "(_params" << opts << ")\n";
  }

  if (!manual && !sched_name_.empty()) {
    std::string sopts;
    for (const auto& [k, v] : sched_opts_.values()) sopts += ", " + k + "=" + optim::option_repr(v);
    py << "_scheduler = torch.optim.lr_scheduler." << sched_name_ << "(_optimizer" << sopts
       << ")\n";
  }

  const std::size_t nb = batches_per_epoch();
  if (nb > 1) {
    model::rng r(batch_seed_);
    py << "# the row order of each epoch, exactly as gradlab shuffled it (mini-batches of "
       << batch_size_ << ")\n"
       << "_orders = [\n";
    for (long e = 0; e < epochs; ++e) {
      const auto order = detail::shuffled_rows(r, data_.rows());
      py << "    [";
      for (std::size_t i = 0; i < order.size(); ++i) py << (i ? ", " : "") << order[i];
      py << "],\n";
    }
    py << "]\n";
  }

  py << "\nfor _epoch in range(1, " << epochs << " + 1):\n";
  for (const auto& [epoch, value] : lr_changes) {
    if (epoch > epochs) break;
    py << "    if _epoch == " << epoch << ":  # lr changed here during the run\n";
    if (manual)
      py << "        _lr = " << optim::option_repr(value) << "\n";
    else
      py << "        for _g in _optimizer.param_groups:\n"
         << "            _g['lr'] = " << optim::option_repr(value) << "\n";
  }
  std::string ind = "    ";
  std::string batch_args;
  if (nb > 1) {
    py << "    _batch_losses = []\n"
       << "    for _b in range(" << nb << "):\n"
       << "        _idx = torch.tensor(_orders[_epoch - 1][_b * " << batch_size_ << ":(_b + 1) * "
       << batch_size_ << "])\n";
    ind = "        ";
    for (const auto& c : cols) batch_args += (batch_args.empty() ? "" : ", ") + c + "[_idx]";
    py << ind << "_loss = compute_loss(" << batch_args << ")\n";
  } else {
    py << ind << "_loss = compute_loss(" << args << ")\n";
  }
  if (zero_grad_on_) {
    if (manual) {
      py << ind << "for _p in _params:\n" << ind << "    if _p.grad is not None:\n";
      py << ind << (set_to_none_ ? "        _p.grad = None\n" : "        _p.grad.zero_()\n");
    } else {
      py << ind << "_optimizer.zero_grad(set_to_none=" << py_bool(set_to_none_) << ")\n";
    }
  } else {
    py << ind << "# zero_grad() is not called: gradients accumulate\n";
  }
  py << ind << "_loss.backward()\n";
  if (manual) {
    if (manual_no_grad_) {
      py << ind << "with torch.no_grad():\n"
         << ind << "    for _p in _params:\n"
         << ind << "        _p -= _lr * _p.grad\n";
    } else {
      py << ind << "for _p in _params:  # outside no_grad: PyTorch raises here\n"
         << ind << "    _p -= _lr * _p.grad\n";
    }
  } else {
    if (step_needs_closure()) {
      py << ind << "def _closure():\n"
         << ind << "    _optimizer.zero_grad(set_to_none=" << py_bool(set_to_none_) << ")\n"
         << ind << "    _l = compute_loss(" << (nb > 1 ? batch_args : args) << ")\n"
         << ind << "    _l.backward()\n"
         << ind << "    return _l\n"
         << ind << "_optimizer.step(_closure)\n";
    } else {
      py << ind << "_optimizer.step()\n";
    }
  }
  const bool plateau = scheduler_takes_metric();
  if (nb > 1) {
    py << ind << "_batch_losses.append(_loss.item())\n";
    if (!manual && !sched_name_.empty())
      py << "    _scheduler.step(" << (plateau ? "sum(_batch_losses) / len(_batch_losses)" : "")
         << ")\n";
    py << "    print(f\"epoch {_epoch} loss {sum(_batch_losses) / len(_batch_losses)!r}\")\n";
  } else {
    if (!manual && !sched_name_.empty())
      py << "    _scheduler.step(" << (plateau ? "_loss.item()" : "") << ")\n";
    py << "    print(f\"epoch {_epoch} loss {_loss.item()!r}\")\n";
  }
  py << "\nprint(\"params\", [_p.tolist() for _p in _params])\n";
  return py.str();
}

}  // namespace gradlab
