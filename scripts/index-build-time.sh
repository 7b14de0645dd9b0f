#!/usr/bin/env bash
# Time of the full-text index build alone, the derived store already built.
#
#   scripts/index-build-time.sh STET_BINARY CORPUS [RUNS]
#
# Builds the corpus's derived store once (`stet stories`, untimed) in fresh XDG cache and data
# dirs, then RUNS times (3 unless told) removes the index folder and times `stet search
# minister CORPUS`, which builds the index and answers one query: wall, user and system
# seconds, peak RSS (`/usr/bin/time`), the load average before the run, the index's size and
# its number of segments. The dirs are removed at the end. Under load, wall (and even CPU)
# times of one binary vary by a fifth from run to run: compare binaries run by run, or count
# instructions instead (`valgrind --tool=callgrind` on a small corpus, with the store built).
# A 1M corpus: run the whole script under `flock /tmp/gen/1m.lock`.
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 STET_BINARY CORPUS [RUNS]" >&2
    exit 2
fi
bin=$(realpath "$1")
corpus=$(realpath "$2")
runs=${3:-3}
cache=$(mktemp -d)
data=$(mktemp -d)
trap 'rm -rf "$cache" "$data"' EXIT
export XDG_CACHE_HOME="$cache" XDG_DATA_HOME="$data"
"$bin" stories "$corpus" > /dev/null
for run in $(seq "$runs"); do
    rm -rf "$cache"/stet/corpora/*/search*
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    took=$( { /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak" \
        "$bin" search minister "$corpus" > /dev/null; } 2>&1 | tail -1)
    index=$(echo "$cache"/stet/corpora/*/search)
    segments=$(find "$index" -name '*.idx' | wc -l)
    size=$(du -sh "$index" | cut -f1)
    echo "run $run (load $load): $took; index $size in $segments segments"
done
