// libFuzzer target for the model language: any bytes must parse, compile against the
// thermometer data, and (when they compile) evaluate, or fail with a model_error or a
// gradlab::error -- never crash, hang or overflow the stack.
#include <cstddef>
#include <cstdint>
#include <string>

#include "gradlab/autograd.hpp"
#include "gradlab/model/data.hpp"
#include "gradlab/model/model.hpp"
#include "gradlab/model/parser.hpp"
#include "gradlab/model/presets.hpp"
#include "gradlab/model/python.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gradlab;
  static const model::columns_t cols =
      model::make_columns(model::make_preset("thermometer").data, true);
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    model::program p = model::parse(text);
    for (const auto& st : p.stmts)
      if (st.value >= 0) (void)model::python_expr(p, st.value);
    model::compiled_model m = model::compiled_model::compile(text, cols, "t_c");
    std::vector<Tensor> params;
    for (const auto& ps : m.params()) params.push_back(ps.init.clone().requires_grad_(true));
    std::vector<Tensor> c;
    for (const auto& x : cols) c.push_back(x.second);
    Tensor loss = m.loss(params, c);
    loss.backward();
  } catch (const gradlab::error&) {
  } catch (const std::bad_alloc&) {
  }
  return 0;
}
