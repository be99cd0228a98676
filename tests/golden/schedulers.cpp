// schedulers.json: the lr seen at each epoch under each torch.optim.lr_scheduler class.
#include "golden.hpp"

namespace gradlab::golden {

void check_schedulers(const json::value& schedulers, report& r) {
  for (const auto& run : schedulers["runs"].array())
    r.run("schedulers/" + run["scheduler"].str(), [] { return skip_because(kNotImplemented); });
}

}  // namespace gradlab::golden
