// torch.optim.lr_scheduler on the interpreter: one class per entry of the scheduler registry
// (core/src/sched), acting on the engine optimizer of a torch.optim object. The optimizer's
// param_groups dicts are read into the engine before and written back after each step, so
// `optimizer.param_groups[0]['lr']` shows the scheduled lr (and 'initial_lr'), as in PyTorch.
#include "gradlab/sched.hpp"
#include "python/torch/torch_internal.hpp"

namespace gradlab::py::torch {

namespace {

using scheduler_ptr = std::unique_ptr<sched::lr_scheduler>;

sched::lr_scheduler& sched_of(const value& self) {
  scheduler_ptr& p = native_value<scheduler_ptr>(self);
  if (!p) raise(rt().e_runtime, "the scheduler was not initialised (its __init__ did not run)");
  return *p;
}

optim::option_value to_value(const value& v, const std::string& key) {
  if (v.is_none()) return std::monostate{};
  if (v.is_bool()) return v.as_bool();
  if (v.is_int() || v.is_float()) return to_double(v);
  if (v.is_object() && v.type() == rt().t_str) return str_s(v);
  if (v.is_object() && (v.type() == rt().t_tuple || v.type() == rt().t_list)) {
    std::vector<double> xs;
    for (const value& x : to_vector(v)) xs.push_back(to_double(x));
    return xs;
  }
  raisef(rt().e_type, "scheduler argument '%s' cannot be %s", key.c_str(), tname(v));
}

// __init__(self, optimizer, <the registry's arguments>)
value s_init(interpreter&, value* a, std::size_t, native_function* self) {
  const sched::scheduler_info* info = sched::find_scheduler(self->owner->name);
  if (!info) raisef(rt().e_runtime, "no scheduler named %s", self->owner->name.c_str());
  optim::optimizer& opt = engine_of(a[1]);
  optim::options given;
  for (std::size_t i = 0; i < info->specs.size(); ++i)
    if (!a[2 + i].is_null())
      given.set(info->specs[i].name, to_value(a[2 + i], info->specs[i].name));
  sync_groups(a[1], opt);
  native_value<scheduler_ptr>(a[0]) = sched::make_scheduler(info->name, opt, given);
  write_back_groups(a[1], opt);
  setattr(a[0], intern("optimizer"), a[1]);
  return value::none();
}

value s_step(interpreter&, value* a, std::size_t, native_function*) {
  sched::lr_scheduler& s = sched_of(a[0]);
  const value optimizer = getattr(a[0], intern("optimizer"));
  sync_groups(optimizer, s.optimizer());
  if (a[1].is_none())
    s.step();
  else
    s.step(to_double(a[1]));
  write_back_groups(optimizer, s.optimizer());
  return value::none();
}

value floats(const std::vector<double>& xs) {
  std::vector<value> out;
  for (double x : xs) out.push_back(value::from_float(x));
  return make_list(std::move(out));
}
value s_get_last_lr(interpreter&, value* a, std::size_t, native_function*) {
  return floats(sched_of(a[0]).get_last_lr());
}
value s_base_lrs(interpreter&, value* a, std::size_t, native_function*) {
  return floats(sched_of(a[0]).base_lrs());
}
value s_last_epoch(interpreter&, value* a, std::size_t, native_function*) {
  return value::from_int(sched_of(a[0]).last_epoch());
}

}  // namespace

void build_lr_scheduler(interpreter& ip, module_object& m, void*) {
  type_object* base = ip.def_type(m, "LRScheduler", nullptr, alloc_native<scheduler_ptr>);
  base->module = "torch.optim.lr_scheduler";
  method(base, "step", s_step, "self, metrics=None");
  method(base, "get_last_lr", s_get_last_lr, "self");
  base->update_slots();
  ip.def_property(base, "base_lrs", s_base_lrs);
  ip.def_property(base, "last_epoch", s_last_epoch);
  for (const sched::scheduler_info& info : sched::registry()) {
    type_object* t = ip.def_type(m, info.name.c_str(), base, alloc_native<scheduler_ptr>);
    t->module = "torch.optim.lr_scheduler";
    std::string params = "self, optimizer";
    for (const auto& spec : info.specs) params += ", " + spec.name + "=_missing";
    method(t, "__init__", s_init, params.c_str());
    t->update_slots();
  }
}

}  // namespace gradlab::py::torch
