# Two commands for users (README): `make lab` and `make test`.
# Everything they need on a fresh machine is installed by scripts/setup.sh.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/.venv/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_FORCE_COLOR ?= 0
export PY_COLORS ?= 0

# LAB_DB=galera: the shared database as a Galera cluster (db1, db2 and an
# arbitrator, inventories/lab_galera), as the molecule default scenario runs it.
LAB_DB ?= single
# LAB_ACCESS=ssh: Ansible reaches the proxy nodes over SSH on their private
# addresses, as production does (inventories/lab_ssh), as the molecule
# heartbeat scenario runs it.
LAB_ACCESS ?= docker
LAB_INVENTORY := inventories/lab$(if $(filter galera,$(LAB_DB)), -i inventories/lab_galera)$(if $(filter ssh,$(LAB_ACCESS)), -i inventories/lab_ssh)
# In the order they run, one after the other (scripts/molecule-all.sh).
# default first: the static checks start with the first faults and need
# about 15 minutes beside them at nice 19, which default's faults (about 15)
# give them; beside heartbeat's (about 9) they ran on into default's lab
# build and converge, which need both cores (measured in one run: the check
# stage 71 s to 115 s, converge 183 s to 198 s).
MOLECULE_SCENARIOS ?= default heartbeat

.PHONY: help setup venv lab lab-down lab-clean status test lint sanity unit molecule bench build

help:
	@echo "make lab        build the Docker lab and run site.yml against it"
	@echo "make test       lint, sanity, unit tests and the molecule scenarios"
	@echo "make lab-down   remove the lab's containers and networks (keeps the package cache)"
	@echo "make lab-clean  lab-down and remove the package cache volume too"
	@echo "make status     what is where in the running lab"
	@echo "make bench      failover and rollout benchmarks on the lab (about two hours)"
	@echo "make build      build the collection tarball"

setup:
	@scripts/setup.sh

lab: setup
	@echo "==> Building the lab (playbooks/lab_up.yml)"
	ansible-playbook -i $(LAB_INVENTORY) playbooks/lab_up.yml
	@echo "==> Building the cluster (site.yml)"
	ansible-playbook -i $(LAB_INVENTORY) site.yml
	@$(MAKE) --no-print-directory status

status:
	@echo "==> What is where (playbooks/status.yml)"
	@ansible-playbook -i $(LAB_INVENTORY) playbooks/status.yml | sed -n '/Print one line/,/^$$/p'

# Just the venv and the collection link, for targets that need no Docker set-up.
venv:
	@scripts/ensure-venv.sh
	@scripts/link-collection.sh

lab-down: venv
	ansible-playbook -i $(LAB_INVENTORY) playbooks/lab_down.yml

lab-clean: venv
	ansible-playbook -i $(LAB_INVENTORY) playbooks/lab_down.yml -e lab_remove_cache=true

# The static checks run beside the scenarios' faults, at nice 19
# (scripts/test-all.sh says why); `make lint sanity unit molecule` runs them
# one after the other.
test: setup
	@scripts/test-all.sh $(MOLECULE_SCENARIOS)
	@echo "==> make test: all steps passed"

lint:
	@echo "==> yamllint"
	yamllint .
	@echo "==> ansible-lint (production profile)"
	ansible-lint

sanity:
	@scripts/sanity.sh

# PYTEST_ARGS: a selection, as scripts/test-all.sh makes (-m wall_clock).
unit:
	@echo "==> pytest (unit tests and bad-input checks) $(PYTEST_ARGS)"
	pytest $(PYTEST_ARGS)

# The faults run one scenario at a time (scripts/molecule-all.sh says why).
molecule:
	@scripts/molecule-all.sh $(MOLECULE_SCENARIOS)

# Not part of `make test`: it rebuilds the lab and fails it about a hundred
# times (benchmarks/README.md). BENCH_TRIALS, BENCH_PROFILES, BENCH_FAULTS
# narrow it down.
bench: setup
	benchmarks/run.sh

build: venv
	ansible-galaxy collection build --force --output-path .cache/build
