"""How much the app's memory grows while it streams a 10,000-row export (goal: < 50 MB).

Writes 12,000 real news paragraphs (../shared/eval/news_clickid) into a throw-away index with the
product's mapping (keyword fields only: the export reads ids, scores and text, never vectors), then
streams `/api/export` through the real Flask app and samples the process RSS every 5 ms.

    python scripts/measure_export_memory.py [--passages 12000] [--format csv]

Needs the local node (`arsip es start`); deletes its index afterwards.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import threading
import time
import uuid
from dataclasses import replace

import psutil
from elasticsearch import helpers

from arsip.es_client import make_client
from arsip.index_admin import create_physical_index
from arsip.model.identity import ModelIdentity
from arsip.settings import REPO_ROOT, Settings
from searchapp.app import create_app
from searchapp.service import SearchService

NEWS = REPO_ROOT.parent / "shared" / "eval" / "news_clickid"


def paragraphs(limit: int):
    count = 0
    for path in sorted(NEWS.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                for position, text in enumerate(p for p in record.get("text", "").split("\n") if len(p) > 80):
                    yield {
                        "passage_id": f"{record['id']}:{position}",
                        "doc_id": str(record["id"]),
                        "position": position,
                        "text": text,
                        "title": record.get("title") or "",
                        "source": record.get("source") or "news",
                        "collection": "ukur",
                    }
                    count += 1
                    if count >= limit:
                        return


class PeakRSS:
    """The process's resident memory before a block and its peak during it (sampled every 5 ms)."""

    def __enter__(self) -> PeakRSS:
        self.process = psutil.Process()
        self.baseline = self.peak = self.process.memory_info().rss
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=12_000)
    parser.add_argument("--format", default="csv", choices=["csv", "jsonl"])
    args = parser.parse_args()
    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    alias = f"arsip-measure-export-{uuid.uuid4().hex[:6]}"
    index = create_physical_index(es, alias, ModelIdentity("measure", 384, "none"))
    es.indices.put_alias(index=index, name=alias)
    try:
        actions = ({"_index": index, "_id": p["passage_id"], "_source": p} for p in paragraphs(args.passages))
        written, _ = helpers.bulk(es, actions, chunk_size=1000, refresh="wait_for")
        print(f"indexed {written:,} passages into {alias}")
        service = SearchService(replace(settings, index=alias), es=es)
        client = create_app(replace(service.settings, rate_limit=0), service=service).test_client()
        for query in ("collection:ukur", "pemerintah OR indonesia OR jakarta"):
            url = f"/api/export?format={args.format}&mode=keyword&q={query}"
            client.get(f"/api/export?format={args.format}&q=zzqqxx").close()  # warm: imports, pools
            gc.collect()
            with PeakRSS() as rss:
                started = time.perf_counter()
                response = client.get(url, buffered=False)
                size = sum(len(chunk) for chunk in response.iter_encoded())
                response.close()
                seconds = time.perf_counter() - started
            headers = response.headers
            print(
                f"{query!r}: rows {headers['X-Arsip-Rows']} of {headers['X-Arsip-Passages']} passages "
                f"(capped: {headers['X-Arsip-Capped']}), {size / 1e6:.1f} MB streamed in {seconds:.1f} s; "
                f"RSS before {rss.baseline / 2**20:.0f} MiB, peak {rss.peak / 2**20:.0f} MiB, "
                f"growth {(rss.peak - rss.baseline) / 2**20:.1f} MiB"
            )
    finally:
        es.indices.delete(index=index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
