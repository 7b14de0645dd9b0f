#!/usr/bin/env python3
"""Whole-process timings of `stet search`: scripts/search-timeit.py STET CORPUS RUNS QUERY...

Runs `STET search --json QUERY CORPUS` RUNS times per query (the index already built) and
prints the median, fastest and slowest wall-clock time of each query."""
import subprocess, sys, time, statistics, os
b, corpus, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
qs = sys.argv[4:]
for q in qs:
    ts = []
    for i in range(runs):
        t = time.perf_counter()
        subprocess.run([b, "search", "--json", q, corpus], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    print(f"{q!r}: median {statistics.median(ts):.1f} ms, min {ts[0]:.1f}, max {ts[-1]:.1f} ({runs} runs)")
