// The host interface (gradlab/python/interpreter.hpp).
#include "gradlab/python/interpreter.hpp"

#include "python/vm.hpp"

namespace gradlab::py {

void generic_setattr(const value& obj, const value& name, value v);

interpreter::interpreter() : rt_(new runtime()) { rt_->ip = this; }

interpreter::~interpreter() {
  runtime_scope scope(rt_);
  delete rt_;
}

void interpreter::set_output(write_fn fn, void* ctx) {
  rt_->out = fn;
  rt_->out_ctx = ctx;
}

void interpreter::write(int stream, const std::string& text) { rt_->write(stream, text); }

void interpreter::add_module(const std::string& name, module_builder build, void* data) {
  rt_->module_defs.push_back({name, build, data, "", "", false});
}

void interpreter::add_source_module(const std::string& name, std::string source) {
  std::string file = name;
  for (char& c : file)
    if (c == '.') c = '/';
  rt_->module_defs.push_back({name, nullptr, nullptr, std::move(source), file + ".py", true});
}

void interpreter::def(module_object& m, const char* name, native_fn fn, const char* params) {
  runtime_scope scope(rt_);
  add_function(&m, name, fn, params);
}

void interpreter::set(module_object& m, const char* name, value v) {
  runtime_scope scope(rt_);
  m.set(name, std::move(v));
}

type_object* interpreter::def_type(module_object& m, const char* name, type_object* base,
                                   object* (*alloc)(type_object*)) {
  runtime_scope scope(rt_);
  auto* t = new type_object(rt_->t_type, name, base ? base : rt_->t_object, layout::native);
  t->module = m.name;
  t->has_dict = true;
  if (alloc) t->alloc = alloc;
  if (base) t->exception = base->exception;
  t->update_slots();
  m.set(name, value::steal(t));
  return t;
}

void interpreter::def_method(type_object* t, const char* name, native_fn fn, const char* params) {
  runtime_scope scope(rt_);
  add_method(t, name, fn, params);
  t->update_slots();
}

void interpreter::def_property(type_object* t, const char* name, native_fn get, native_fn set) {
  runtime_scope scope(rt_);
  value g = get ? make_native(name, get, "self", t) : value();
  value s = set ? make_native(name, set, "self, value", t) : value();
  t->dict->table.set(intern(name), value::steal(new property_object(g, s)));
}

void interpreter::def_staticmethod(type_object* t, const char* name, native_fn fn,
                                   const char* params) {
  runtime_scope scope(rt_);
  t->dict->table.set(intern(name), value::steal(new wrapper_object(
                                       rt_->t_staticmethod, make_native(name, fn, params, t))));
  t->update_slots();
}

value interpreter::function(const char* name, native_fn fn, const char* params) {
  runtime_scope scope(rt_);
  return make_native(name, fn, params);
}

// ---------------------------------------------------------------- running

namespace {
ref<code_object> g_unused;
}

bool interpreter::load(const std::string& source, const std::string& filename) {
  runtime_scope scope(rt_);
  runtime& r = *rt_;
  auto m = ref<module_object>::adopt(new module_object("__main__"));
  m->set("__name__", make_str("__main__"));
  m->set("__doc__", value::none());
  m->set("__package__", value::none());
  m->set("__loader__", value::none());
  m->set("__spec__", value::none());
  m->set("__annotations__", value(make_dict()));
  m->set("__builtins__", value(r.builtins));
  m->set("__file__", make_str(filename));
  m->set("__cached__", value::none());
  r.main = m;
  r.modules.set(make_str("__main__"), value(m));
  try {
    program p = parse(source);
    auto src = ref<source_text>::adopt(new source_text(filename, p.source));
    ref<code_object> code = compile_module(p, m.get(), src);
    while (!r.frames.empty()) pop_frame();
    push_module_frame(code, m.get(), c_module);
    r.tick = r.tick_base = 0;
    return true;
  } catch (const syntax_error& e) {
    r.write(2, format_syntax_error(e, filename));
    r.result_error =
        make_exception(exception_type(e.type) ? exception_type(e.type) : r.e_syntax, e.message);
    exit_code_ = 1;
    return false;
  }
}

run_status interpreter::run(std::uint64_t budget) {
  runtime_scope scope(rt_);
  runtime& r = *rt_;
  if (r.frames.empty()) return r.result_error.is_null() ? run_status::finished : run_status::error;
  r.slice_left = budget;
  r.tick = r.tick_base = 0;  // refill at the first instruction
  try {
    value result;
    const exec_status s = execute(0, &result);
    r.steps += r.tick_base - r.tick;
    r.tick = r.tick_base = 0;
    if (s == exec_status::paused) return run_status::paused;
    exit_code_ = 0;
    return run_status::finished;
  } catch (const py_exception& e) {
    r.steps += r.tick_base - r.tick;
    r.tick = r.tick_base = 0;
    while (!r.frames.empty()) pop_frame();
    r.result_error = e.exc;
    r.handled = value();
    r.stopping = false;
    type_object* t = e.exc.type();
    if (t->is_subtype(r.e_systemexit)) {
      auto& args = static_cast<tuple_object*>(
                       static_cast<exception_object*>(e.exc.as_object())->args.as_object())
                       ->items;
      const value code = args.empty() ? value::none() : args[0];
      if (code.is_none())
        exit_code_ = 0;
      else if (code.is_int())
        exit_code_ = static_cast<int>(code.as_int());
      else {
        r.write(2, str_s(code) + "\n");
        exit_code_ = 1;
      }
      return exit_code_ == 0 ? run_status::finished : run_status::error;
    }
    r.write(2, format_traceback(e.exc));
    exit_code_ = 1;
    return run_status::error;
  }
}

void interpreter::request_pause() {
  rt_->pause_requested = true;
  if (rt_->tick) {
    rt_->tick_base -= rt_->tick;
    rt_->tick = 0;
  }
}
void interpreter::set_cancel_flag(const volatile bool* flag) { rt_->cancel_flag = flag; }
void interpreter::set_step_limit(std::uint64_t steps) { rt_->limit_left = steps; }
void interpreter::set_line_hook(void (*hook)(void*, interpreter&, int), void* ctx) {
  rt_->line_hook = hook;
  rt_->line_ctx = ctx;
  rt_->last_line = -1;
}

int interpreter::current_line() const {
  runtime_scope scope(rt_);
  return py::current_line();
}

std::vector<frame_info> interpreter::stack() const {
  runtime_scope scope(rt_);
  std::vector<frame_info> out;
  for (const frame& f : rt_->frames) {
    frame_info fi;
    fi.filename = f.code->source->filename;
    fi.function = str_of(f.code->name);
    const std::uint32_t i = f.ip ? f.ip - 1 : 0;
    fi.line = i < f.code->positions.size() ? f.code->positions[i].line : f.code->first_line;
    out.push_back(std::move(fi));
  }
  return out;
}

std::uint64_t interpreter::steps() const { return rt_->steps + (rt_->tick_base - rt_->tick); }

std::string interpreter::error_type() const {
  runtime_scope scope(rt_);
  return rt_->result_error.is_null() ? "" : rt_->result_error.type()->name;
}

std::string interpreter::error_message() const {
  runtime_scope scope(rt_);
  if (rt_->result_error.is_null()) return "";
  try {
    return str_s(rt_->result_error);
  } catch (...) {
    return "";
  }
}

int interpreter::exit_code() const { return exit_code_; }

// ---------------------------------------------------------------- values

value interpreter::call(const value& f, std::vector<value> args) {
  runtime_scope scope(rt_);
  return call_args(f, args.data(), args.size());
}

void interpreter::raise(type_object* type, const std::string& message) { py::raise(type, message); }

type_object* interpreter::exception_type(const std::string& name) const {
  runtime_scope scope(rt_);
  value v = rt_->builtins->get(name.c_str());
  if (v.is_object() && v.as_object()->type->kind == layout::type &&
      static_cast<type_object*>(v.as_object())->exception)
    return static_cast<type_object*>(v.as_object());
  return nullptr;
}

type_object* interpreter::builtin_type(const std::string& name) const {
  runtime_scope scope(rt_);
  value v = rt_->builtins->get(name.c_str());
  if (v.is_object() && v.as_object()->type->kind == layout::type)
    return static_cast<type_object*>(v.as_object());
  return nullptr;
}

value interpreter::not_implemented() const { return rt_->not_implemented; }

std::string interpreter::repr(const value& v) {
  runtime_scope scope(rt_);
  return repr_s(v);
}
std::string interpreter::str(const value& v) {
  runtime_scope scope(rt_);
  return str_s(v);
}
bool interpreter::truthy(const value& v) {
  runtime_scope scope(rt_);
  return py::truthy(v);
}

value interpreter::import(const std::string& name) {
  runtime_scope scope(rt_);
  return import_module(name, true);
}

module_object& interpreter::main_module() { return *rt_->main; }

std::size_t interpreter::live_objects() const { return rt_->live; }

}  // namespace gradlab::py
