#pragma once
// Private: a fused evaluator for the loss landscape. Models made of elementwise float math
// on 1-D data columns and scalar parameters, reduced by mean()/sum() (or the MSE fallback),
// compile to a small stack program run row by row: no tensors, no graph, no allocation per
// grid point. Anything else returns null and the landscape uses the general evaluator.
#include <memory>
#include <vector>

#include "gradlab/model/model.hpp"

namespace gradlab::detail {

class fused_loss {
 public:
  static std::unique_ptr<fused_loss> compile(const model::compiled_model& m,
                                             const model::columns_t& cols,
                                             const std::vector<Tensor>& params);
  /// Where parameter p's element e sits in the flat parameter buffer.
  std::size_t offset(std::size_t p, std::size_t e) const { return param_offset_[p] + e; }
  /// The parameters' current values, flat, as eval() reads them.
  std::vector<float> initial_values(const std::vector<Tensor>& params) const;
  float eval(const std::vector<float>& param_values) const;

  enum class op : unsigned char {
    konst,
    column,
    param,
    var,
    store,
    add,
    sub,
    mul,
    div,
    neg,
    pow,
    fn,
    pop
  };
  struct instr {
    op code;
    int a = 0;                     // column/param offset/var slot/function id
    float k = 0;                   // constant
    double e = 0;                  // exponent
    float (*fn)(float) = nullptr;  // op::fn: the op table row's element rule (op_info::f32)
  };

 private:
  std::vector<instr> code_;
  std::vector<const float*> columns_;  // by column slot
  std::vector<std::size_t> param_offset_;
  std::size_t rows_ = 1, vars_ = 0, stack_ = 1;
  enum class reduction { none, mean, sum } reduce_ = reduction::none;
  bool uniform_ = true;  // the reduced expression does not depend on the row
};

}  // namespace gradlab::detail
