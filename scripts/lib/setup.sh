# Shared by bench.sh and test.sh: install what the suite needs, then configure and build a preset.
# Sourced, not run.

# Debian/Ubuntu packages the suite builds and runs with (Boost 1.81: 1.74 lacks Asio channels).
KITCHEN_PACKAGES=(g++ cmake ninja-build git
  libboost1.81-dev libboost-thread1.81-dev libboost-chrono1.81-dev
  libboost-fiber1.81-dev libboost-context1.81-dev
  libbenchmark-dev nlohmann-json3-dev libgtest-dev liburing-dev python3 python3-matplotlib
  python3-gevent)

kitchen_say() { printf '%s: %s\n' "${KITCHEN_SCRIPT:-kitchen}" "$*" >&2; }

# Installs the missing packages with apt-get when run as root; otherwise prints the exact command
# and stops.
kitchen_ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    kitchen_say "this is not a Debian/Ubuntu system: install the equivalents of: ${KITCHEN_PACKAGES[*]}"
    kitchen_say "then set KITCHEN_SKIP_PACKAGES=1 to skip this check"
    return 1
  fi
  local missing=() p
  for p in "${KITCHEN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    kitchen_say "missing packages: ${missing[*]}"
    kitchen_say "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    return 1
  fi
  kitchen_say "installing: ${missing[*]}"
  apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
    kitchen_say "apt-get could not install: ${missing[*]}"
    return 1
  }
}

# Configures (when needed) and builds one CMake preset: release, debug, asan or tsan.
# kitchen_build PRESET [TARGET...]: configure and build the preset's default targets and those
# named (uring_programs: the io_uring twins, which the default build leaves out).
kitchen_build() {
  local preset=$1
  shift
  [ "${KITCHEN_SKIP_PACKAGES:-0}" = 1 ] || kitchen_ensure_packages || exit 1
  kitchen_say "building preset '$preset' in build/$preset"
  cmake --preset "$preset" >/dev/null || { kitchen_say "cmake configure failed for preset '$preset'"; exit 1; }
  cmake --build --preset "$preset" --target all "$@" || { kitchen_say "build failed for preset '$preset'"; exit 1; }
}

# The standard library is all merge_results.py needs: Debian's interpreter, else the first python3.
kitchen_python() { "$(kitchen_python_path)" "$@"; }
kitchen_python_path() { if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi; }
