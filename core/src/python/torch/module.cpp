// The torch module: its native parts (tensor_type.cpp, tensor_ops.cpp, creation.cpp, optim.cpp)
// and the few classes written in Python below, where Python is the natural spelling
// (torch.Size is a tuple subclass; no_grad and friends are context managers and decorators).
#include "gradlab/python/torch.hpp"
#include "python/torch/torch_internal.hpp"

namespace gradlab::py {

namespace torch {
namespace {

// _set_grad_enabled and is_grad_enabled are set on this module by build_torch.
const char* kPythonPart = R"PY(
class Size(tuple):
    __module__ = 'torch'

    def __repr__(self):
        return 'torch.Size([' + ', '.join([repr(d) for d in self]) + '])'

    def numel(self):
        n = 1
        for d in self:
            n *= d
        return n


class _GradMode:
    _mode = None

    def __enter__(self):
        self._prev = is_grad_enabled()
        _set_grad_enabled(self._mode)

    def __exit__(self, exc_type, exc_value, traceback):
        _set_grad_enabled(self._prev)

    def __call__(self, func):
        mode_class = self.__class__

        def decorate(*args, **kwargs):
            with mode_class():
                return func(*args, **kwargs)
        return decorate


class no_grad(_GradMode):
    __module__ = 'torch.autograd.grad_mode'
    _mode = False


class enable_grad(_GradMode):
    __module__ = 'torch.autograd.grad_mode'
    _mode = True


class set_grad_enabled(_GradMode):
    __module__ = 'torch.autograd.grad_mode'

    def __init__(self, mode):
        self._prev = is_grad_enabled()
        self._mode = mode
        _set_grad_enabled(mode)

    def __enter__(self):
        pass
)PY";

void build_torch(interpreter& ip, module_object& m, void*) {
  set_grad_enabled(true);
  def_tensor_type(ip, m);
  def_creation(ip, m);
  def_tensor_ops(ip, m, types().tensor);
  value part = ip.import("_gradlab_torch");
  auto* pm = static_cast<module_object*>(part.as_object());
  pm->set("is_grad_enabled", m.get("is_grad_enabled"));
  pm->set("_set_grad_enabled", m.get("_set_grad_enabled"));
  for (const char* name : {"Size", "no_grad", "enable_grad", "set_grad_enabled"})
    m.set(name, pm->get(name));
  types().size = pm->get("Size").as_object();
  // PyTorch's `import torch` makes torch.optim and its lr_scheduler usable too
  ip.import("torch.optim");
  ip.import("torch.optim.lr_scheduler");
}

}  // namespace
}  // namespace torch

void install_torch(interpreter& ip) {
  set_grad_enabled(true);
  ip.add_source_module("_gradlab_torch", torch::kPythonPart);
  ip.add_module("torch", torch::build_torch);
  ip.add_module("torch.optim", torch::build_optim);
  ip.add_module("torch.optim.lr_scheduler", torch::build_lr_scheduler);
}

}  // namespace gradlab::py
