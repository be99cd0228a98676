// The menu of algorithms, in sorted(torch.optim classes) order: Python sorts upper-case names
// first. Adding one means one new file, which defines detail::NAME_entry() (see declare.hpp),
// and one X(NAME) here.
#include "gradlab/optim/optimizer.hpp"

// clang-format off
#define GRADLAB_OPTIMIZERS(X) \
  X(ASGD) \
  X(Adadelta) \
  X(Adafactor) \
  X(Adagrad) \
  X(Adam) \
  X(AdamW) \
  X(Adamax) \
  X(LBFGS) \
  X(Muon) \
  X(NAdam) \
  X(RAdam) \
  X(RMSprop) \
  X(Rprop) \
  X(SGD) \
  X(SparseAdam)
// clang-format on

namespace gradlab::optim {

namespace detail {
#define GRADLAB_DECLARE(NAME) optimizer_info NAME##_entry();
GRADLAB_OPTIMIZERS(GRADLAB_DECLARE)
#undef GRADLAB_DECLARE
}  // namespace detail

const std::vector<optimizer_info>& registry() {
  // moved in, not copied from an initializer list: no second copy of every option list
  static const std::vector<optimizer_info> all = [] {
    std::vector<optimizer_info> v;
#define GRADLAB_ENTRY(NAME) v.push_back(detail::NAME##_entry());
    GRADLAB_OPTIMIZERS(GRADLAB_ENTRY)
#undef GRADLAB_ENTRY
    return v;
  }();
  return all;
}

}  // namespace gradlab::optim
