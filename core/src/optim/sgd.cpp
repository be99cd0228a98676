// torch.optim.SGD, following the algorithm in PyTorch's documentation:
//   g <- grad (negated if maximize) + weight_decay * p
//   b <- g on the first step, else momentum * b + (1 - dampening) * g
//   g <- g + momentum * b if nesterov, else b        (when momentum != 0)
//   p <- p - lr * g
#include "declare.hpp"
#include "gradlab/ops.hpp"

namespace gradlab::optim::detail {

namespace {
struct SGD : declaration {
  static constexpr const char* name = "SGD";
  struct options_t {
    double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
    bool nesterov = false, maximize = false;
  };
  static void check_nesterov(const option_check& c, const options& o, const std::string&) {
    if (o.flag("nesterov") && (o.num("momentum") <= 0 || o.num("dampening") != 0))
      value_error(c.text);
  }
  static constexpr option_row<options_t> rows[] = {
      {"lr", 1e-3, &options_t::lr, checks::learning_rate, 1},
      {"momentum", 0.0, &options_t::momentum, checks::not_below(0.0, "Invalid momentum value: "),
       2},
      {"dampening", 0.0, &options_t::dampening},
      {"weight_decay", 0.0, &options_t::weight_decay,
       checks::not_below(0.0, "Invalid weight_decay value: "), 3},
      {"nesterov", false, &options_t::nesterov,
       checks::rule(check_nesterov, "Nesterov momentum requires a momentum and zero dampening"), 4},
      {"maximize", false, &options_t::maximize},
      {"foreach", none},
      {"differentiable", false},
      {"fused", none}};
  struct state_t {
    Tensor* momentum_buffer = nullptr;
  };

  static void update(const options_t& o, Tensor& p, Tensor g, param_slots st, state_t& s) {
    if (o.maximize) g = neg(g);
    if (o.weight_decay != 0) g = add(g, p, o.weight_decay);
    if (o.momentum != 0) {
      Tensor*& buf = s.momentum_buffer;
      if (!buf)  // the first step's buffer is the gradient itself
        buf = &st.named.buffers.emplace("momentum_buffer", g.detach()).first->second;
      else
        buf->mul_(o.momentum).add_(g, 1 - o.dampening);
      g = o.nesterov ? add(g, *buf, o.momentum) : *buf;
    }
    p.add_(g, -o.lr);
  }
};
}  // namespace

optimizer_info SGD_entry() { return entry<SGD>(); }

}  // namespace gradlab::optim::detail
