#!/usr/bin/env bash
# Everything `make lab` and `make test` need on a fresh machine, in order.
# Each step skips itself when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-venv.sh
scripts/link-collection.sh
scripts/ensure-tools.sh
scripts/ensure-docker.sh
for suite in ${SIPHA_LAB_SUITES:-bookworm trixie}; do
  scripts/ensure-base-image.sh "$suite"
done
