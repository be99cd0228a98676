// gradlab_golden --dir DIR: one line per case, then "N passed, M failed, K skipped".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "golden.hpp"

int main(int argc, char** argv) {
  std::string dir;
  if (const char* env = std::getenv("GRADLAB_GOLDEN_DIR")) dir = env;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--filter" && i + 1 < argc) {
      only = argv[++i];
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: gradlab_golden --dir DIR [--filter SUBSTRING]\n");
      return 0;
    } else {
      std::fprintf(stderr, "gradlab_golden: unknown argument '%s'\nusage: gradlab_golden --dir DIR [--filter SUBSTRING]\n", a.c_str());
      return 2;
    }
  }
  if (dir.empty()) dir = "../shared/golden";
  const auto r = gradlab::golden::check_dir(dir);
  std::size_t passed = 0, failed = 0, skipped = 0;
  for (const auto& v : r.items()) {
    if (!only.empty() && v.name.find(only) == std::string::npos) continue;
    switch (v.result) {
      case gradlab::golden::outcome::pass: ++passed; std::printf("PASS %s\n", v.name.c_str()); break;
      case gradlab::golden::outcome::fail: ++failed; std::printf("FAIL %s: %s\n", v.name.c_str(), v.why.c_str()); break;
      case gradlab::golden::outcome::skip: ++skipped; std::printf("SKIP %s: %s\n", v.name.c_str(), v.why.c_str()); break;
    }
  }
  std::printf("%zu passed, %zu failed, %zu skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
