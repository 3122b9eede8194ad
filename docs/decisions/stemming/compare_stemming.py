#!/usr/bin/env python
"""Does Indonesian stemming help the ranking? PySastrawi at index time, measured on the judged dev sets.

The node has no ``indonesian`` stemmer (docs/evaluation.md), so the candidate is a stemmed copy of the
text made in Python: every passage of the evaluation index (and of ``--distractor-index``) is copied
into a keyword-only experiment index holding ``text``/``title`` as arsip indexes them plus
``text_stem``/``title_stem``, stemmed by PySastrawi. The three keyword variants run on that same copy,
so BM25 statistics are equal between them:

- ``plain``: the product's BM25 query on ``text``/``title`` (the baseline);
- ``stemmed``: the same query, stemmed, on the stemmed fields;
- ``plain + stemmed``: both, scores added (a stem match counts, an exact form counts twice).

Each list is also fused with the product's own kNN list (``searchapp.search.retrieve``, default fusion
0.3/0.7), and documents are ranked by their best passage as in ``arsip eval``. Prints nDCG@10 and
Recall@100 per variant, Elasticsearch's own ``took`` for each keyword request (the cost of the extra
clause) and the stemming throughput.

    python docs/decisions/stemming/compare_stemming.py ../shared/eval/facqa ../shared/eval/tydiqa_id \
        [--distractor-index arsip-news] [--limit 500]
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from elasticsearch import Elasticsearch, helpers
from tqdm import tqdm

from arsip.es_client import make_client
from arsip.index_admin import alias_targets, load_index_body
from arsip.model.loader import load_encoder
from arsip.settings import Settings
from arsip.stemming import STEM_FIELDS, stem
from arsip_cli.evaluation import ensure_eval_index, load_dataset, ndcg_at_k, recall_at_k
from searchapp.fusion import fusion_window, weighted_score_fusion
from searchapp.query_builder import DEFAULT_FIELDS, build_keyword_query
from searchapp.query_parser import parse_query
from searchapp.ranking import PASSAGES_PER_DOCUMENT, QUESTION_RANKING, Hit, group_by_document
from searchapp.search.plan import keyword_query, plan_search
from searchapp.search.retrieve import retrieve
from searchapp.search_request import SearchRequest
from searchapp.service import SearchService

DEPTH = 100  # documents ranked per query, as in `arsip eval`
K = 10
STEM_BOOSTS = {STEM_FIELDS[field]: boost for field, boost in DEFAULT_FIELDS.items()}  # the product's boosts
EXPERIMENT_PREFIX = "arsip-exp-stem-"


def stemmed_copy(es: Elasticsearch, alias: str, identity) -> tuple[str, float]:
    """A keyword-only copy of ``alias`` with stemmed fields; reused when complete. Returns (name, words/s)."""
    source = alias_targets(es, alias)[0]
    name = EXPERIMENT_PREFIX + source
    if es.indices.exists(index=name):
        meta = es.indices.get_mapping(index=name)[name]["mappings"].get("_meta", {})
        if meta.get("complete"):
            return name, float(meta.get("words_per_s", 0.0))
        es.indices.delete(index=name)
    body = load_index_body(identity)  # mapping 3: the stemmed fields are declared there
    body["settings"]["refresh_interval"] = "-1"
    es.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    total = es.count(index=source)["count"]
    words, stem_seconds = 0, 0.0

    def actions():
        nonlocal words, stem_seconds
        fields = ["passage_id", "doc_id", "text", "title"]
        for hit in tqdm(
            helpers.scan(es, index=source, _source=fields), total=total, desc=f"stemming {source}"
        ):
            doc = hit["_source"]
            started = time.perf_counter()
            for field, stem_field in STEM_FIELDS.items():
                value = doc.get(field) or ""
                words += len(value.split())
                doc[stem_field] = stem(value)
            stem_seconds += time.perf_counter() - started
            yield {"_index": name, "_id": hit["_id"], "_source": doc}

    for ok, item in helpers.streaming_bulk(es, actions(), chunk_size=1000, raise_on_error=False):
        if not ok:
            raise RuntimeError(f"copying into {name} failed: {item}")
    rate = words / stem_seconds if stem_seconds else 0.0
    es.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
    es.indices.refresh(index=name)
    es.indices.put_mapping(index=name, meta={"complete": True, "words_per_s": round(rate)})
    return name, rate


def keyword_queries(service: SearchService, text: str) -> dict[str, dict]:
    """The product's BM25 query, its stemmed twin on the stemmed fields, and both.

    The stemmer drops punctuation, so quotes and operators do not survive in the stemmed twin; the judged
    queries are plain questions.
    """
    plain = parse_query(text)
    plain_query = keyword_query(plain, plain.filters, service.ranking, service.settings)
    stem_query = build_keyword_query(
        parse_query(stem(text)),
        fields=STEM_BOOSTS,
        minimum_should_match=service.ranking.minimum_should_match,
    )
    both = {"bool": {"should": [plain_query, stem_query], "minimum_should_match": 1}}
    return {"plain": plain_query, "stemmed": stem_query, "plain + stemmed": both}


def compare(settings, es, embedder, directory: Path, limit, distractor_index) -> None:
    dataset = load_dataset(directory, limit=limit)
    eval_settings = ensure_eval_index(settings, dataset, None, es, embedder)
    copies = [stemmed_copy(es, eval_settings.index, embedder.identity)]
    if distractor_index:
        copies.append(stemmed_copy(es, distractor_index, embedder.identity))
    experiment_index = ",".join(name for name, _ in copies)
    semantic_index = eval_settings.index + (f",{distractor_index}" if distractor_index else "")
    service = SearchService(  # its keyword query without the stemmed clause: the plain baseline
        replace(eval_settings, index=semantic_index, search_timeout=60),
        es=es,
        embedder=embedder,
        ranking=replace(QUESTION_RANKING, stemming=False),
    )
    ranking = service.ranking
    window = fusion_window(1, DEPTH * PASSAGES_PER_DOCUMENT)
    search_type = "dfs_query_then_fetch" if distractor_index else "query_then_fetch"
    sums: dict[tuple[str, str], list[float]] = {}
    took: dict[str, list[int]] = {}
    for qid, text in tqdm(dataset.queries, desc=dataset.name):
        parsed = parse_query(text[:1000])
        request = SearchRequest(q=parsed.raw, mode="semantic", facets=False)
        plan = plan_search(request, service.ranking, service.settings, service.model)
        semantic_hits = retrieve(plan, service.engine, window).semantic_hits
        semantic = [(h.passage_id, float(h.semantic or 0.0)) for h in semantic_hits]
        relevant = dataset.qrels[qid]
        for variant, query in keyword_queries(service, text[:1000]).items():
            response = es.search(
                index=experiment_index,
                query=query,
                size=window,
                source=["doc_id"],
                search_type=search_type,
            )
            took.setdefault(variant, []).append(response["took"])
            hits = response["hits"]["hits"]
            doc_of = {h.passage_id: h.doc_id for h in semantic_hits}
            doc_of.update({h["_id"]: h["_source"]["doc_id"] for h in hits})
            keyword = [(h["_id"], float(h["_score"] or 0.0)) for h in hits]
            fused = weighted_score_fusion(
                [keyword, semantic], weights=(ranking.keyword_weight, ranking.semantic_weight)
            )
            for mode, ranked in (("keyword", keyword), ("hybrid", fused)):
                docs = [doc for doc, _, _ in group_by_document([(Hit(p, doc_of[p]), s) for p, s in ranked])]
                row = sums.setdefault((variant, mode), [0.0, 0.0])
                row[0] += ndcg_at_k(docs[:DEPTH], relevant, K)
                row[1] += recall_at_k(docs[:DEPTH], relevant, 100)
    n = max(1, len(dataset.queries))
    print(
        f"\n{dataset.name} · {len(dataset.queries)} queries"
        + (f" · distractors: {distractor_index}" if distractor_index else "")
        + " · stemming "
        + ", ".join(f"{name}: {rate:,.0f} words/s" for name, rate in copies)
    )
    print("| variant | keyword nDCG@10 | keyword R@100 | hybrid nDCG@10 | hybrid R@100 | took p50 / p95 ms |")
    print("|---|---|---|---|---|---|")
    for variant in ("plain", "stemmed", "plain + stemmed"):
        kw, hy = sums[(variant, "keyword")], sums[(variant, "hybrid")]
        times = sorted(took[variant])
        p50, p95 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"| {variant} | {kw[0] / n:.4f} | {kw[1] / n:.4f} | {hy[0] / n:.4f} | {hy[1] / n:.4f} "
            f"| {p50} / {p95} |"
        )
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--distractor-index")
    args = parser.parse_args()
    settings = Settings.from_env()
    es = make_client(settings, request_timeout=120)
    embedder = load_encoder(settings)
    for directory in args.datasets:
        compare(settings, es, embedder, Path(directory), args.limit, args.distractor_index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
