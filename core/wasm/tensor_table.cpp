#include "tensor_table.hpp"

#include <unordered_map>

namespace gradlab_wasm {

int tensor_table::put(gradlab::Tensor t) {
  if (!t.defined()) return 0;
  if (free_.empty()) {
    slots_.push_back(std::move(t));
    return static_cast<int>(slots_.size() - 1);
  }
  const int id = free_.back();
  free_.pop_back();
  slots_[id] = std::move(t);
  return id;
}

void tensor_table::release(int id) {
  at(id);  // checks the number
  slots_[id] = gradlab::Tensor();
  free_.push_back(id);
}

void tensor_table::bad_slot(int id) {
  gradlab::runtime_error("internal error: tensor slot " + std::to_string(id) + " is not in use");
}

std::vector<double>& scratch() {
  static std::vector<double> buf(64);
  return buf;
}

gradlab::shape_t checked_shape(const double* dims, int ndim) {
  std::vector<unsigned long long> wide(dims, dims + ndim);
  gradlab::check_numel_u64(wide);
  gradlab::shape_t s;
  for (auto d : wide) s.push_back(gradlab::checked_size(d));
  return s;
}

namespace {
struct name_table {
  std::vector<std::string> names;
  std::unordered_map<std::string, int> ids;
};
name_table& names() {
  static name_table t;
  return t;
}
}  // namespace

int name_id(const std::string& name) {
  auto& t = names();
  auto it = t.ids.find(name);
  if (it != t.ids.end()) return it->second;
  t.names.push_back(name);
  return t.ids[name] = static_cast<int>(t.names.size() - 1);
}

const std::string& name_of(int id) { return names().names.at(static_cast<std::size_t>(id)); }

}  // namespace gradlab_wasm
