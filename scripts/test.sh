#!/usr/bin/env bash
# Builds the suite and runs every test through ctest; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
KITCHEN_SCRIPT=test.sh
source scripts/lib/setup.sh

kitchen_build release
ctest --preset release --output-on-failure
