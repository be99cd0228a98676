#pragma once
// Runs a Python script with Debian's PyTorch (/usr/bin/python3) and captures what it prints:
// the tests that compare gradlab with PyTorch directly, bit for bit or to a tolerance.
#include <catch2/catch.hpp>
#ifndef __EMSCRIPTEN__
#include <unistd.h>
#endif

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace torch_script {

/// Runs the script; returns false when torch is not importable (or, under Emscripten, where
/// node gives the test no processes: the comparison runs in the native build).
inline bool run(const std::string& script, std::string& out) {
#ifdef __EMSCRIPTEN__
  (void)script;
  (void)out;
  return false;
#else
  if (std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0) return false;
  // a name of this process's own: CTest runs each test and the whole-binary run in parallel
  static int count = 0;
  const std::string path = "/tmp/gradlab_torch_script_" + std::to_string(getpid()) + "_" +
                           std::to_string(++count) + ".py";
  std::ofstream(path) << script;
  FILE* p = popen(("/usr/bin/python3 " + path + " 2>&1").c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  pclose(p);
  std::remove(path.c_str());
  return true;
#endif
}

}  // namespace torch_script
