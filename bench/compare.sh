#!/bin/sh
# Check that findings are byte-identical to a saved baseline: bench/compare.sh BASELINE_DIR
# (BASELINE_DIR holds bbc.json and seeds.json from an earlier `srcaudit check --format json`).
set -e
base=${1:?baseline folder}
data=${2:-/work/shared/data/news-bbc}
.venv/bin/srcaudit check "$data" --format json > /tmp/srcaudit-compare-bbc.json || true
.venv/bin/srcaudit check seeds/ --format json > /tmp/srcaudit-compare-seeds.json || true
cmp "$base/bbc.json" /tmp/srcaudit-compare-bbc.json && cmp "$base/seeds.json" /tmp/srcaudit-compare-seeds.json && echo identical
