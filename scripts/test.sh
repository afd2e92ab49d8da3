#!/usr/bin/env bash
# Quick start, part 2: installs what the build needs and runs the whole test suite
# (unit tests, golden examples, brute-force oracle, bad-input and CLI tests).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo test --release
