// gradlab_trace: runs every preset with its defaults through the training session and prints
// the exact bits of what it records (losses, parameters, grads). Built natively and in
// WebAssembly; tests/node/reproducible.test.mjs requires the two outputs to be identical.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gradlab/model/presets.hpp"
#include "gradlab/session.hpp"

namespace {
std::uint64_t fnv = 1469598103934665603ull;  // FNV-1a over the bit patterns, per preset
void mix(const void* p, std::size_t n) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) fnv = (fnv ^ b[i]) * 1099511628211ull;
}
}  // namespace

int main(int argc, char** argv) {
  const long epochs = argc > 1 ? std::atol(argv[1]) : 200;
  for (const auto& name : gradlab::model::preset_names()) {
    gradlab::session s;
    s.load_preset(name);
    s.run(epochs);
    fnv = 1469598103934665603ull;
    for (const auto& c : s.data().columns) mix(c.values.data(), c.values.size() * sizeof(float));
    const std::uint64_t data_fnv = fnv;
    const auto& h = s.records();
    fnv = 1469598103934665603ull;
    mix(h.loss.data(), h.loss.size() * sizeof(double));
    for (const auto& p : h.params) {
      mix(p.values.data(), p.values.size() * sizeof(float));
      mix(p.grads.data(), p.grads.size() * sizeof(float));
    }
    std::uint64_t last_bits = 0;
    if (!h.loss.empty()) std::memcpy(&last_bits, &h.loss.back(), sizeof last_bits);
    std::printf("%s data=%016llx epochs=%zu errors=%zu last_loss=%.17g bits=%016llx fnv=%016llx\n",
                name.c_str(), static_cast<unsigned long long>(data_fnv), h.epochs(),
                s.errors().size(), h.loss.empty() ? 0.0 : h.loss.back(),
                static_cast<unsigned long long>(last_bits), static_cast<unsigned long long>(fnv));
  }
  return 0;
}
