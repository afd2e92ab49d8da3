#!/usr/bin/env bash
# Quick start, part 1: installs what the build needs, builds postfit and solves the tutorial
# scenario (a county re-election with 5 vacancies), printing the plan and writing plan.json.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo build --release
./target/release/postfit solve scenarios/tutorial/scenario.json --out plan.json
echo
echo "Plan written to plan.json; verify it independently with:"
echo "  ./target/release/postfit check scenarios/tutorial/scenario.json plan.json"
