// The landscape's fused evaluator (see fused_loss.hpp). Each op rounds to float as the
// float32 kernels do; a function call runs the op table row's own element rule
// (op_info::f32), so its values are the op's, and every Tensor -> Tensor row is fused.
#include "session/fused_loss.hpp"

#include <cmath>
#include <stdexcept>

#include "gradlab/int_cast.hpp"
#include "gradlab/ops/op_args.hpp"
#include "ops/pow_scalar.hpp"

namespace gradlab::detail {

namespace {

using model::expr;
using model::expr_kind;

struct unsupported {};  // thrown inside compile(): fall back to the general evaluator

/// A Tensor -> Tensor row of the op table with its float element rule (op_info::f32, the op's
/// own functor), or null: the general evaluator draws the rest.
const op_info* element_op(const std::string& n) {
  const op_info* row = find_op(n);
  return row && row->f32 ? row : nullptr;
}

using kernels::pow_scalar;

/// What a compiled subexpression is: a Python number (folded), or float code that either
/// varies with the row or does not.
struct kind {
  bool constant = false;
  double value = 0;
  bool row = false;
};

class compiler {
 public:
  compiler(const model::compiled_model& m, const model::columns_t& cols,
           const std::vector<Tensor>& params, std::vector<fused_loss::instr>& code,
           std::vector<std::size_t>& offsets, std::size_t& rows)
      : m_(m),
        p_(m.ast()),
        cols_(cols),
        params_(params),
        code_(code),
        offsets_(offsets),
        rows_(rows) {
    std::size_t off = 0;
    for (const auto& t : params) {
      if (t.dtype() != dtype::float32) throw unsupported{};
      offsets_.push_back(off);
      off += t.numel();
    }
    var_kind_.resize(m.num_slots());
  }

  void emit(fused_loss::op c, int a = 0, float k = 0, double e = 0) {
    code_.push_back({c, a, k, e});
    if (c == fused_loss::op::konst || c == fused_loss::op::column || c == fused_loss::op::param ||
        c == fused_loss::op::var)
      max_depth_ = std::max(max_depth_, ++depth_);
    else if (c != fused_loss::op::neg && c != fused_loss::op::pow && c != fused_loss::op::fn)
      --depth_;  // binary ops, store and pop consume one
  }
  /// Makes a folded number real code (a float constant), when it meets float code.
  void materialise(kind& k) {
    if (!k.constant) return;
    emit(fused_loss::op::konst, 0, static_cast<float>(k.value));
    k.constant = false;
  }

  kind compile(int e) {
    const expr& x = p_.at(e);
    switch (x.kind) {
      case expr_kind::number:
        if (x.text == "None") throw unsupported{};
        return {true, x.number, false};
      case expr_kind::name: {
        const int slot = m_.slot_of(e);
        const std::size_t ncol = cols_.size(), npar = params_.size();
        if (slot < 0) throw unsupported{};
        const std::size_t s = static_cast<std::size_t>(slot);
        if (s < ncol) {
          const Tensor& c = cols_[s].second;
          if (c.dim() != 1 || c.dtype() != dtype::float32) throw unsupported{};
          if (rows_ == 0) rows_ = c.numel();
          if (c.numel() != rows_) throw unsupported{};
          emit(fused_loss::op::column, slot);
          return {false, 0, true};
        }
        if (s < ncol + npar) {
          if (params_[s - ncol].dim() != 0) throw unsupported{};
          emit(fused_loss::op::param, static_cast<int>(offsets_[s - ncol]));
          return {false, 0, false};
        }
        const kind& v = var_kind_[s];
        if (v.constant) return v;
        emit(fused_loss::op::var, slot);
        return v;
      }
      case expr_kind::unary: {
        kind k = compile(x.args[0]);
        if (x.text == "+") return k;
        if (k.constant) return {true, -k.value, false};
        emit(fused_loss::op::neg);
        return k;
      }
      case expr_kind::binary: {
        if (x.text == "@") throw unsupported{};
        if (x.text == "**") {
          kind base = compile(x.args[0]);
          const std::size_t mark = code_.size();
          kind ex = compile(x.args[1]);
          if (!ex.constant || code_.size() != mark) throw unsupported{};
          if (base.constant) return {true, std::pow(base.value, ex.value), false};
          emit(fused_loss::op::pow, 0, 0, ex.value);
          return base;
        }
        const std::size_t before = code_.size();
        kind a = compile(x.args[0]);
        const std::size_t mid = code_.size();
        kind b = compile(x.args[1]);
        if (a.constant && b.constant) {
          if (x.text == "/" && b.value == 0) throw unsupported{};
          const double v = x.text == "+"   ? a.value + b.value
                           : x.text == "-" ? a.value - b.value
                           : x.text == "*" ? a.value * b.value
                                           : a.value / b.value;
          return {true, v, false};
        }
        if (a.constant) {
          // the constant goes before b's code
          code_.insert(code_.begin() + static_cast<long>(mid),
                       {fused_loss::op::konst, 0, static_cast<float>(a.value), 0});
          max_depth_ = std::max(max_depth_, depth_ + 1);
          a.constant = false;
        }
        (void)before;
        materialise(b);
        emit(x.text == "+"   ? fused_loss::op::add
             : x.text == "-" ? fused_loss::op::sub
             : x.text == "*" ? fused_loss::op::mul
                             : fused_loss::op::div);
        return {false, 0, a.row || b.row};
      }
      case expr_kind::call:
      case expr_kind::method: {
        const bool method = x.kind == expr_kind::method;
        const op_info* f = element_op(x.text);
        if (!f || !x.kwargs.empty() || x.args.size() != 1) throw unsupported{};
        (void)method;
        kind k = compile(x.args[0]);
        materialise(k);
        emit(fused_loss::op::fn);
        code_.back().fn = f->f32;
        return k;
      }
      case expr_kind::index: {
        // p[i] on a 1-D parameter with a constant index
        const expr& recv = p_.at(x.args[0]);
        if (recv.kind != expr_kind::name || x.args.size() != 2) throw unsupported{};
        const int slot = m_.slot_of(x.args[0]);
        const std::size_t ncol = cols_.size(), npar = params_.size();
        if (slot < static_cast<int>(ncol) || static_cast<std::size_t>(slot) >= ncol + npar)
          throw unsupported{};
        const Tensor& t = params_[static_cast<std::size_t>(slot) - ncol];
        const expr& ix = p_.at(x.args[1]);
        if (t.dim() != 1 || ix.kind != expr_kind::number || ix.number != std::floor(ix.number))
          throw unsupported{};
        long long i = saturating_cast<long long>(ix.number);  // out of range: refused below
        if (i < 0) i += static_cast<long long>(t.numel());
        if (i < 0 || i >= static_cast<long long>(t.numel())) throw unsupported{};
        emit(fused_loss::op::param,
             static_cast<int>(offsets_[static_cast<std::size_t>(slot) - ncol] +
                              static_cast<std::size_t>(i)));
        return {false, 0, false};
      }
      default:
        throw unsupported{};
    }
  }

  void store(int slot, kind k) {
    var_kind_[static_cast<std::size_t>(slot)] = k;
    if (k.constant) return;
    emit(fused_loss::op::store, slot);
  }

  kind compile_column_for_target(int slot) {
    const Tensor& c = cols_[static_cast<std::size_t>(slot)].second;
    if (c.dim() != 1 || c.dtype() != dtype::float32) throw unsupported{};
    if (rows_ == 0) rows_ = c.numel();
    if (c.numel() != rows_) throw unsupported{};
    emit(fused_loss::op::column, slot);
    return {false, 0, true};
  }

  std::size_t max_depth() const { return static_cast<std::size_t>(max_depth_); }

 private:
  const model::compiled_model& m_;
  const model::program& p_;
  const model::columns_t& cols_;
  const std::vector<Tensor>& params_;
  std::vector<fused_loss::instr>& code_;
  std::vector<std::size_t>& offsets_;
  std::size_t& rows_;
  std::vector<kind> var_kind_;
  int depth_ = 0, max_depth_ = 1;
};

}  // namespace

std::unique_ptr<fused_loss> fused_loss::compile(const model::compiled_model& m,
                                                const model::columns_t& cols,
                                                const std::vector<Tensor>& params) {
  auto f = std::make_unique<fused_loss>();
  std::size_t rows = 0;
  try {
    compiler c(m, cols, params, f->code_, f->param_offset_, rows);
    const model::program& p = m.ast();
    for (std::size_t s = 0; s < m.loss_statement(); ++s) {
      const model::stmt& st = p.stmts[s];
      if (st.kind != model::stmt_kind::assign) continue;
      c.store(m.assign_slot(s), c.compile(st.value));
    }
    const model::stmt& last = p.stmts[m.loss_statement()];
    int root = last.value;
    kind k;
    if (m.mse_against_target()) {
      k = c.compile(root);
      c.materialise(k);
      const auto& names = m.column_names();
      std::size_t t = 0;
      while (t < names.size() && names[t] != m.target()) ++t;
      kind target = c.compile_column_for_target(static_cast<int>(t));
      (void)target;
      c.emit(op::sub);
      c.emit(op::pow, 0, 0, 2.0);
      f->reduce_ = reduction::mean;
      k.row = true;
    } else {
      const expr& r = p.at(root);
      const bool reduced = (r.kind == expr_kind::method && r.args.size() == 1 && r.kwargs.empty() &&
                            (r.text == "mean" || r.text == "sum")) ||
                           (r.kind == expr_kind::call && r.args.size() == 1 && r.kwargs.empty() &&
                            (r.text == "mean" || r.text == "sum"));
      if (reduced) {
        f->reduce_ = r.text == "mean" ? reduction::mean : reduction::sum;
        root = r.args[0];
      }
      k = c.compile(root);
      c.materialise(k);
      if (!reduced && k.row) throw unsupported{};  // a per-row value is not a loss
    }
    f->uniform_ = !k.row;
    f->stack_ = f->code_.size() + 2;  // each instruction pushes at most one value
    (void)last;
  } catch (const unsupported&) {
    return nullptr;
  }
  f->rows_ = rows == 0 ? 1 : rows;
  for (const auto& col : cols)
    f->columns_.push_back(col.second.dtype() == dtype::float32 ? col.second.data<float>().data()
                                                               : nullptr);
  f->vars_ = m.num_slots();
  return f;
}

std::vector<float> fused_loss::initial_values(const std::vector<Tensor>& params) const {
  std::vector<float> v;
  for (const auto& t : params)
    for (double x : t.to_vector()) v.push_back(static_cast<float>(x));
  return v;
}

float fused_loss::eval(const std::vector<float>& pv) const {
  std::vector<float> stack(stack_), vars(vars_);
  const std::size_t n = uniform_ ? 1 : rows_;
  double total = 0;
  float last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t sp = 0;
    for (const instr& in : code_) {
      switch (in.code) {
        case op::konst:
          stack[sp++] = in.k;
          break;
        case op::column:
          stack[sp++] = columns_[static_cast<std::size_t>(in.a)][i];
          break;
        case op::param:
          stack[sp++] = pv[static_cast<std::size_t>(in.a)];
          break;
        case op::var:
          stack[sp++] = vars[static_cast<std::size_t>(in.a)];
          break;
        case op::store:
          vars[static_cast<std::size_t>(in.a)] = stack[--sp];
          break;
        case op::pop:
          --sp;
          break;
        case op::add:
          --sp;
          stack[sp - 1] = stack[sp - 1] + stack[sp];
          break;
        case op::sub:
          --sp;
          stack[sp - 1] = stack[sp - 1] - stack[sp];
          break;
        case op::mul:
          --sp;
          stack[sp - 1] = stack[sp - 1] * stack[sp];
          break;
        case op::div:
          --sp;
          stack[sp - 1] = stack[sp - 1] / stack[sp];
          break;
        case op::neg:
          stack[sp - 1] = -stack[sp - 1];
          break;
        case op::pow:
          stack[sp - 1] = pow_scalar(stack[sp - 1], in.e);
          break;
        case op::fn:
          stack[sp - 1] = in.fn(stack[sp - 1]);
          break;
      }
    }
    last = stack[sp - 1];
    total += last;
  }
  if (uniform_) return last;  // mean or sum of one value is that value
  if (reduce_ == reduction::mean) return static_cast<float>(total) / static_cast<float>(n);
  return static_cast<float>(total);
}

}  // namespace gradlab::detail
