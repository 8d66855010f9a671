#!/usr/bin/env bash
# Make the checkout importable as the collection sipha.cluster (ansible.cfg
# points collections_path at .ansible/collections).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .ansible/collections/ansible_collections/sipha
ln -sfn ../../../.. .ansible/collections/ansible_collections/sipha/cluster
