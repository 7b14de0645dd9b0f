#!/usr/bin/env python3
"""Draws a random sample of the article pairs `stet stories` joins on Reuters-21578, for
hand-labelling (tests/fixtures/reuters-joined-sample.tsv).

How it is drawn: every pair of articles in one story of
`stet stories --no-cache --json ../shared/data/reuters21578.jsonl` is listed (sorted by ids),
and N of them are taken with Python's random.Random(SEED).sample. It prints, for each pair,
both headlines, the hours between them and the first 900 characters of both bodies, so that a
person can read them; the fixture keeps only the ids and the label (no Reuters text).

Usage: scripts/draw-joined-sample.py STET_BINARY [N] [SEED]
"""
import datetime
import json
import random
import subprocess
import sys

CORPUS = "../shared/data/reuters21578.jsonl"


def when(r):
    return datetime.datetime.strptime(r["date"].strip()[:20].rstrip("."), "%d-%b-%Y %H:%M:%S")


def main():
    stet = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 160
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20261206
    recs = {}
    with open(CORPUS) as f:
        for line in f:
            r = json.loads(line)
            recs[str(r["id"])] = r
    out = subprocess.run([stet, "stories", "--no-cache", "--json", CORPUS],
                         capture_output=True, check=True).stdout
    pairs = []
    for s in json.loads(out)["stories"]:
        ids = sorted((a["id"] for a in s["articles"]), key=int)
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                pairs.append((ids[i], ids[j]))
    pairs.sort(key=lambda p: (int(p[0]), int(p[1])))
    print(f"# {len(pairs)} joined pairs; sample of {n} with seed {seed}")
    for a, b in random.Random(seed).sample(pairs, min(n, len(pairs))):
        ra, rb = recs[a], recs[b]
        hours = abs((when(rb) - when(ra)).total_seconds()) / 3600
        print(f"=== {a} {b} ({hours:.1f} h apart)")
        for r in (ra, rb):
            print(f"[{r['id']}] {r.get('title', '')} | {r.get('dateline', '')}")
            print("   " + " ".join(r.get("body", "").split())[:900])


if __name__ == "__main__":
    main()
