// bench_kitchen built without its mechanism families (KITCHEN_BENCH_MECHANISMS=OFF, the sanitizer
// presets): the kitchen rows alone, and a filter that names a family matches nothing.
#include "mechanisms/register.hpp"

namespace kitchen::bench {

int register_mechanisms(const Options&) { return 0; }

}  // namespace kitchen::bench
