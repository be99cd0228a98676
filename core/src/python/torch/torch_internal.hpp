#pragma once
// Private to the torch bindings (core/src/python/torch): the types the torch module made in
// one interpreter, and the conversions between Python values and gradlab Tensors that every
// binding file shares.
#include <memory>
#include <string>
#include <vector>

#include "gradlab/autograd.hpp"
#include "gradlab/python/interpreter.hpp"
#include "gradlab/tensor.hpp"
#include "python/runtime.hpp"

namespace gradlab::py::torch {

/// What the torch module of one interpreter made. The module holds the references; this
/// borrows them (a Tensor exists only after `import torch` in its interpreter).
struct torch_types {
  type_object* tensor = nullptr;  ///< torch.Tensor: native_object<Tensor>
  type_object* node = nullptr;    ///< grad_fn objects: native_object<std::shared_ptr<Node>>
  type_object* dtype = nullptr;   ///< torch.dtype: native_object<gradlab::dtype>
  object* float32 = nullptr;      ///< the two dtype objects (t.dtype is torch.float32)
  object* float64 = nullptr;
  object* size = nullptr;  ///< torch.Size (a tuple subclass, defined in Python)
};

/// The current interpreter's torch types (made by build_torch).
torch_types& types();

/// args[i] as a Tensor (TypeError naming `what` otherwise); an undefined one (torch.Tensor()
/// made empty) is a RuntimeError.
Tensor& tensor_arg(const value& v, const char* what = "input");
bool is_tensor(const value& v);
/// A new Python Tensor object for t.
value wrap(Tensor t);
/// A Python number as a wrapped 0-dim tensor in like's dtype, or the tensor itself; TypeError
/// for anything else.
Tensor operand(const value& v, const Tensor& like, const char* op);
/// Python's None for an undefined tensor, else wrap(t).
value wrap_or_none(const Tensor& t);
value wrap_dtype(gradlab::dtype d);
gradlab::dtype dtype_arg(const value& v);  ///< a torch.dtype object (None: float32)
/// A shape from `size` arguments: (2, 3), ((2, 3),), ([2, 3],) or a torch.Size.
shape_t shape_args(const value* args, std::size_t n);
value make_size(const shape_t& s);
/// The grad_fn object for a node (None for null).
value wrap_node(const std::shared_ptr<Node>& n);

/// Builders of the parts of the torch module (one file each).
void def_tensor_type(interpreter& ip, module_object& m);
void def_tensor_ops(interpreter& ip, module_object& m, type_object* tensor);
void def_creation(interpreter& ip, module_object& m);
void build_optim(interpreter& ip, module_object& m, void*);
void build_lr_scheduler(interpreter& ip, module_object& m, void*);
}  // namespace gradlab::py::torch
namespace gradlab::optim {
class optimizer;
}
namespace gradlab::py::torch {
/// A torch.optim optimizer object's engine optimizer (RuntimeError if not initialised).
optim::optimizer& engine_of(const value& self);
/// Reads the param_groups dicts into the engine's groups (only what changed), and back (what
/// a scheduler changed: lr, initial_lr, momentum, betas).
void sync_groups(const value& self, optim::optimizer& opt);
void write_back_groups(const value& self, const optim::optimizer& opt);

/// make_native with a method's owner, added to t's namespace (slots updated by the caller).
void method(type_object* t, const char* name, native_fn fn, const char* params = nullptr);

}  // namespace gradlab::py::torch
