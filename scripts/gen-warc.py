#!/usr/bin/env python3
"""Writes a large WARC file of HTML response records, for measuring stet's WARC loading.

Usage: scripts/gen-warc.py OUT.warc MEGABYTES [--gzip] [--seed N] [--csv OUT.csv]

Each record is a `response` with an HTTP 200 header (every 8th one chunked) and a news page:
a navigation bar, a headline, a date, 4-12 paragraphs of text and a footer. The text comes
from the BBC articles in ../shared/data/bbc when they are there (shuffled paragraphs), else
from a fixed vocabulary; a `warcinfo` and a `request` record are mixed in as crawlers write
them. With --gzip each record is its own gzip member (as `.warc.gz` files are). With --csv the
same articles are also written as a CSV table (title, date, url, text), for the CSV figure.
"""

import argparse
import csv
import gzip
import os
import random
import sys

WORDS = (
    "the minister said on tuesday that talks would resume after police in the capital "
    "reported shares rose percent while the central bank kept rates unchanged and analysts "
    "expected growth to slow as exports fell amid the dispute over tariffs"
).split()


def paragraphs_pool(seed):
    here = os.path.dirname(os.path.abspath(__file__))
    bbc = os.path.join(here, "..", "..", "shared", "data", "bbc")
    pool = []
    if os.path.isdir(bbc):
        for root, _, files in os.walk(bbc):
            for f in sorted(files):
                if f.endswith(".txt"):
                    with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
                        parts = [p.strip() for p in fh.read().split("\n\n") if p.strip()]
                    pool.extend(parts[1:])
    if not pool:
        rng = random.Random(seed)
        for _ in range(5000):
            n = rng.randint(20, 60)
            pool.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
    return pool


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def page(rng, pool, i):
    paras = [rng.choice(pool) for _ in range(rng.randint(4, 12))]
    title = " ".join(paras[0].split()[:8]).rstrip(".,") + f" ({i})"
    day = 1 + i % 28
    date = f"2024-03-{day:02d}T{(i % 24):02d}:00:00Z"
    body = "".join(f"<p>{html_escape(p)}</p>\n" for p in paras)
    html = (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        f"<title>{html_escape(title)} - The Coast Herald</title>"
        f"<meta property=\"article:published_time\" content=\"{date}\"></head><body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a>"
        " <a href=\"/weather\">Weather</a></nav>"
        f"<article><h1>{html_escape(title)}</h1><time datetime=\"{date}\">{date}</time>\n{body}</article>"
        "<aside><h2>Most read</h2><ul><li>Storm closes harbour</li><li>Ferry times</li></ul></aside>"
        "<footer>Copyright 2024 The Coast Herald. All rights reserved. Terms Privacy Contact</footer>"
        "</body></html>"
    )
    return title, date, paras, html


def record(kind, uri, date, payload, content_type):
    head = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"WARC-Date: {date}\r\n"
        f"WARC-Record-ID: <urn:uuid:{random.getrandbits(128):032x}>\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    ).encode()
    return head + payload + b"\r\n\r\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("megabytes", type=float)
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--csv")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    random.seed(a.seed)
    pool = paragraphs_pool(a.seed)
    target = int(a.megabytes * (1 << 20))
    written = 0
    pages = 0
    csv_out = None
    if a.csv:
        fh = open(a.csv, "w", newline="", encoding="utf-8")
        csv_out = csv.writer(fh)
        csv_out.writerow(["title", "date", "url", "text"])
    with open(a.out, "wb") as out:
        def put(rec):
            nonlocal written
            data = gzip.compress(rec, compresslevel=1) if a.gzip else rec
            out.write(data)
            written += len(data)

        put(record("warcinfo", "", "2024-03-01T00:00:00Z", b"software: gen-warc.py\r\n", "application/warc-fields"))
        while written < target:
            pages += 1
            title, date, paras, html = page(rng, pool, pages)
            uri = f"https://www.coastherald.example/news/{pages}"
            body = html.encode()
            if pages % 8 == 0:
                chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)]
                payload = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
                http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n" + payload
            else:
                http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body) + body
            if pages % 5 == 0:
                req = f"GET /news/{pages} HTTP/1.1\r\nHost: www.coastherald.example\r\n\r\n".encode()
                put(record("request", uri, date, req, "application/http; msgtype=request"))
            put(record("response", uri, date, http, "application/http; msgtype=response"))
            if csv_out:
                csv_out.writerow([title, date, uri, "\n\n".join(paras)])
    print(f"{a.out}: {written} bytes, {pages} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
