#!/usr/bin/env bash
# make bench: measure failover and rollout on the Docker lab, then write
# benchmarks/results (JSON per profile and fault, the plot) and the table in
# benchmarks/README.md. Not part of `make test`.
#
# For each HA manager the lab is built fresh and site.yml is timed on it
# twice (the first rollout, then a re-run that must change nothing). Each
# profile of that manager is then rolled out on the same lab and failed
# BENCH_TRIALS times per fault. Every trial of every fault holds 20 calls
# with RTP across it (held_calls.py): their media and how they ended.
#
#   BENCH_PROFILES  profiles to run (benchmarks/profiles/<name>.yml)
#   BENCH_FAULTS    node-stopped proxy-crashed link-down db-down partition
#                   db-host-killed (empty: none, for the capacity table alone)
#   BENCH_TRIALS    trials per profile and fault (default 10)
#   BENCH_DB_DOWN_S / BENCH_DB_TRIALS  db-down: how long the shared database
#                   is away (default 20 s) and how many trials (default 3)
#   BENCH_PARTITION_S / BENCH_PARTITION_TRIALS  partition (keepalived profiles
#                   only): how long the private network is cut (default 20 s)
#                   and how many trials (default 3)
#   BENCH_STABILITY_S  seconds per profile with every node's CPUs saturated
#                   and no fault, counting false failovers (default 60; 0: skip)
#   BENCH_DB        single (default) or galera: the shared database as a
#                   Galera cluster (inventories/lab_galera), which the fault
#                   db-host-killed needs (BENCH_DB_TRIALS trials)
#   BENCH_CAPACITY  the usrloc modes whose capacity (REGISTERs and call
#                   attempts a second, capacity_bench.py) is measured on the
#                   last profile's lab and this run's database, each
#                   MODE[/REPLICATION_METHOD] (default dmq), followed by
#                   the registrar alone as the reference (default
#                   "db_only write_back write_back/register_copy"; empty: none)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

profiles=${BENCH_PROFILES:-keepalived-advert-1s keepalived-fast heartbeat}
faults=${BENCH_FAULTS-node-stopped proxy-crashed link-down db-down partition db-host-killed}
trials=${BENCH_TRIALS:-10}
# db-down: the shared database away this long, fewer trials (each lasts a minute or more).
db_down_s=${BENCH_DB_DOWN_S:-20}
db_trials=${BENCH_DB_TRIALS:-3}
partition_s=${BENCH_PARTITION_S:-20}
partition_trials=${BENCH_PARTITION_TRIALS:-3}
stability_s=${BENCH_STABILITY_S:-60}
results=benchmarks/results
work=.cache/bench
inventory=(-i inventories/lab)
if [ "${BENCH_DB:-single}" = galera ]; then
  inventory+=(-i inventories/lab_galera)
fi
mkdir -p "$results" "$work"

step "Installing what the report needs (benchmarks/requirements.txt)"
.venv/bin/pip install --disable-pip-version-check --quiet -r benchmarks/requirements.txt
.venv/bin/python benchmarks/report.py --record-machine "$results/machine.json"

# ansible-playbook with the lab inventory, the benchmark's lab settings and a
# profile; prints its output to a log and returns its exit status.
playbook() { # LOG PROFILE PLAYBOOK [ARGS...]
  local log=$1 profile=$2 playbook=$3
  shift 3
  ansible-playbook "${inventory[@]}" -e @benchmarks/lab.yml -e @"benchmarks/profiles/$profile.yml" "$playbook" "$@" >"$log" 2>&1
}

# The sum of changed= over the PLAY RECAP of a log.
changed_in() {
  awk '/^PLAY RECAP/ { recap = 1; total = 0; next } recap && /changed=/ { sub(/.*changed=/, ""); total += $1 } END { print total + 0 }' "$1"
}

# The failover benchmark on the running lab, with this run's inventories.
bench() {
  python3 benchmarks/failover_bench.py --facts "$work/lab.json" --profile "$profile" "${inventory[@]/#-i/--inventory}" "$@"
}

manager_of() { awk '$1 == "sipha_ha_manager:" { print $2 }' "benchmarks/profiles/$1.yml"; }

built_for=""
for profile in $profiles; do
  [ -f "benchmarks/profiles/$profile.yml" ] || die "no profile benchmarks/profiles/$profile.yml"
  manager=$(manager_of "$profile")
  if [ "$manager" != "$built_for" ]; then
    step "Building a fresh lab for $manager"
    playbook "$work/lab_down.log" "$profile" playbooks/lab_down.yml || die "lab_down failed: $work/lab_down.log"
    playbook "$work/lab_up.log" "$profile" playbooks/lab_up.yml || die "lab_up failed: $work/lab_up.log"

    step "Rollout cost: site.yml on the fresh lab, then again ($profile)"
    start=$SECONDS
    playbook "$work/$profile.site-first.log" "$profile" site.yml || die "site.yml failed: $work/$profile.site-first.log"
    first_s=$((SECONDS - start))
    start=$SECONDS
    playbook "$work/$profile.site-rerun.log" "$profile" site.yml || die "site.yml re-run failed: $work/$profile.site-rerun.log"
    rerun_s=$((SECONDS - start))
    printf '{"profile": "%s", "ha_manager": "%s", "first_run_s": %d, "first_run_changed": %d, "rerun_s": %d, "rerun_changed": %d}\n' \
      "$profile" "$manager" "$first_s" "$(changed_in "$work/$profile.site-first.log")" \
      "$rerun_s" "$(changed_in "$work/$profile.site-rerun.log")" >"$results/$profile.rollout.json"
    cat "$results/$profile.rollout.json"
    built_for=$manager
  else
    step "Rolling $profile out on the running lab"
    playbook "$work/$profile.site.log" "$profile" site.yml || die "site.yml failed: $work/$profile.site.log"
  fi

  playbook "$work/lab_facts.log" "$profile" benchmarks/lab_facts.yml -e bench_facts_file="$PWD/$work/lab.json" ||
    die "lab_facts.yml failed: $work/lab_facts.log"
  # The client probes with the failover role's own probe, as the nodes do.
  client=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["client"])' "$work/lab.json")
  docker cp roles/failover/files/sipha-sip-ping "$client:/usr/local/bin/sipha-sip-ping"

  for fault in $faults; do
    if [ "$fault" = db-host-killed ]; then
      if [ "${BENCH_DB:-single}" != galera ]; then
        echo "db-host-killed needs BENCH_DB=galera (a replicated database); skipped"
        continue
      fi
      step "$profile: $db_trials trials of the database host that serves killed"
      bench --db-host-killed --trials "$db_trials" --out "$results/$profile.db-host-killed.json"
      continue
    fi
    if [ "$fault" = db-down ] && [ "${BENCH_DB:-single}" = galera ]; then
      # It stops one host's server; a Galera cluster would only move its address.
      echo "db-down stops one database host: not with BENCH_DB=galera; skipped"
      continue
    fi
    if [ "$fault" = db-down ]; then
      step "$profile: $db_trials trials of the shared database away for $db_down_s s"
      bench --db-outage "$db_down_s" \
        --trials "$db_trials" --out "$results/$profile.db-down.json"
      continue
    fi
    if [ "$fault" = partition ]; then
      # heartbeat fences a partitioned peer (molecule heartbeat proves it);
      # this measures keepalived's VIP guard.
      [ "$manager" = keepalived ] || continue
      step "$profile: $partition_trials trials of the private network cut for $partition_s s"
      bench --partition "$partition_s" \
        --trials "$partition_trials" --out "$results/$profile.partition.json"
      continue
    fi
    step "$profile: $trials trials of $fault"
    bench --fault "$fault" \
      --trials "$trials" --out "$results/$profile.$fault.json"
  done
  if [ "$stability_s" -gt 0 ]; then
    step "$profile: $stability_s s with every node's CPUs saturated, no fault"
    bench --stability "$stability_s" \
      --out "$results/$profile.stability.json"
  fi
done

capacity_modes=${BENCH_CAPACITY-db_only write_back write_back/register_copy}
if [ -n "$capacity_modes" ]; then
  case ${BENCH_DB:-single} in
    galera) database="Galera (2 hosts + arbitrator)" ;;
    *) database="one host" ;;
  esac
  capacity() { # OUT USRLOC [ARGS...]
    local out=$1 usrloc=$2
    shift 2
    python3 benchmarks/capacity_bench.py --facts "$work/lab.json" --database "$database" --usrloc "$usrloc" \
      --out "$results/capacity.${BENCH_DB:-single}.$out.json" "$@"
  }
  for entry in $capacity_modes; do
    mode=${entry%%/*}
    method=dmq
    [ "$entry" = "$mode" ] || method=${entry#*/}
    out=$mode
    [ "$method" = dmq ] || out="$mode+$method"
    step "Capacity with kamailio_usrloc_db_mode=$mode, replication $method ($database)"
    playbook "$work/capacity.$out.site.log" "$profile" site.yml -e "kamailio_usrloc_db_mode=$mode" \
      -e "kamailio_usrloc_replication_method=$method" || die "site.yml failed: $work/capacity.$out.site.log"
    case $mode/$method in
      db_only/*) label=$mode ;;
      */dmq) label="$mode, replicated (dmq_usrloc)" ;;
      */register_copy) label="$mode, replicated (REGISTER copies)" ;;
      *) label="$mode, replicated ($method)" ;;
    esac
    capacity "$out" "$label"
  done
  step "Capacity of the registrar alone: memory, replicated nowhere (the reference)"
  capacity reference "memory, not replicated (reference)" --reference
fi

step "Removing the lab"
playbook "$work/lab_down.log" "$(echo "$profiles" | awk '{ print $1 }')" playbooks/lab_down.yml || true

step "Writing the plot and the README table"
.venv/bin/python benchmarks/report.py --results "$results" --readme benchmarks/README.md
