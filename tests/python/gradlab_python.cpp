// The native runner: `gradlab_python FILE.py` (or `-` for stdin) prints what
// `python3 FILE.py` prints, and exits with its status.
//   --timeout S   stop the script after S seconds (KeyboardInterrupt, as Ctrl-C would)
//   --budget N    stop the script after N VM instructions
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "gradlab/python/interpreter.hpp"
#include "gradlab/python/torch.hpp"

namespace {

void write_out(void*, int stream, const char* s, std::size_t n) {
  std::fwrite(s, 1, n, stream == 2 ? stderr : stdout);
}

bool read_all(std::FILE* f, std::string& out) {
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return !std::ferror(f);
}

int usage() {
  std::fputs("usage: gradlab_python [--timeout SECONDS] [--budget STEPS] FILE.py | -\n", stderr);
  return 2;
}

volatile bool g_cancel = false;

}  // namespace

int main(int argc, char** argv) {
  double timeout = 0;
  unsigned long long budget = 0;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--timeout") && i + 1 < argc)
      timeout = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--budget") && i + 1 < argc)
      budget = std::strtoull(argv[++i], nullptr, 10);
    else if (!path)
      path = argv[i];
    else
      return usage();
  }
  if (!path) return usage();
  std::string source, filename = path;
  if (path[0] != '/' && std::strcmp(path, "-") != 0) {  // CPython makes the script's path absolute
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) filename = std::string(cwd) + "/" + path;
  }
  if (!std::strcmp(path, "-")) {
    filename = "<stdin>";
    if (!read_all(stdin, source)) return 2;
  } else {
    std::FILE* f = std::fopen(path, "rb");
    if (!f) {
      std::fprintf(stderr, "%s: can't open file '%s': [Errno 2] No such file or directory\n",
                   argv[0], path);
      return 2;
    }
    const bool ok = read_all(f, source);
    std::fclose(f);
    if (!ok) return 2;
  }
  gradlab::py::interpreter ip;
  ip.set_output(write_out, nullptr);
  gradlab::py::install_torch(ip);
  if (budget) ip.set_step_limit(budget);
  ip.set_cancel_flag(&g_cancel);
  if (timeout > 0) {
    std::thread([timeout] {
      std::this_thread::sleep_for(std::chrono::duration<double>(timeout));
      g_cancel = true;
    }).detach();
  }
  int status = 1;
  if (ip.load(source, filename)) {
    ip.run();
    status = ip.exit_code();
  }
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(status);  // the watchdog thread may still sleep
}
