#pragma once
// The tensors the JS API holds, by number. A JS Tensor carries a slot number, not an Embind
// class handle: crossing the boundary is then a plain call with integers (no handle objects
// to create, register and delete), and the JS side alone decides when a slot is released.
// Slot 0 is None. The functions exported to JS take and return slot numbers (bindings_*.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "gradlab/error.hpp"
#include "gradlab/tensor.hpp"
#include "guard.hpp"

/// Exports a C function to JS under its own name (Module.asm.NAME): clang's export_name, since
/// this Emscripten's EMSCRIPTEN_KEEPALIVE keeps a function but does not export it.
#define GL_EXPORT(name) extern "C" __attribute__((used, export_name(#name)))

namespace gradlab_wasm {

class tensor_table {
 public:
  /// Keeps t and returns its slot, or 0 for an undefined tensor (None).
  int put(gradlab::Tensor t);
  /// The tensor in slot id. A number that is not a live slot is an error of the JS layer,
  /// raised as one (never a read of freed memory).
  const gradlab::Tensor& at(int id) const {
    if (id <= 0 || static_cast<std::size_t>(id) >= slots_.size() || !slots_[id].defined())
      bad_slot(id);
    return slots_[id];
  }
  gradlab::Tensor& at(int id) {
    return const_cast<gradlab::Tensor&>(static_cast<const tensor_table&>(*this).at(id));
  }
  void release(int id);
  std::size_t live() const { return slots_.size() - 1 - free_.size(); }

 private:
  [[noreturn]] static void bad_slot(int id);
  std::vector<gradlab::Tensor> slots_ = std::vector<gradlab::Tensor>(1);
  std::vector<int> free_;
};

inline tensor_table g_tensors;

/// The tensor in slot id (shorthand for the bindings).
inline const gradlab::Tensor& T(int id) { return g_tensors.at(id); }

/// Runs f (which returns a Tensor) guarded, and returns the new tensor's slot; 0 when f
/// raised (the error is in the slot) or returned None.
template <class F>
int put(F&& f) {
  return g_tensors.put(guarded(std::forward<F>(f)));
}

/// Doubles the JS side passes in or reads back (shapes, dims, index lists, spill records):
/// one buffer in the heap, grown on demand. JS writes or reads it right after asking for it.
std::vector<double>& scratch();

/// Sizes from doubles the JS layer has checked to be integers >= 0: PyTorch's size errors
/// (check_numel_u64) in 64 bits first, so that no size wraps to 32 bits.
gradlab::shape_t checked_shape(const double* dims, int ndim);

/// grad_fn names by number, so that a spill record carries an int, not a string.
int name_id(const std::string& name);
const std::string& name_of(int id);

}  // namespace gradlab_wasm
