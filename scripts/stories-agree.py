#!/usr/bin/env python3
"""Agreement of two `stet stories --json` outputs of one corpus: pairwise precision and
recall over the article pairs grouped together (A taken as the prediction, B as the
reference), the stories with identical members, and how many of those have the same id.

    scripts/stories-agree.py incremental.json full.json
"""
import json
import sys
from collections import Counter


def load(path):
    d = json.load(open(path))
    label, ids = {}, {}
    for k, s in enumerate(d["stories"]):
        members = frozenset(a["id"] for a in s["articles"])
        ids[members] = s["id"]
        for a in s["articles"]:
            label[a["id"]] = k
    return label, ids


def pairs(label):
    return sum(n * (n - 1) // 2 for n in Counter(label.values()).values())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, ia = load(sys.argv[1])
    b, ib = load(sys.argv[2])
    if set(a) != set(b):
        sys.exit("the two outputs list different articles")
    both = Counter((a[x], b[x]) for x in a)
    shared = sum(n * (n - 1) // 2 for n in both.values())
    pa, pb = pairs(a), pairs(b)
    print(f"articles {len(a)}, stories {len(ia)} vs {len(ib)}, pairs {pa} vs {pb}, shared {shared}")
    print(f"precision {shared / pa if pa else 1:.6f} recall {shared / pb if pb else 1:.6f}")
    same = ia.keys() & ib.keys()
    print(f"stories with identical members: {len(same)} of {len(ib)}")
    print(f"of those, with the same id: {sum(1 for m in same if ia[m] == ib[m])}")


if __name__ == "__main__":
    main()
