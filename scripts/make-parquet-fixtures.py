#!/usr/bin/env python3
"""Writes the Parquet test fixtures of tests/fixtures/parquet/ (invented articles, written here)
and, with --from-jsonl, a large Parquet file from a JSON lines corpus for the load figure.

Usage: scripts/make-parquet-fixtures.py [OUT_DIR]            # default tests/fixtures/parquet
       scripts/make-parquet-fixtures.py --from-jsonl IN.jsonl OUT.parquet [--compression snappy]
                                        [--rows N]

Needs pyarrow (`pip install pyarrow`). The fixtures are written by pyarrow as Hugging Face
datasets, pandas and polars write theirs: dictionary-encoded string columns, Snappy by default,
row groups, nested and list columns, timestamp and date types, so the tests read files made
the way real ones are, not only files stet's own writer makes.

- cc_news.parquet: the columns of Hugging Face's cc_news (title, text, domain, date,
  description, url, image_url), Snappy; row 3 has a title and no text, row 4 neither.
- nested.parquet: a struct `source {id, name}`, a list of strings `authors`, a list of
  structs `byline_parts {name}`, `published_at` as a UTC timestamp in microseconds, an int64
  `id`; gzip, data page v2, two rows per row group.
- dates.parquet: `headline`, `body`, `pubdate` as date32 and `seen` as timestamp[ms]; LZ4.
- title_only.parquet: `title` and `url`, no text column.
- no_fields.parquet: columns no field is read from (`a`, `b`).
- zstd.parquet: like cc_news.parquet, two rows, zstd.
- brotli.parquet: one row, brotli (a codec stet does not read).
- binary.parquet: `title` and `text` as binary columns (no UTF-8 annotation), the second
  row's title invalid UTF-8; uncompressed.
"""

import argparse
import datetime as dt
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq

CC_NEWS = [
    {
        "title": "Harbour reopens after storm",
        "text": "The harbour at Port Allan reopened on Monday after a week of repairs.\n\n"
        "Fishing boats left before dawn, the harbour master said.",
        "domain": "coastherald.example",
        "date": "2017-12-01 19:39:40",
        "description": "Repairs finished a day early.",
        "url": "https://coastherald.example/harbour-reopens",
        "image_url": "https://coastherald.example/img/harbour.jpg",
    },
    {
        "title": "Council approves new library",
        "text": "The town council voted 7-2 on Tuesday to build a library on Mill Street.\n\n"
        "Work is to start in the spring.",
        "domain": "millvale-news.example",
        "date": "2017-12-02 08:05:00",
        "description": None,
        "url": "https://millvale-news.example/library",
        "image_url": None,
    },
    {
        "title": "Headline only: bridge closed",
        "text": None,
        "domain": "coastherald.example",
        "date": "2017-12-03",
        "description": None,
        "url": "https://coastherald.example/bridge",
        "image_url": None,
    },
    {
        "title": "",
        "text": "",
        "domain": "coastherald.example",
        "date": None,
        "description": None,
        "url": "https://coastherald.example/empty",
        "image_url": None,
    },
]

CC_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ["title", "text", "domain", "date", "description", "url", "image_url"]]
)


def cc_news(path, rows, compression):
    table = pa.Table.from_pylist(rows, schema=CC_SCHEMA)
    pq.write_table(table, path, compression=compression)


def nested(path):
    source = pa.struct([("id", pa.string()), ("name", pa.string())])
    part = pa.struct([("name", pa.string())])
    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("source", source),
            ("authors", pa.list_(pa.string())),
            ("byline_parts", pa.list_(part)),
            ("title", pa.string()),
            ("content", pa.string()),
            ("published_at", pa.timestamp("us", tz="UTC")),
        ]
    )
    utc = dt.timezone.utc
    rows = [
        {
            "id": 101,
            "source": {"id": "dv", "name": "Daily Valley"},
            "authors": ["Ann Lee", "Bo Wu"],
            "byline_parts": [{"name": "Ann Lee"}],
            "title": "Dam inspection finds cracks",
            "content": "Inspectors found two cracks in the Upper Dam on Friday.\n\nThe road over it is closed.",
            "published_at": dt.datetime(2021, 5, 7, 14, 30, 0, tzinfo=utc),
        },
        {
            "id": 102,
            "source": {"id": "dv", "name": "Daily Valley"},
            "authors": [],
            "byline_parts": [],
            "title": "Dam road reopens",
            "content": "The road over the Upper Dam reopened on Monday after repairs.",
            "published_at": dt.datetime(2021, 5, 10, 9, 0, 0, tzinfo=utc),
        },
        {
            "id": 103,
            "source": None,
            "authors": None,
            "byline_parts": None,
            "title": "Valley fair opens",
            "content": "The valley fair opened with a parade.",
            "published_at": None,
        },
    ]
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, path, compression="gzip", data_page_version="2.0", row_group_size=2)


def dates(path):
    schema = pa.schema(
        [
            ("headline", pa.string()),
            ("body", pa.string()),
            ("pubdate", pa.date32()),
            ("seen", pa.timestamp("ms")),
        ]
    )
    rows = [
        {
            "headline": "Ferry timetable changes",
            "body": "The winter ferry timetable starts on Sunday.",
            "pubdate": dt.date(2019, 11, 3),
            "seen": dt.datetime(2019, 11, 3, 6, 15, 0),
        }
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, compression="lz4")


def simple(path, columns, compression="snappy"):
    pq.write_table(pa.table(columns), path, compression=compression)


def fixtures(out):
    os.makedirs(out, exist_ok=True)
    cc_news(os.path.join(out, "cc_news.parquet"), CC_NEWS, "snappy")
    nested(os.path.join(out, "nested.parquet"))
    dates(os.path.join(out, "dates.parquet"))
    simple(
        os.path.join(out, "title_only.parquet"),
        {"title": ["Storm warning for the coast"], "url": ["https://coastherald.example/storm"]},
    )
    simple(os.path.join(out, "no_fields.parquet"), {"a": [1, 2], "b": ["x", "y"]})
    cc_news(os.path.join(out, "zstd.parquet"), CC_NEWS[:2], "zstd")
    cc_news(os.path.join(out, "brotli.parquet"), CC_NEWS[:1], "brotli")
    pq.write_table(
        pa.table(
            {
                "title": pa.array([b"Tide tables", b"Bad \xff byte"], pa.binary()),
                "text": pa.array([b"High tide is at noon.", b"Low tide is at six."], pa.binary()),
            }
        ),
        os.path.join(out, "binary.parquet"),
        compression="none",
    )


def from_jsonl(src, dst, compression, limit=None):
    """A corpus of JSON lines (stet-gen's) as a cc_news-shaped Parquet file, streamed in row
    groups of 10,000 records."""

    writer = pq.ParquetWriter(dst, CC_SCHEMA, compression=compression)
    batch = []

    def flush():
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=CC_SCHEMA))
            batch.clear()

    with open(src, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            r = json.loads(line)
            batch.append(
                {
                    "title": r.get("title"),
                    "text": r.get("text") or r.get("maintext") or r.get("body"),
                    "domain": r.get("source") or r.get("source_domain"),
                    "date": r.get("date") or r.get("date_publish"),
                    "description": r.get("description"),
                    "url": r.get("url"),
                    "image_url": None,
                }
            )
            if len(batch) == 10_000:
                flush()
    flush()
    writer.close()



def main():
    p = argparse.ArgumentParser()
    p.add_argument("out", nargs="?", default=None)
    p.add_argument("--from-jsonl", nargs=2, metavar=("IN", "OUT"))
    p.add_argument("--compression", default="snappy")
    p.add_argument("--rows", type=int, default=None, help="only the first N records")
    a = p.parse_args()
    if a.from_jsonl:
        from_jsonl(a.from_jsonl[0], a.from_jsonl[1], a.compression, a.rows)
        return
    here = os.path.dirname(os.path.abspath(__file__))
    fixtures(a.out or os.path.join(here, "..", "tests", "fixtures", "parquet"))


if __name__ == "__main__":
    sys.exit(main())
