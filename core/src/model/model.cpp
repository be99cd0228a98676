// Name resolution, parameter creation and the evaluator that lowers the AST through the
// public ops API. Environments are flat vectors of slots resolved at compile time.
#include "gradlab/model/model.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "gradlab/error.hpp"
#include "gradlab/model/parser.hpp"
#include "gradlab/ops.hpp"

namespace gradlab::model {

namespace {

diagnostic at(const span& s, const std::string& msg, const std::string& type) {
  diagnostic d;
  d.line = s.line;
  d.col = s.col;
  d.end_col = s.end_line == s.line && s.end_col > s.col ? s.end_col : s.col + 1;
  d.message = msg;
  d.type = type;
  return d;
}

[[noreturn]] void fail(const span& s, const std::string& msg, const std::string& type) {
  throw model_error(at(s, msg, type));
}

/// PyTorch functions the language will offer once the op set has them (the op table's
/// planned rows): a clearer message than "unknown function" for a learner who typed a real
/// PyTorch name.
bool planned_function(const std::string& n) { return planned_op(n); }

std::string suggestion(const std::string& name, const std::vector<std::string>& cands) {
  const std::string s = did_you_mean(name, cands);
  return s.empty() ? "" : " Did you mean '" + s + "'?";
}

std::string number_text(double v) { return py_repr(v); }

}  // namespace

// ------------------------------------------------------------------ evaluation
struct compiled_model::evaluator {
  const compiled_model& m;
  const program& p;
  std::vector<value>& env;
  std::vector<trace_entry>* trace;
  std::vector<Tensor>* probes = nullptr;
  std::shared_ptr<Node> last_fn;

  std::string label(int e, const value& v) const {
    const expr& x = p.at(e);
    if (x.kind == expr_kind::name) return x.text;
    if (v.is_number()) return number_text(v.num);
    return "";
  }

  /// Notes an op's result in the trace. With probes, the result goes on as v + z for a new
  /// zero leaf z, so that backward leaves dL/dv in z.grad (the graph drawing's node grads).
  value record(value v, int e, std::vector<std::string> operands) {
    if (!trace || !v.t.defined() || !v.t.grad_fn()) return v;
    // an op's node is new, except when a value passes through unchanged (unary +, x[:])
    if (v.t.grad_fn() == last_fn) return v;
    trace->push_back({v.t.grad_fn(), p.text_of(e, 60), v.t, std::move(operands)});
    if (probes) v.t = probe(v.t);
    last_fn = v.t.grad_fn();
    return v;
  }
  Tensor probe(const Tensor& t) {
    Tensor z = Tensor::zeros(t.shape(), t.dtype()).requires_grad_(true);
    probes->push_back(z);
    return t + z;
  }

  static std::string shape_of(const value& v) {
    if (v.none) return "is None";
    return v.is_number() ? "is a number" : "has shape " + shape_str(v.t.shape());
  }

  /// Turns an op's error into a model error at the expression, naming operands and shapes.
  [[noreturn]] void rethrow(const gradlab::error& err, int e, const std::vector<int>& operands,
                            const std::vector<value>& vals) const {
    std::string msg = err.what();
    // the first few operands: a call with 300,000 arguments made a 5 MB message
    constexpr std::size_t max_listed = 6;
    const std::size_t n = std::min(operands.size(), vals.size());
    std::string detail;
    for (std::size_t i = 0; i < n && i < max_listed; ++i)
      detail += (detail.empty() ? "" : ", ") + std::string("'") + p.text_of(operands[i], 30) +
                "' " + shape_of(vals[i]);
    if (n > max_listed) detail += ", and " + std::to_string(n - max_listed) + " more";
    if (!detail.empty()) msg += " (in '" + p.text_of(e, 50) + "': " + detail + ")";
    fail(p.at(e).where, msg, err.type());
  }

  value call(const function_info& f, int e, std::vector<int> arg_nodes,
             const std::vector<keyword>& kws, std::vector<value> pos) {
    std::vector<std::pair<std::string, value>> kv;
    std::vector<value> all = pos;
    for (const auto& k : kws) {
      kv.emplace_back(k.name, eval(k.value));
      all.push_back(kv.back().second);
      arg_nodes.push_back(k.value);
    }
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < arg_nodes.size(); ++i)
      labels.push_back(label(arg_nodes[i], all[i]));
    try {
      value out = call_function(f, std::move(pos), std::move(kv));
      return record(out, e, labels);
    } catch (const model_error&) {
      throw;
    } catch (const gradlab::error& err) {
      rethrow(err, e, arg_nodes, all);
    }
  }

  value binary(int e, const expr& x) {
    const value a = eval(x.args[0]);
    const value b = eval(x.args[1]);
    const std::string& op = x.text;
    if (a.none || b.none) {
      auto kind = [](const value& v) {
        return v.none ? "'NoneType'" : v.is_number() ? "'float'" : "'Tensor'";
      };
      fail(x.where, "unsupported operand type(s) for " + op + ": " + kind(a) + " and " + kind(b),
           "TypeError");
    }
    if (a.is_number() && b.is_number()) {
      if (op == "+") return value::of(a.num + b.num);
      if (op == "-") return value::of(a.num - b.num);
      if (op == "*") return value::of(a.num * b.num);
      if (op == "/") {
        if (b.num == 0) fail(x.where, "float division by zero", "ZeroDivisionError");
        return value::of(a.num / b.num);
      }
      if (op == "**") return value::of(std::pow(a.num, b.num));
      fail(x.where, "unsupported operand type(s) for @: 'float' and 'float'", "TypeError");
    }
    if (op == "@") {
      const function_info* mm = find_function("matmul");
      if (!mm) fail(x.where, "'@' needs matmul, which this build does not have yet", "NameError");
      return call(*mm, e, {x.args[0], x.args[1]}, {}, {a, b});
    }
    try {
      value out;
      if (op == "**") {
        // tensor ** number (PowBackward0), tensor ** tensor (1), number ** tensor (2)
        out = value::of(b.is_number()   ? gradlab::pow(a.t, b.num)
                        : a.is_number() ? gradlab::pow(a.num, b.t)
                                        : gradlab::pow(a.t, b.t));
      } else if (a.is_number()) {
        out = value::of(op == "+"   ? a.num + b.t
                        : op == "-" ? a.num - b.t
                        : op == "*" ? a.num * b.t
                                    : a.num / b.t);
      } else if (b.is_number()) {
        out = value::of(op == "+"   ? a.t + b.num
                        : op == "-" ? a.t - b.num
                        : op == "*" ? a.t * b.num
                                    : a.t / b.num);
      } else {
        out = value::of(op == "+"   ? a.t + b.t
                        : op == "-" ? a.t - b.t
                        : op == "*" ? a.t * b.t
                                    : a.t / b.t);
      }
      return record(out, e, {label(x.args[0], a), label(x.args[1], b)});
    } catch (const model_error&) {
      throw;
    } catch (const gradlab::error& err) {
      rethrow(err, e, {x.args[0], x.args[1]}, {a, b});
    }
  }

  value index(int e, const expr& x) {
    value recv = eval(x.args[0]);
    if (!recv.t.defined())
      fail(x.where,
           std::string(recv.none ? "'NoneType'" : "'float'") + " object is not subscriptable",
           "TypeError");
    Tensor t = recv.t;
    std::size_t dim = 0;
    std::vector<std::string> labels{label(x.args[0], recv)};
    for (std::size_t i = 1; i < x.args.size(); ++i) {
      const expr& item = p.at(x.args[i]);
      if (item.kind == expr_kind::slice) {
        ++dim;
        continue;
      }
      const value iv = eval(x.args[i]);
      if (!iv.is_number() || iv.num != std::floor(iv.num))
        fail(item.where, "only integers and ':' can index a tensor here", "IndexError");
      if (dim >= t.dim())
        fail(item.where, "too many indices for tensor of dimension " + std::to_string(recv.t.dim()),
             "IndexError");
      // A Python int past int64 (or inf) cannot become an index: PyTorch's message for it
      // (as Debian's torch 1.13 gives it), and no out-of-range conversion (undefined behaviour)
      if (!(iv.num >= -0x1p63 && iv.num < 0x1p63))
        fail(item.where, "Overflow when unpacking long", "RuntimeError");
      try {
        t = select(t, static_cast<long long>(dim), static_cast<long long>(iv.num), true);
      } catch (const gradlab::error& err) {
        fail(x.where,
             std::string(err.what()) + " (in '" + p.text_of(e, 50) + "': '" +
                 p.text_of(x.args[0], 30) + "' has shape " + shape_str(recv.t.shape()) + ")",
             err.type());
      }
    }
    if (dim > t.dim())
      fail(x.where, "too many indices for tensor of dimension " + std::to_string(recv.t.dim()),
           "IndexError");
    value out = value::of(t);
    return record(out, e, labels);
  }

  value eval(int e) {
    const expr& x = p.at(e);
    switch (x.kind) {
      case expr_kind::number:
        return x.text == "None" ? value::none_value() : value::of(x.number);
      case expr_kind::name:
        return env[static_cast<std::size_t>(m.slot_[static_cast<std::size_t>(e)])];
      case expr_kind::unary: {
        value v = eval(x.args[0]);
        if (v.none)
          fail(x.where, "bad operand type for unary " + x.text + ": 'NoneType'", "TypeError");
        if (x.text == "+") return v;
        if (v.is_number()) return value::of(-v.num);
        value out = value::of(-v.t);
        return record(out, e, {label(x.args[0], v)});
      }
      case expr_kind::binary:
        return binary(e, x);
      case expr_kind::call: {
        std::vector<value> pos;
        for (int a : x.args) pos.push_back(eval(a));
        return call(*find_function(x.text), e, x.args, x.kwargs, std::move(pos));
      }
      case expr_kind::method:
      case expr_kind::attribute: {
        std::vector<value> pos;
        for (int a : x.args) pos.push_back(eval(a));
        if (!pos[0].t.defined())
          fail(x.where,
               std::string(pos[0].none ? "'NoneType'" : "'float'") + " object has no attribute '" +
                   x.text + "'",
               "AttributeError");
        return call(*find_function(x.text), e, x.args, x.kwargs, std::move(pos));
      }
      case expr_kind::index:
        return index(e, x);
      case expr_kind::list:
        fail(x.where, "lists are only allowed as a parameter's initial value", "TypeError");
      case expr_kind::slice:
        fail(x.where, "':' is only allowed inside []", "SyntaxError");
    }
    fail(x.where, "unsupported expression", "SyntaxError");
  }
};

Tensor compiled_model::loss(const std::vector<Tensor>& params, const std::vector<Tensor>& columns,
                            std::vector<trace_entry>* trace, std::vector<Tensor>* probes) const {
  std::vector<value> env(num_slots_);
  for (std::size_t i = 0; i < columns.size(); ++i) env[i] = value::of(columns[i]);
  for (std::size_t i = 0; i < params.size(); ++i) env[columns_.size() + i] = value::of(params[i]);
  evaluator ev{*this, *prog_, env, trace, probes, nullptr};
  value last;
  for (std::size_t s = 0; s <= loss_stmt_; ++s) {
    const stmt& st = prog_->stmts[s];
    if (st.kind == stmt_kind::param) continue;
    last = ev.eval(st.value);
    if (assign_slot_[s] >= 0) env[static_cast<std::size_t>(assign_slot_[s])] = last;
  }
  const stmt& ls = prog_->stmts[loss_stmt_];
  if (mse_) {
    const Tensor& target = columns[target_index_];
    if (!last.t.defined())
      fail(ls.where, "the prediction does not depend on any parameter", "ValueError");
    // The book's loss_fn: ((t_p - t_c) ** 2).mean()
    Tensor diff;
    try {
      diff = last.t - target;
    } catch (const gradlab::error& err) {
      fail(ls.where,
           std::string(err.what()) + " (in the MSE loss: the prediction '" +
               prog_->text_of(ls.value, 30) + "' has shape " + shape_str(last.t.shape()) +
               ", the target '" + target_ + "' has shape " + shape_str(target.shape()) + ")",
           err.type());
    }
    if (trace) trace->push_back({diff.grad_fn(), "t_p - " + target_, diff, {"", target_}});
    if (trace && probes) diff = ev.probe(diff);
    Tensor sq = diff.pow(2);
    if (trace) trace->push_back({sq.grad_fn(), "(t_p - " + target_ + ") ** 2", sq, {"", "2"}});
    if (trace && probes) sq = ev.probe(sq);
    Tensor out = sq.mean();
    if (trace)
      trace->push_back({out.grad_fn(), "loss = ((t_p - " + target_ + ") ** 2).mean()", out, {""}});
    if (trace && probes) out = ev.probe(out);
    return out;
  }
  if (!last.t.defined()) fail(ls.where, "the loss does not depend on any parameter", "ValueError");
  if (last.t.numel() != 1 || last.t.dim() != 0)
    fail(ls.where,
         "the loss must be a single number (a 0-dim tensor), but '" + prog_->text_of(ls.value, 30) +
             "' has shape " + shape_str(last.t.shape()) + ": add .mean() or .sum()",
         "RuntimeError");
  return last.t;
}

// ------------------------------------------------------------------ compilation
compiled_model compiled_model::compile(const std::string& text, const columns_t& columns,
                                       const std::string& target) {
  compiled_model m;
  auto prog = std::make_shared<program>(parse(text));
  const program& p = *prog;
  m.prog_ = prog;
  for (const auto& c : columns) m.columns_.push_back(c.first);
  m.target_ = target;
  if (!target.empty()) {
    auto it = std::find(m.columns_.begin(), m.columns_.end(), target);
    if (it == m.columns_.end())
      value_error("the target column '" + target + "' is not in the data");
    m.target_index_ = static_cast<std::size_t>(it - m.columns_.begin());
  }
  if (p.stmts.empty())
    throw model_error(at(span{1, 1, 1, 2, 0, 0},
                         "the model is empty: write an expression or 'loss = ...'", "SyntaxError"));

  // Declared parameters come first in declaration order, then free names in order of use.
  enum class kind { column, param, variable };
  struct sym {
    std::string name;
    kind k;
    std::size_t index;  // column index, param index or variable number
  };
  std::vector<sym> symbols;
  std::map<std::string, std::size_t> by_name;
  auto add_symbol = [&](sym s) {
    by_name[s.name] = symbols.size();
    symbols.push_back(std::move(s));
  };
  for (std::size_t i = 0; i < m.columns_.size(); ++i) add_symbol({m.columns_[i], kind::column, i});
  auto lookup = [&](const std::string& n) -> const sym* {
    auto it = by_name.find(n);
    return it == by_name.end() ? nullptr : &symbols[it->second];
  };
  // Bounds that keep compile time and memory reasonable whatever the text.
  const std::size_t kMaxParams = 1000, kMaxParamValues = 5000000;
  std::size_t param_values = 0;
  auto check_param_budget = [&](const span& where, std::size_t n) {
    param_values += n;
    if (m.params_.size() >= kMaxParams)
      fail(where, "too many parameters (the limit is " + std::to_string(kMaxParams) + ")",
           "ValueError");
    if (param_values > kMaxParamValues)
      fail(where, "the parameters hold more than " + std::to_string(kMaxParamValues) + " values",
           "ValueError");
  };
  std::size_t variables = 0;
  m.slot_.assign(p.nodes.size(), -1);
  std::vector<std::pair<int, std::size_t>> name_refs;  // node -> symbol index, fixed up later
  std::vector<std::size_t> var_of_stmt(p.stmts.size(), SIZE_MAX);

  auto resolve = [&](int root) {
    std::vector<int> stack{root};
    while (!stack.empty()) {
      const int e = stack.back();
      stack.pop_back();
      const expr& x = p.at(e);
      for (auto it = x.args.rbegin(); it != x.args.rend(); ++it) stack.push_back(*it);
      for (auto it = x.kwargs.rbegin(); it != x.kwargs.rend(); ++it) stack.push_back(it->value);
      if (x.kind == expr_kind::call) {
        const function_info* f = find_function(x.text);
        if (!f || f->attribute) {
          span name_span = x.where;
          name_span.end_col = name_span.col + static_cast<int>(x.text.size());
          name_span.end_line = name_span.line;
          if (planned_function(x.text))
            fail(name_span, "function '" + x.text + "' is not available in this build yet",
                 "NameError");
          fail(name_span,
               "unknown function '" + x.text + "'." + suggestion(x.text, function_names()),
               "NameError");
        }
      } else if (x.kind == expr_kind::method || x.kind == expr_kind::attribute) {
        const function_info* f = find_function(x.text);
        const bool ok =
            f && (x.kind == expr_kind::method ? f->method && !f->attribute : f->attribute);
        if (!ok) {
          span s = x.where;
          s.col = s.end_line == s.line
                      ? std::max(s.col, s.end_col - static_cast<int>(x.text.size()))
                      : s.col;
          if (x.kind == expr_kind::method) {
            // the name sits before "(...)": point at the whole call when positions are unsure
            s = x.where;
          }
          std::vector<std::string> cands;
          for (const auto& g : functions())
            if (x.kind == expr_kind::method ? g.method && !g.attribute : g.attribute)
              cands.push_back(g.name);
          if (x.text == "grad" || x.text == "data" || x.text == "item")
            fail(s, "'." + x.text + "' cannot be used inside a model", "AttributeError");
          if (planned_function(x.text))
            fail(s, "'Tensor." + x.text + "' is not available in this build yet", "AttributeError");
          fail(s, "'Tensor' object has no attribute '" + x.text + "'." + suggestion(x.text, cands),
               "AttributeError");
        }
      } else if (x.kind == expr_kind::name) {
        if (const sym* s = lookup(x.text)) {
          name_refs.emplace_back(e, static_cast<std::size_t>(s - symbols.data()));
          continue;
        }
        if (find_function(x.text) || planned_function(x.text))
          fail(x.where, "'" + x.text + "' is a function: call it, as in " + x.text + "(x)",
               "TypeError");
        // A free name becomes a scalar parameter, unless it looks like a misspelt name.
        // Candidates: data columns, variables and declared parameters; never other free
        // names, nor names that differ only in digits (w1 / w2 are meant to be different).
        std::string near;
        if (symbols.size() <= 2000) {
          auto letters = [](std::string t) {
            t.erase(std::remove_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }),
                    t.end());
            return t;
          };
          std::vector<std::string> cands;
          for (const auto& sy : symbols)
            if (!(sy.k == kind::param && m.params_[sy.index].implicit) &&
                letters(sy.name) != letters(x.text))
              cands.push_back(sy.name);
          near = did_you_mean(x.text, cands);
        }
        if (x.text.size() >= 3 && !near.empty() && near.size() >= 3)
          fail(x.where, "name '" + x.text + "' is not defined. Did you mean '" + near + "'?",
               "NameError");
        param_spec ps;
        ps.name = x.text;
        ps.implicit = true;
        ps.init = Tensor::zeros({});
        ps.where = x.where;
        check_param_budget(x.where, 1);
        add_symbol({x.text, kind::param, m.params_.size()});
        m.params_.push_back(std::move(ps));
        name_refs.emplace_back(e, symbols.size() - 1);
      }
    }
  };

  for (std::size_t si = 0; si < p.stmts.size(); ++si) {
    const stmt& st = p.stmts[si];
    if (st.kind == stmt_kind::param) {
      if (const sym* s = lookup(st.name)) {
        const char* what = s->k == kind::column  ? "a data column"
                           : s->k == kind::param ? "already a parameter"
                                                 : "already a variable";
        fail(st.name_span, "'" + st.name + "' is " + what + ": choose another name", "NameError");
      }
      if (find_function(st.name))
        fail(st.name_span, "'" + st.name + "' is a function name: choose another name",
             "NameError");
      param_spec ps;
      ps.name = st.name;
      ps.shape = st.shape;
      ps.where = st.name_span;
      check_param_budget(st.name_span, st.has_shape ? numel(st.shape) : 1);
      ps.init = initial_value(p, st.value, st.shape, st.has_shape, m.params_.size());
      ps.shape = ps.init.shape();
      add_symbol({st.name, kind::param, m.params_.size()});
      m.params_.push_back(std::move(ps));
      continue;
    }
    resolve(st.value);
    if (st.kind == stmt_kind::assign) {
      if (const sym* s = lookup(st.name)) {
        if (s->k == kind::column)
          fail(st.name_span, "'" + st.name + "' is a data column: choose another name",
               "NameError");
        if (s->k == kind::param)
          fail(st.name_span, "'" + st.name + "' is a parameter: choose another name", "NameError");
        var_of_stmt[si] = s->index;
      } else {
        if (find_function(st.name))
          fail(st.name_span, "'" + st.name + "' is a function name: choose another name",
               "NameError");
        add_symbol({st.name, kind::variable, variables});
        var_of_stmt[si] = variables++;
      }
    }
  }

  // Slots: columns, then parameters, then variables.
  const std::size_t ncol = m.columns_.size(), npar = m.params_.size();
  m.num_slots_ = ncol + npar + variables;
  auto slot_of = [&](const sym& s) {
    return static_cast<int>(s.k == kind::column  ? s.index
                            : s.k == kind::param ? ncol + s.index
                                                 : ncol + npar + s.index);
  };
  for (const auto& [node, si] : name_refs)
    m.slot_[static_cast<std::size_t>(node)] = slot_of(symbols[si]);
  m.assign_slot_.assign(p.stmts.size(), -1);
  for (std::size_t si = 0; si < p.stmts.size(); ++si)
    if (var_of_stmt[si] != SIZE_MAX)
      m.assign_slot_[si] = static_cast<int>(ncol + npar + var_of_stmt[si]);

  // The loss: the last `loss = ...`; else the last expression (or assignment), compared
  // with the target by MSE unless it is already a single number.
  bool found = false;
  for (std::size_t si = p.stmts.size(); si-- > 0;)
    if (p.stmts[si].kind == stmt_kind::assign && p.stmts[si].name == "loss") {
      m.loss_stmt_ = si;
      found = true;
      break;
    }
  bool fallback = false;
  if (!found) {
    for (std::size_t si = p.stmts.size(); si-- > 0 && !found;)
      if (p.stmts[si].kind != stmt_kind::param) {
        m.loss_stmt_ = si;
        found = fallback = true;
      }
  }
  if (!found) {
    const stmt& last = p.stmts.back();
    fail(last.where, "the model has no expression: add one, e.g. 'loss = ...'", "SyntaxError");
  }

  // A dry run without graphs checks names, shapes and the loss's form up front.
  std::vector<Tensor> cols, pars;
  for (const auto& c : columns) cols.push_back(c.second);
  for (const auto& ps : m.params_) pars.push_back(ps.init);
  if (fallback) {
    no_grad_guard ng;
    // Decide: a single number is the loss itself; anything else is a prediction.
    m.mse_ = false;
    std::vector<value> env(m.num_slots_);
    for (std::size_t i = 0; i < cols.size(); ++i) env[i] = value::of(cols[i]);
    for (std::size_t i = 0; i < pars.size(); ++i) env[ncol + i] = value::of(pars[i]);
    evaluator ev{m, p, env, nullptr, nullptr, nullptr};
    value last;
    for (std::size_t s = 0; s <= m.loss_stmt_; ++s) {
      const stmt& st = p.stmts[s];
      if (st.kind == stmt_kind::param) continue;
      last = ev.eval(st.value);
      if (m.assign_slot_[s] >= 0) env[static_cast<std::size_t>(m.assign_slot_[s])] = last;
    }
    const bool scalar = !!last.t.defined() && last.t.dim() == 0;
    if (!scalar && !!last.t.defined()) {
      if (target.empty())
        fail(p.stmts[m.loss_stmt_].where,
             "'" + p.text_of(p.stmts[m.loss_stmt_].value, 30) + "' has shape " +
                 shape_str(last.t.shape()) +
                 " and the data has no target column: write 'loss = ...' as a single number",
             "RuntimeError");
      m.mse_ = true;
    }
  }
  // One forward with grad on: shapes, the loss's form, and that it reaches a parameter.
  enable_grad_guard eg;
  std::vector<Tensor> live;
  for (const auto& t : pars) live.push_back(t.clone().requires_grad_(true));
  const Tensor loss = m.loss(live, cols);
  if (!loss.requires_grad())
    fail(p.stmts[m.loss_stmt_].where, "the loss does not depend on any parameter", "ValueError");
  return m;
}

}  // namespace gradlab::model
