#!/usr/bin/env bash
# Runs stet and the tools people use instead on the same inputs, in one run, and prints a table
# of wall-clock times (median of RUNS runs) with ratios to stet. Usage:
#   scripts/bench-peers.sh [ARTICLES]        # default 10000 generated articles
# Peers, each skipped (and said so) when missing:
#   grouping:  datasketch MinHashLSH in Python (pip install datasketch): 128 permutations,
#              5-word shingles, threshold 0.5, vs `stet stories --no-cache --json`
#   load:      Python's json.loads line by line on Reuters-21578 (parse only), vs
#              `stet articles --json` (parse, clean, list)
#   word diff: `git diff --no-index --word-diff=porcelain` and dwdiff (apt-get install dwdiff),
#              vs `stet diff --json`, on one long pair: the 44 BBC re-publication pairs of
#              ../shared/data/pairs/bbc joined into one text each, B with two blocks swapped.
# Needs ../shared/data (the generator builds the corpus from it). Environment: RUNS (default 3),
# CARGO_TARGET_DIR (where the release binaries are built).
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${1:-10000}"
runs="${RUNS:-3}"
data="../shared/data"
if [ ! -d "$data/bbc" ]; then
  echo "skipping: $data is absent (the corpus generator and the diff pair need it)" >&2
  exit 0
fi
cargo build --release --quiet --workspace --bins
target="${CARGO_TARGET_DIR:-target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$target/release/stet" "$target/release/stet-gen" "$work/"
stet="$work/stet"
export STET_DATA_DIR="$work/data" STET_CONFIG_DIR="$work/config" STET_CACHE_DIR="$work/cache"

# Median wall-clock seconds of `runs` runs of a command (output discarded).
median() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

rows=()
row() { rows+=("$1|$2|$3|$4"); }

# The Python interpreter itself: a pyenv shim in front of it adds ~45 ms to every start.
py="$(python3 -c 'import sys; print(sys.executable)')"

# --- load + clean ----------------------------------------------------------------------------
reuters="$data/reuters21578.jsonl"
if [ -f "$reuters" ]; then
  cat >"$work/pyjson.py" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if line.strip():
            json.loads(line)
PY
  load_runs=$((runs < 9 ? 9 : runs))
  t_stet=$(runs=$load_runs median "$stet" articles "$reuters" --json)
  label="load + clean Reuters-21578 (20 MB JSONL)"
  row "$label" "stet articles --json" "$t_stet" "$t_stet"
  t=$(runs=$load_runs median "$py" "$work/pyjson.py" "$reuters")
  row "$label" "Python json.loads line by line (parse only)" "$t" "$t_stet"
fi

echo "generating $articles articles (stet-gen, seed 1)..." >&2
"$work/stet-gen" generate --articles "$articles" --seed 1 --bbc "$data/bbc" \
  --reuters "$data/reuters21578.jsonl" --out "$work/corpus.jsonl" >/dev/null
size=$(du -m "$work/corpus.jsonl" | cut -f1)

# --- grouping --------------------------------------------------------------------------------
t_stet=$(median "$stet" stories --no-cache --json "$work/corpus.jsonl")
row "grouping, $articles articles (${size} MB JSONL)" "stet stories --no-cache --json" "$t_stet" "$t_stet"
cat >"$work/minhash.py" <<'PY'
import json, re, sys
from datasketch import MinHash, MinHashLSH
lsh = MinHashLSH(threshold=0.5, num_perm=128)
sigs = []
with open(sys.argv[1], encoding="utf-8") as f:
    for i, line in enumerate(f):
        rec = json.loads(line)
        text = rec.get("body") or rec.get("text") or ""
        words = re.findall(r"\w+", text.lower())
        m = MinHash(num_perm=128)
        m.update_batch(" ".join(words[j:j + 5]).encode() for j in range(max(1, len(words) - 4)))
        lsh.insert(str(i), m)
        sigs.append(m)
pairs = sum(len(lsh.query(m)) - 1 for m in sigs)
print(len(sigs), "articles", pairs // 2, "candidate pairs")
PY
if "$py" -c "import datasketch" 2>/dev/null; then
  grouping_runs=1  # minutes per run at 10k+; one run
  t=$(runs=$grouping_runs median "$py" "$work/minhash.py" "$work/corpus.jsonl")
  row "grouping, $articles articles (${size} MB JSONL)" "datasketch MinHashLSH (128 perms, 5-word shingles, 0.5)" "$t" "$t_stet"
else
  echo "skipping datasketch: pip install datasketch" >&2
fi

# --- word diff -------------------------------------------------------------------------------
pairs="$data/pairs/bbc"
"$py" - "$pairs" "$work/a.txt" "$work/b.txt" <<'PY'
import json, sys
pairs, out_a, out_b = sys.argv[1:]
rows = [json.loads(l) for l in open(f"{pairs}/MANIFEST.jsonl")]
import os
files = sorted(os.listdir(pairs))
a_parts, b_parts = [], []
for r in rows:
    n = f"{r['pair']:03d}"
    a = next(f for f in files if f.startswith(n + "a_"))
    b = next(f for f in files if f.startswith(n + "b_"))
    a_parts.append(open(f"{pairs}/{a}", encoding="utf-8").read().strip())
    b_parts.append(open(f"{pairs}/{b}", encoding="utf-8").read().strip())
# Moves: swap two blocks of B.
k = len(b_parts) // 4
b_parts[k:2 * k], b_parts[2 * k:3 * k] = b_parts[2 * k:3 * k], b_parts[k:2 * k]
open(out_a, "w", encoding="utf-8").write("\n\n".join(a_parts) + "\n")
open(out_b, "w", encoding="utf-8").write("\n\n".join(b_parts) + "\n")
PY
words=$(cat "$work/a.txt" | wc -w)
label="word diff, one long pair ($words words)"
t_stet=$(median "$stet" diff --json "$work/a.txt" "$work/b.txt")
row "$label" "stet diff --json" "$t_stet" "$t_stet"
t=$(median git diff --no-index --word-diff=porcelain "$work/a.txt" "$work/b.txt")
row "$label" "git diff --no-index --word-diff=porcelain" "$t" "$t_stet"
if command -v dwdiff >/dev/null; then
  t=$(median dwdiff "$work/a.txt" "$work/b.txt")
  row "$label" "dwdiff" "$t" "$t_stet"
else
  echo "skipping dwdiff: apt-get install dwdiff" >&2
fi

# --- table -----------------------------------------------------------------------------------
echo
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; median of $runs runs (datasketch: 1 run)"
echo
echo "| task | tool | seconds | time / stet's |"
echo "|---|---|---|---|"
for r in "${rows[@]}"; do
  IFS='|' read -r task tool t base <<<"$r"
  ratio=$(echo "scale=2; $t / $base" | bc)
  printf '| %s | %s | %.3f | %sx |\n' "$task" "$tool" "$t" "$ratio"
done
