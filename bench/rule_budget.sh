#!/bin/bash
# What two rule families add to a BBC-sized run (issue 5's budget: the consistency family
# must add <= 50% to the run without it). Alternates four rule sets, N rounds, and prints
# one line per run: round, rule set, user+sys CPU seconds, wall seconds.
#   JOBS=1 (default): CPU of the whole map phase in one process, the steadiest figure;
#   JOBS=2: the benchmark as users run it (compare wall seconds).
# Usage: bench/rule_budget.sh DATA_DIR [ROUNDS]   (SRCAUDIT=path/to/srcaudit to pick an install)
set -u
data=${1:?usage: bench/rule_budget.sh DATA_DIR [ROUNDS]}
rounds=${2:-5}
srcaudit=${SRCAUDIT:-srcaudit}
consistency="ATT001,ATT002,CON001,CON002"
five="ATT003,ATT004,MET001,MET002,RDB001"
for round in $(seq 1 "$rounds"); do
  for name in all no_consistency no_five none; do
    case $name in
      all) ignore=();;
      no_consistency) ignore=(--ignore "$consistency");;
      no_five) ignore=(--ignore "$five");;
      none) ignore=(--ignore "$consistency,$five");;
    esac
    seconds=$( { /usr/bin/time -f "%U %S %e" "$srcaudit" check "$data" -q --no-cache --jobs "${JOBS:-1}" \
                 "${ignore[@]}" >/dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2, $3}')
    echo "$round $name $seconds"
  done
done
