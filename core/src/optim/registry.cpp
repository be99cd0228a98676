// The menu of algorithms. Adding one means one new file and one line here.
#include "gradlab/optim/adadelta.hpp"
#include "gradlab/optim/adafactor.hpp"
#include "gradlab/optim/adagrad.hpp"
#include "gradlab/optim/adam.hpp"
#include "gradlab/optim/adamax.hpp"
#include "gradlab/optim/adamw.hpp"
#include "gradlab/optim/asgd.hpp"
#include "gradlab/optim/lbfgs.hpp"
#include "gradlab/optim/muon.hpp"
#include "gradlab/optim/nadam.hpp"
#include "gradlab/optim/optimizer.hpp"
#include "gradlab/optim/radam.hpp"
#include "gradlab/optim/rmsprop.hpp"
#include "gradlab/optim/rprop.hpp"
#include "gradlab/optim/sgd.hpp"
#include "gradlab/optim/sparse_adam.hpp"

namespace gradlab::optim {

// Same order as sorted(torch.optim classes): Python sorts upper-case names first.
const std::vector<optimizer_info>& registry() {
  static const std::vector<optimizer_info> all = {
      ASGD::info(),  Adadelta::info(), Adafactor::info(), Adagrad::info(), Adam::info(),
      AdamW::info(), Adamax::info(),   LBFGS::info(),     Muon::info(),    NAdam::info(),
      RAdam::info(), RMSprop::info(),  Rprop::info(),     SGD::info(),     SparseAdam::info(),
  };
  return all;
}

}  // namespace gradlab::optim
