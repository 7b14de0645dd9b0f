#!/usr/bin/env bash
# Runs every hostile-input property target of tests/integration/fuzz.rs for MINUTES minutes each, one after
# another (one core, niced), with a fresh seed per run. Usage:
#   scripts/fuzz-long.sh [MINUTES] [TARGET...]     # default 10 minutes, all targets
# Targets: load_text load_json load_jsonl load_html load_docx load_exports_text load_factiva load_csv load_warc
#          load_rtf load_sniffed (RTF; JSON, JSON lines, RTF, WARC without a known extension)
#          load_parquet (Parquet written here with hostile values, and the fixtures, damaged)
#          clean segment compare anchor annotation_log config
#          walk (trees with symlink loops, FIFOs, devices) gzip (bombs, truncated, corrupted)
#          compressed (gzip, zstd, bzip2, xz: bombs, truncated, corrupted, several members)
# Each target prints "fuzz target NAME: N cases in S s, clean", or fails with its seed and the
# shrunk input (re-run that seed with STET_FUZZ_SEED=SEED STET_FUZZ_CASES=... to reproduce).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-10}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(load_text load_json load_jsonl load_html load_docx load_exports_text load_factiva load_csv load_warc load_rtf load_sniffed load_parquet clean segment compare anchor annotation_log config walk gzip compressed)
fi
profile="${FUZZ_PROFILE:---release}"
# Build once; run the test executable itself (no rebuild between targets).
exe="$(cargo test $profile --test integration --no-run 2>&1 | sed -n 's/.*Executable tests\/integration\/main.rs (\(.*\))/\1/p' | tail -1)"
[ -x "$exe" ] || { echo "could not build the fuzz targets" >&2; exit 1; }
seed="${STET_FUZZ_SEED:-$(date +%s)}"
status=0
for t in "${targets[@]}"; do
  echo "== fuzz_$t for $minutes min (first seed $seed)"
  if ! STET_FUZZ_SECONDS=$((minutes * 60)) STET_FUZZ_SEED="$seed" STET_FUZZ_CASES="${STET_FUZZ_CASES:-256}" \
    nice -n 10 "$exe" --exact "fuzz::fuzz_$t" --nocapture --test-threads=1 --quiet; then
    status=1
  fi
done
exit $status
