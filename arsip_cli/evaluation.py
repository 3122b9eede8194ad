"""Retrieval evaluation on judged data (corpus.jsonl, queries.jsonl, qrels.tsv), through the real code.

The corpus is indexed by the real indexer into an index named after a hash of what determines its
contents (corpus, distractors, model, passage length, mapping version), so reruns reuse it. Every query goes
through ``SearchService.search`` — the function the API uses — with the search page's defaults (the same
parser, word matching and relevance floor; ``--setting qa`` for the QA setting), and documents are ranked
by their best passage. Metrics: nDCG@k, Recall@k, Recall@100, MRR@k, with mean latency per mode.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from arsip.index_admin import MAPPING_VERSION, alias_targets
from arsip.settings import Settings


@dataclass(frozen=True)
class Dataset:
    name: str
    corpus: Path
    queries: list[tuple[str, str]]
    qrels: dict[str, dict[str, int]]
    fold: tuple[int, int] | None = None  # (K, N): only fold K of N of the judged questions


def question_folds(qrels: dict[str, dict[str, int]], folds: int) -> dict[str, int]:
    """Each judged question's fold (1..``folds``), grouped by gold passage.

    Questions that share a gold passage, directly or through other questions, fall in the same fold, so
    a model trained on the other folds has never had a held-out question's gold passage as a positive.
    The fold is a hash of the group's smallest passage id: the same in every run and every script (the
    training script skips exactly the fold that ``arsip eval --fold`` measures)."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for judged in qrels.values():
        gold = sorted(doc_id for doc_id, relevance in judged.items() if relevance > 0)
        for doc_id in gold[1:]:
            a, b = root(gold[0]), root(doc_id)
            parent[max(a, b)] = min(a, b)  # the smaller id stays the root: the group's smallest passage
    result = {}
    for qid, judged in qrels.items():
        gold = [doc_id for doc_id, relevance in judged.items() if relevance > 0]
        key = root(min(gold)) if gold else qid
        result[qid] = zlib.crc32(key.encode("utf-8")) % folds + 1
    return result


def parse_fold(text: str) -> tuple[int, int]:
    """Read "K/N" as (K, N), with 1 ≤ K ≤ N and N ≥ 2; a ValueError that says what is wrong otherwise."""
    k, slash, n = text.partition("/")
    if not slash or not k.strip().isdigit() or not n.strip().isdigit():
        raise ValueError(f"fold must be K/N, e.g. 1/5, not {text!r}")
    fold = (int(k), int(n))
    if fold[1] < 2 or not 1 <= fold[0] <= fold[1]:
        raise ValueError(f"fold K/N needs N ≥ 2 and 1 ≤ K ≤ N, not {text!r}")
    return fold


def load_dataset(directory: Path, limit: int | None = None, fold: tuple[int, int] | None = None) -> Dataset:
    """Read the corpus/queries/qrels layout; keep only queries that have judgments (and, given a fold
    (K, N), only the questions of fold K: see ``question_folds``)."""
    qrels: dict[str, dict[str, int]] = {}
    for line in (directory / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[2].strip().lstrip("-").isdigit():
            continue  # header or malformed line
        qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    queries = []
    with open(directory / "queries.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["id"] in qrels:
                queries.append((record["id"], record["text"]))
    if fold:
        folds = question_folds(qrels, fold[1])
        queries = [(qid, text) for qid, text in queries if folds[qid] == fold[0]]
    if limit:
        queries = queries[:limit]
    return Dataset(directory.name, directory / "corpus.jsonl", queries, qrels, fold)


# ----------------------------------------------------------------------------- metrics
def dcg(gains: Sequence[float]) -> float:
    return sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))


def ndcg_at_k(ranked: Sequence[str], relevant: dict[str, int], k: int) -> float:
    """Graded nDCG with linear gains; 0 when nothing is relevant."""
    ideal = dcg(sorted((g for g in relevant.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg([relevant.get(doc, 0) for doc in ranked[:k]]) / ideal


def recall_at_k(ranked: Sequence[str], relevant: dict[str, int], k: int) -> float:
    wanted = {doc for doc, g in relevant.items() if g > 0}
    if not wanted:
        return 0.0
    return len(wanted & set(ranked[:k])) / len(wanted)


def mrr_at_k(ranked: Sequence[str], relevant: dict[str, int], k: int) -> float:
    for rank, doc in enumerate(ranked[:k], start=1):
        if relevant.get(doc, 0) > 0:
            return 1.0 / rank
    return 0.0


# ----------------------------------------------------------------------------- the run
def index_key(settings: Settings, dataset: Dataset, distractors: Path | None, fingerprint: str) -> str:
    digest = hashlib.sha256()
    for path in filter(None, (dataset.corpus, distractors)):
        digest.update(str(path.stat().st_size).encode())
        with open(path, "rb") as fh:
            digest.update(hashlib.sha256(fh.read()).digest())
    digest.update(
        f"{fingerprint}|{settings.max_passage_tokens}|{MAPPING_VERSION}|{settings.stopwords}|{settings.stemming}".encode()
    )
    return digest.hexdigest()[:12]


def ensure_eval_index(
    settings: Settings, dataset: Dataset, distractors: Path | None, es, embedder, show_progress: bool = True
) -> Settings:
    """Index the corpus (and distractors) once; later runs with the same inputs reuse the index."""
    from indexer.orchestration import Indexer

    identity = embedder.identity
    encoder = getattr(identity, "encoder", "torch")  # each encoder variant embeds its own eval index
    fingerprint = identity.fingerprint
    if encoder != "torch":  # a rebuilt variant (e.g. another graph) embeds its own eval index too
        from arsip.model.files import build_id

        fingerprint = f"{identity.fingerprint}+{encoder}+{build_id(Path(settings.model_path), encoder)}"
    key = index_key(settings, dataset, distractors, fingerprint)
    suffix = "-distractors" if distractors else ""
    eval_settings = replace(settings, index=f"arsip-eval-{dataset.name}{suffix}-{key}".lower())
    targets = alias_targets(es, eval_settings.index)
    if targets:
        meta = es.indices.get_mapping(index=targets[0])[targets[0]]["mappings"].get("_meta", {})
        if meta.get("eval_complete"):
            return eval_settings
    paths = [str(dataset.corpus)] + ([str(distractors)] if distractors else [])
    summary = Indexer(eval_settings, es=es, embedder=embedder, show_progress=show_progress).index_paths(paths)
    if summary.fatal or summary.interrupted:
        raise RuntimeError(f"indexing the evaluation corpus failed: {summary.fatal or 'interrupted'}")
    target = alias_targets(es, eval_settings.index)[0]
    meta = es.indices.get_mapping(index=target)[target]["mappings"].get("_meta", {})
    es.indices.put_mapping(index=target, meta={**meta, "eval_complete": True})
    return eval_settings


def evaluate(
    settings: Settings,
    dataset: Dataset,
    modes: Sequence[str],
    k: int = 10,
    distractors: Path | None = None,
    ranking=None,
    es=None,
    embedder=None,
    show_progress: bool = True,
    distractor_index: str | None = None,
    related: str = "close",
) -> dict:
    """Run every judged query in every mode; return metrics per mode.

    ``distractors`` indexes an unjudged JSONL corpus together with the judged one (slow: it is embedded);
    ``distractor_index`` instead searches an already indexed alias alongside the judged index, with
    ``dfs_query_then_fetch`` so that BM25 statistics are those of the union.
    """
    from tqdm import tqdm

    from arsip.es_client import make_client
    from arsip.model.loader import load_encoder
    from searchapp.ranking import RankingConfig
    from searchapp.search_request import SearchRequest
    from searchapp.service import SearchService

    es = es or make_client(settings, request_timeout=120)
    embedder = embedder or load_encoder(settings)
    eval_settings = ensure_eval_index(settings, dataset, distractors, es, embedder, show_progress)
    ranking = ranking or RankingConfig()
    search_index = eval_settings.index
    if distractor_index:
        search_index = f"{search_index},{distractor_index}"
        ranking = replace(ranking, dfs=True)
    search_settings = replace(eval_settings, index=search_index, search_timeout=60)
    service = SearchService(search_settings, es=es, embedder=embedder, ranking=ranking)
    depth = max(100, k)
    results: dict[str, dict] = {}
    for mode in modes:
        sums = {"ndcg": 0.0, "recall": 0.0, "recall_100": 0.0, "mrr": 0.0, "latency_ms": 0.0}
        related_documents: list[int] = []
        for qid, text in tqdm(dataset.queries, desc=f"{dataset.name} {mode}", disable=not show_progress):
            started = time.perf_counter()
            response = service.search(
                SearchRequest(
                    q=text[:1000],
                    mode=mode,
                    size=depth,
                    group="document",
                    highlight=False,
                    facets=False,
                    dedupe=False,  # judgments are per document: near-duplicates are not folded
                    related=related,
                )
            )
            related_documents.append(response["totals"]["related_documents"] or 0)
            sums["latency_ms"] += (time.perf_counter() - started) * 1000
            ranked = [hit["doc_id"] for hit in response["results"]]
            relevant = dataset.qrels[qid]
            sums["ndcg"] += ndcg_at_k(ranked, relevant, k)
            sums["recall"] += recall_at_k(ranked, relevant, k)
            sums["recall_100"] += recall_at_k(ranked, relevant, 100)
            sums["mrr"] += mrr_at_k(ranked, relevant, k)
        n = max(1, len(dataset.queries))
        results[mode] = {
            f"ndcg@{k}": round(sums["ndcg"] / n, 4),
            f"recall@{k}": round(sums["recall"] / n, 4),
            "recall@100": round(sums["recall_100"] / n, 4),
            f"mrr@{k}": round(sums["mrr"] / n, 4),
            "mean_latency_ms": round(sums["latency_ms"] / n, 1),
            "median_related_docs": sorted(related_documents)[len(related_documents) // 2]
            if related_documents
            else 0,
        }
    return {
        "dataset": dataset.name,
        "queries": len(dataset.queries),
        "fold": "/".join(map(str, dataset.fold)) if dataset.fold else None,
        "distractors": str(distractors or distractor_index or ""),
        "index": search_index,
        "k": k,
        "modes": results,
    }


def render_table(report: dict) -> str:
    modes = report["modes"]
    columns = list(next(iter(modes.values())).keys()) if modes else []
    lines = [
        f"{report['dataset']} · {report['queries']} queries"
        + (f" (fold {report['fold']})" if report.get("fold") else "")
        + (f" · distractors {report['distractors']}" if report["distractors"] else ""),
        "| mode | " + " | ".join(columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for mode, figures in modes.items():
        lines.append(f"| {mode} | " + " | ".join(str(figures[c]) for c in columns) + " |")
    return "\n".join(lines)
