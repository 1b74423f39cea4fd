# Run as a script (cmake -P) at every build: writes the revision the binaries are built from into
# a small source file, only when it changed, so that a new commit relinks bench_kitchen instead
# of recompiling it. Inputs: SOURCE_DIR, OUT, BUILD_TYPE.
execute_process(COMMAND git -C ${SOURCE_DIR} describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT revision)
  set(revision "unknown")
endif()
# file(CONFIGURE) leaves the file and its time stamp alone when the content is the same.
file(CONFIGURE OUTPUT ${OUT} CONTENT [[
// Generated at build time by cmake/KitchenRevision.cmake: do not edit.
#include "build_info.hpp"

namespace kitchen::bench {

const char* git_revision() { return "@revision@"; }
const char* build_type() { return "@BUILD_TYPE@"; }

}  // namespace kitchen::bench
]] @ONLY)
