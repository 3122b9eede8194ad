#!/usr/bin/env python
"""Indexing benchmark: the model's raw encode rate vs the end-to-end indexing rate, on one slice.

(a) raw: the exact passages the indexer produces for the slice (read → clean → split), embedded with the
    configured model in the pipeline's batch size — nothing else;
(b) end to end: the same slice indexed into a fresh index on the real node, from reading the file to a
    refreshed index.
(c) text steps: encoding repair + cleaning of the slice's documents, timed on their own, and their share
    of the end-to-end time (goal < 5 %).
(d) entities: the slice's passages tagged on their own (arsip.entities, one thread), per passage and as
    a share of the end-to-end time per passage (goal ≤ 15 %; docs/entities.md). (b) includes the tagging
    unless ARSIP_ENTITIES=0.
Prints the rates, their ratio (goal ≥ 0.9), the text steps' and the entities' shares and the peak RSS.

    python scripts/bench_index.py --limit 2000 [--corpus ../shared/eval/news_clickid/corpus.jsonl]
    python scripts/bench_index.py --text-only --limit 0    # (c) alone on the whole corpus: no model, no node
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from arsip.entities.tagger import EntityTagger
from arsip.es_client import make_client
from arsip.model.encoder import Encoder
from arsip.model.loader import load_encoder
from arsip.settings import REPO_ROOT, Settings
from indexer.cleaning import clean_text
from indexer.documents import SourceDocument
from indexer.mojibake import repair_document
from indexer.orchestration import Indexer
from indexer.readers import ReadError, read_file
from indexer.splitting import split_passages

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "eval" / "news_clickid" / "corpus.jsonl"


def write_slice(corpus: Path, limit: int, target: Path) -> None:
    """The first ``limit`` lines of the corpus (all of them for 0)."""
    with open(corpus, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        for number, line in enumerate(src):
            if limit and number >= limit:
                break
            dst.write(line)


def text_steps(path: Path) -> tuple[list[SourceDocument], dict]:
    """The slice's documents repaired and cleaned as the pipeline does, with the two steps' timings."""
    docs = [doc for doc in read_file(path) if not isinstance(doc, ReadError)]
    chars = sum(len(doc.text) + len(doc.title) for doc in docs)
    t0 = time.perf_counter()
    repaired = sum(bool(repair_document(doc)) for doc in docs)
    repair_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        doc.text = clean_text(doc.text)
    clean_s = time.perf_counter() - t0
    n = max(1, len(docs))
    return docs, {
        "documents": len(docs),
        "chars": chars,
        "repaired_documents": repaired,
        "repair_s": round(repair_s, 2),
        "clean_s": round(clean_s, 2),
        "text_steps_ms_per_doc": round(1000 * (repair_s + clean_s) / n, 3),
        "text_steps_s": repair_s + clean_s,
    }


def passages_of(docs: list[SourceDocument], embedder: Encoder, max_tokens: int) -> list[str]:
    texts: list[str] = []
    for doc in docs:
        texts += [
            p.text for p in split_passages(doc.doc_id, doc.text, embedder.count_tokens, max_tokens=max_tokens)
        ]
    return texts


def show(figures: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--limit", type=int, default=2000, help="articles from the start of the corpus (0: all)"
    )
    parser.add_argument("--batch", type=int, default=256, help="passages per model call (pipeline default)")
    parser.add_argument("--text-only", action="store_true", help="only (c): repair + cleaning timings")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if args.text_only:
        with tempfile.TemporaryDirectory() as tmp:
            slice_path = Path(tmp) / "slice.jsonl"
            write_slice(args.corpus, args.limit, slice_path)
            _, text = text_steps(slice_path)
        text["text_steps_s"] = round(text["text_steps_s"], 2)
        text["mb_per_s"] = round(text["chars"] / 1e6 / max(1e-9, text["text_steps_s"]), 1)
        show(text, args.json)
        return 0

    settings = Settings.from_env()
    embedder = load_encoder(settings)
    es = make_client(settings, request_timeout=120)
    with tempfile.TemporaryDirectory() as tmp:
        slice_path = Path(tmp) / "slice.jsonl"
        write_slice(args.corpus, args.limit, slice_path)

        t0 = time.perf_counter()
        docs, text = text_steps(slice_path)
        texts = passages_of(docs, embedder, settings.max_passage_tokens)
        prep_s = time.perf_counter() - t0
        tokens = sum(embedder.count_tokens(t) for t in texts)
        embedder.encode_passages(texts[:32])  # warm-up
        t0 = time.perf_counter()
        for start in range(0, len(texts), args.batch):
            embedder.encode_passages(texts[start : start + args.batch])
        raw_s = time.perf_counter() - t0
        raw_rate = len(texts) / raw_s
        tagger = EntityTagger()
        t0 = time.perf_counter()
        mentions = sum(len(tagger.mentions(t)) for t in texts)
        entities_s = time.perf_counter() - t0

        bench_settings = replace(settings, index=f"arsip-bench-{int(time.time())}")
        indexer = Indexer(
            bench_settings, es=es, embedder=embedder, show_progress=False, encode_batch=args.batch
        )
        t0 = time.perf_counter()
        summary = indexer.index_paths([str(slice_path)])
        e2e_s = time.perf_counter() - t0
        count = es.count(index=bench_settings.index)["count"]
        for name in es.indices.get_alias(name=bench_settings.index):
            es.indices.delete(index=name)

    e2e_rate = summary.passages_written / e2e_s
    figures = {
        "articles": args.limit,
        "passages": len(texts),
        "mean_tokens_per_passage": round(tokens / max(1, len(texts)), 1),
        "prepare_s": round(prep_s, 1),
        "raw_encode_s": round(raw_s, 1),
        "raw_passages_per_s": round(raw_rate, 1),
        "end_to_end_s": round(e2e_s, 1),
        "end_to_end_passages_per_s": round(e2e_rate, 1),
        "ratio_e2e_over_raw": round(e2e_rate / raw_rate, 3),
        "repair_s": text["repair_s"],
        "clean_s": text["clean_s"],
        "text_steps_ms_per_doc": text["text_steps_ms_per_doc"],
        "text_steps_share_of_e2e": f"{100 * text['text_steps_s'] / e2e_s:.2f} %",
        "entities_tagging_s": round(entities_s, 2),
        "entities_ms_per_passage": round(1000 * entities_s / max(1, len(texts)), 2),
        "entities_per_passage": round(mentions / max(1, len(texts)), 2),
        # what tagging adds to a run without it, counted as if it overlapped nothing (an upper bound)
        "entities_added_to_e2e": f"{100 * entities_s / (e2e_s - entities_s * settings.entities):.2f} %",
        "entities_in_e2e": settings.entities,
        "indexed_passages": count,
        "failed_documents": summary.failed,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpus": os.cpu_count(),
    }
    show(figures, args.json)
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
