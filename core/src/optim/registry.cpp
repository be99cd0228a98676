// The menu of algorithms. Adding one means one new file and one line here.
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/optim/sgd.hpp"

namespace gradlab::optim {

const std::vector<optimizer_info>& registry() {
  static const std::vector<optimizer_info> all = {
      SGD::info(),
  };
  return all;
}

}  // namespace gradlab::optim
