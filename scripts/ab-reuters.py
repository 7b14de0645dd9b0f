#!/usr/bin/env python3
"""Interleaved whole-process timings of `stet articles --json` on Reuters-21578 against Python's
json.loads line by line (the interpreter itself, not a pyenv shim), medians of N rounds.

    N=41 scripts/ab-reuters.py target/release/stet [other stet binaries...]
"""
import json, os, statistics, subprocess, sys, time

data = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "reuters21578.jsonl")
parse_only = "import json,sys\nfor line in open(sys.argv[1], encoding='utf-8'):\n    json.loads(line)\n"
cmds = {"python json.loads": [sys.executable, "-c", parse_only, data]}
for b in sys.argv[1:] or ["target/release/stet"]:
    cmds[b] = [b, "articles", data, "--json"]
res = {k: [] for k in cmds}
for _ in range(int(os.environ.get("N", "21"))):
    for k, c in cmds.items():
        t = time.perf_counter()
        _, _, ru = os.wait4(subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid, 0)
        res[k].append((time.perf_counter() - t, ru.ru_utime + ru.ru_stime, ru.ru_maxrss))
for k, v in res.items():
    print(f"{k}: median wall {statistics.median(x[0] for x in v) * 1000:.1f} ms, "
          f"cpu {statistics.median(x[1] for x in v) * 1000:.1f} ms, peak {max(x[2] for x in v) / 1024:.0f} MB")
