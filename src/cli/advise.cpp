// The `advise` subcommand: exec the advisor in the source tree this program was built from.
// Both paths are baked in at build time (src/CMakeLists.txt), so `kitchen advise` works from
// any folder, and the advisor measures the very bench_kitchen of this build.
#include "cli/advise.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace kitchen::cli {

int run_advise(int argc, char** argv) {
  const std::string script = std::string(KITCHEN_SOURCE_DIR) + "/scripts/advise.py";
  if (access(script.c_str(), R_OK) != 0) {
    std::fprintf(stderr,
                 "kitchen advise: %s is missing; expected the source tree this program was "
                 "built from\n",
                 script.c_str());
    return 2;
  }
  const std::string bench = std::string("--bench=") + KITCHEN_BENCH_KITCHEN;
  std::vector<char*> args = {nullptr, const_cast<char*>(script.c_str()),
                             const_cast<char*>(bench.c_str())};
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  // The interpreters scripts/find_python.sh tries, in its order: $KITCHEN_PYTHON, Debian's
  // /usr/bin/python3, then python3 on PATH. The advisor needs the standard library only.
  const char* chosen = std::getenv("KITCHEN_PYTHON");
  for (const char* python : {chosen, "/usr/bin/python3"}) {
    if (python == nullptr || *python == '\0') continue;
    args[0] = const_cast<char*>(python);
    execv(python, args.data());
  }
  args[0] = const_cast<char*>("python3");
  execvp("python3", args.data());
  std::fprintf(stderr,
               "kitchen advise: no Python 3 interpreter could be started (tried "
               "$KITCHEN_PYTHON, /usr/bin/python3, python3 on PATH); expected python3 "
               "(apt-get install python3)\n");
  return 2;
}

}  // namespace kitchen::cli
