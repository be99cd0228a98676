#pragma once
// Private: the session's compiled training step. Models made of float32 arithmetic (+ - * /,
// unary -, ** number) on 1-D data columns, scalar parameters and elements p[i] of 1-D
// parameters, reduced by mean()/sum() (or the MSE against the target), compile to a short
// list of vector kernels over preallocated buffers: no tensors, no graph, no allocation per
// epoch. It reproduces the general engine bit for bit: every kernel rounds as the op's kernel
// does, gradients are reduced over broadcast rows as fit_gradient does, and they reach each
// buffer in the engine's order (later-created nodes first), so sums round the same way.
// Anything outside that subset compiles to null and the session uses the general engine.
#include <memory>
#include <vector>

#include "gradlab/model/model.hpp"

namespace gradlab::detail {

class fused_train {
 public:
  static std::unique_ptr<fused_train> compile(const model::compiled_model& m,
                                              const model::columns_t& cols,
                                              const std::vector<Tensor>& params);
  /// The loss at the parameters' current values; keeps what backward() needs.
  float forward(const std::vector<Tensor>& params);
  /// The loss with parameter p's values read from param_values[p] (its numel floats, in
  /// order): the forward pass alone, at values of the caller's choosing (a loss landscape
  /// evaluates the compiled model this way). Like forward(), it is what backward() uses.
  float evaluate(const std::vector<const float*>& param_values);
  /// loss.backward() for the latest forward(): .grad is set, or accumulated into in place,
  /// as AccumulateGrad does.
  void backward(std::vector<Tensor>& params);

  enum class op : unsigned char { column, param, select, add, sub, mul, div, neg, pow, mean, sum };
  /// One vector kernel. Operands are earlier nodes, or a float constant where a < 0 / b < 0
  /// (a Python number, wrapped as the tensor's dtype).
  struct node {
    op code;
    int a = -1, b = -1;
    float ka = 0, kb = 0;
    double e = 0;            // exponent of pow
    std::size_t param = 0;   // param / select: which parameter
    std::size_t index = 0;   // select: which element
    std::size_t column = 0;  // column: which data column (its values are copied in once)
    bool row = false;        // shape [rows]; otherwise 0-dim
    bool grad = false;       // depends on a parameter (requires_grad)
  };

 private:
  /// An operand broadcast over the rows: element i is p[i * stride].
  struct view {
    const float* p;
    std::size_t stride;
    float operator[](std::size_t i) const { return p[i * stride]; }
  };
  view operand(int id, const float& konst) const;

  std::vector<node> nodes_;
  std::vector<std::vector<float>> values_, grads_;  // per node
  std::vector<char> has_grad_;
  std::vector<std::vector<float>> param_grad_;  // what reaches each AccumulateGrad
  std::vector<char> param_has_grad_;
  std::vector<shape_t> param_shape_;
  std::vector<float> scratch_, scratch2_;
  std::vector<const float*> param_values_;
  std::size_t rows_ = 1;
  friend class fused_train_compiler;
};

}  // namespace gradlab::detail
