// What built this binary, for the JSON context: the git revision of the sources and the CMake
// build type. Defined in a file generated at build time (cmake/KitchenRevision.cmake), so that a
// new commit recompiles one line and relinks.
#pragma once

namespace kitchen::bench {

const char* git_revision();
const char* build_type();

}  // namespace kitchen::bench
