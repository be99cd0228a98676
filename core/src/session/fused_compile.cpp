// The session's compiled training step, compiled: the model's statements up to the loss
// become fused_train's list of nodes (see fused_train.hpp), or the model is left to the
// general engine.
#include <algorithm>
#include <cmath>

#include "gradlab/int_cast.hpp"
#include "session/fused_train.hpp"

namespace gradlab::detail {

using model::expr;
using model::expr_kind;
using node = fused_train::node;
using op = fused_train::op;

namespace {
struct unsupported {};  // thrown inside compile(): the general engine runs this model

/// What a subexpression evaluates to: a Python number (folded in double, as the evaluator
/// folds them) or a node.
struct val {
  bool number = false;
  double num = 0;
  int id = -1;
};
}  // namespace

class fused_train_compiler {
 public:
  fused_train_compiler(const model::compiled_model& m, const model::columns_t& cols,
                       const std::vector<Tensor>& params, fused_train& f)
      : m_(m), p_(m.ast()), cols_(cols), params_(params), f_(f), vars_(m.num_slots()) {
    for (const auto& t : params)
      if (t.dtype() != dtype::float32 || t.dim() > 1) throw unsupported{};
  }

  int add(node n) {
    f_.nodes_.push_back(n);
    return static_cast<int>(f_.nodes_.size()) - 1;
  }
  const node& at(int id) const { return f_.nodes_[static_cast<std::size_t>(id)]; }

  int column(std::size_t c) {
    const Tensor& t = cols_[c].second;
    if (t.dim() != 1 || t.dtype() != dtype::float32) throw unsupported{};
    if (!have_rows_) f_.rows_ = t.numel(), have_rows_ = true;
    if (t.numel() != f_.rows_) throw unsupported{};
    node n{op::column};
    n.column = c;
    n.row = true;
    return add(n);
  }

  /// a op b, with either side a number (wrapped as a float32 scalar) but not both.
  int binary(op code, val a, val b) {
    node n{code};
    if (a.number) n.ka = static_cast<float>(a.num);
    if (b.number) n.kb = static_cast<float>(b.num);
    n.a = a.number ? -1 : a.id;
    n.b = b.number ? -1 : b.id;
    n.row = (n.a >= 0 && at(n.a).row) || (n.b >= 0 && at(n.b).row);
    n.grad = (n.a >= 0 && at(n.a).grad) || (n.b >= 0 && at(n.b).grad);
    return add(n);
  }
  int unary(op code, int a, double e = 0) {
    node n{code};
    n.a = a;
    n.e = e;
    n.row = code == op::mean || code == op::sum ? false : at(a).row;
    n.grad = at(a).grad;
    return add(n);
  }

  val eval(int e) {
    const expr& x = p_.at(e);
    switch (x.kind) {
      case expr_kind::number:
        if (x.text == "None") throw unsupported{};
        return {true, x.number, -1};
      case expr_kind::name: {
        const int slot = m_.slot_of(e);
        if (slot < 0) throw unsupported{};
        const std::size_t s = static_cast<std::size_t>(slot), ncol = cols_.size();
        if (s < ncol) return {false, 0, column(s)};
        if (s < ncol + params_.size()) {
          if (params_[s - ncol].dim() != 0) throw unsupported{};  // a whole vector parameter
          node n{op::param};
          n.param = s - ncol;
          n.grad = true;
          return {false, 0, add(n)};
        }
        if (!vars_[s].set) throw unsupported{};
        return vars_[s].v;
      }
      case expr_kind::unary: {
        val v = eval(x.args[0]);
        if (x.text == "+") return v;
        if (v.number) return {true, -v.num, -1};
        return {false, 0, unary(op::neg, v.id)};
      }
      case expr_kind::binary: {
        const val a = eval(x.args[0]);
        const val b = eval(x.args[1]);
        const std::string& o = x.text;
        if (a.number && b.number) {
          if (o == "+") return {true, a.num + b.num, -1};
          if (o == "-") return {true, a.num - b.num, -1};
          if (o == "*") return {true, a.num * b.num, -1};
          if (o == "/" && b.num != 0) return {true, a.num / b.num, -1};
          if (o == "**") return {true, std::pow(a.num, b.num), -1};
          throw unsupported{};
        }
        if (o == "**") {
          if (a.number || !b.number) throw unsupported{};  // PowBackward1/2: not fused
          return {false, 0, unary(op::pow, a.id, b.num)};
        }
        const op code = o == "+"   ? op::add
                        : o == "-" ? op::sub
                        : o == "*" ? op::mul
                        : o == "/" ? op::div
                                   : throw unsupported{};
        return {false, 0, binary(code, a, b)};
      }
      case expr_kind::call:
      case expr_kind::method: {
        if ((x.text != "mean" && x.text != "sum") || x.args.size() != 1 || !x.kwargs.empty())
          throw unsupported{};
        const val v = eval(x.args[0]);
        if (v.number) throw unsupported{};
        return {false, 0, unary(x.text == "mean" ? op::mean : op::sum, v.id)};
      }
      case expr_kind::index: {
        // p[i]: one constant index into a 1-D parameter (SelectBackward0)
        if (x.args.size() != 2) throw unsupported{};
        const int slot = m_.slot_of(x.args[0]);
        const std::size_t ncol = cols_.size();
        if (slot < static_cast<int>(ncol) ||
            static_cast<std::size_t>(slot) >= ncol + params_.size())
          throw unsupported{};
        const std::size_t pi = static_cast<std::size_t>(slot) - ncol;
        const Tensor& t = params_[pi];
        if (p_.at(x.args[1]).kind == expr_kind::slice) throw unsupported{};
        const val ix = eval(x.args[1]);
        if (t.dim() != 1 || !ix.number || ix.num != std::floor(ix.num)) throw unsupported{};
        long long i = saturating_cast<long long>(ix.num);  // out of range: refused below
        if (i < 0) i += static_cast<long long>(t.numel());
        if (i < 0 || i >= static_cast<long long>(t.numel())) throw unsupported{};
        node n{op::select};
        n.param = pi;
        n.index = static_cast<std::size_t>(i);
        n.grad = true;
        return {false, 0, add(n)};
      }
      default:
        throw unsupported{};
    }
  }

  /// Compiles statements up to the loss; returns the loss node.
  int program() {
    for (std::size_t s = 0; s <= m_.loss_statement(); ++s) {
      const model::stmt& st = p_.stmts[s];
      if (st.kind == model::stmt_kind::param) continue;
      last_ = eval(st.value);
      const int slot = m_.assign_slot(s);
      if (slot >= 0) vars_[static_cast<std::size_t>(slot)] = {true, last_};
    }
    if (last_.number) throw unsupported{};
    int root = last_.id;
    if (m_.mse_against_target()) {
      // The book's loss_fn: ((t_p - t_c) ** 2).mean()
      const auto& names = m_.column_names();
      std::size_t t = 0;
      while (t < names.size() && names[t] != m_.target()) ++t;
      if (t == names.size()) throw unsupported{};
      const int diff = binary(op::sub, last_, {false, 0, column(t)});
      root = unary(op::mean, unary(op::pow, diff, 2.0));
    }
    const node& r = at(root);
    if (root + 1 != static_cast<int>(f_.nodes_.size())) throw unsupported{};
    if (r.row || !r.grad || r.code == op::param || r.code == op::select) throw unsupported{};
    return root;
  }

 private:
  struct var {
    bool set = false;
    val v;
  };
  const model::compiled_model& m_;
  const model::program& p_;
  const model::columns_t& cols_;
  const std::vector<Tensor>& params_;
  fused_train& f_;
  std::vector<var> vars_;
  val last_;
  bool have_rows_ = false;
};

std::unique_ptr<fused_train> fused_train::compile(const model::compiled_model& m,
                                                  const model::columns_t& cols,
                                                  const std::vector<Tensor>& params) {
  if (m.ast().stmts.empty()) return nullptr;
  auto f = std::make_unique<fused_train>();
  try {
    fused_train_compiler c(m, cols, params, *f);
    c.program();
  } catch (const unsupported&) {
    return nullptr;
  }
  const std::size_t n = f->nodes_.size();
  f->values_.resize(n);
  f->grads_.resize(n);
  f->has_grad_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t size = f->nodes_[i].row ? f->rows_ : 1;
    f->values_[i].assign(size, 0.0f);
    f->grads_[i].assign(size, 0.0f);
    // data never changes under a compiled step (new data recompiles): copied once, here
    if (f->nodes_[i].code == op::column) {
      const auto& d = cols[f->nodes_[i].column].second.data<float>();
      std::copy(d.begin(), d.end(), f->values_[i].begin());
    }
  }
  for (const auto& p : params) {
    f->param_grad_.emplace_back(p.numel(), 0.0f);
    f->param_shape_.push_back(p.shape());
  }
  f->param_has_grad_.assign(params.size(), 0);
  return f;
}

}  // namespace gradlab::detail
