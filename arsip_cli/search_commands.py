"""The commands that search through the search app: ``arsip search``, ``arsip eval``, ``arsip serve``."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from arsip.settings import Settings
from arsip_cli.output import fail, print_json
from searchapp.ranking import NORMALIZATIONS, QUESTION_RANKING, RankingConfig
from searchapp.relatedness import FLOORS


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from searchapp.errors import SearchError
    from searchapp.search_request import SearchRequest
    from searchapp.service import SearchService

    service = SearchService(settings)
    try:
        request = SearchRequest.from_args(
            {"q": args.query, "mode": args.mode, "size": str(args.size), "group": "passage"}
        )
        result = service.search(request)
    except SearchError as exc:
        return fail(exc.message, 1)
    if args.json:
        print_json(result)
        return 0
    totals = result["totals"]
    print(
        f"{totals['passages']} passages in {totals['documents']} documents"
        + (
            f" ({totals['all_words_documents']} with all words, {totals['some_words_documents']} some "
            f"of them, {totals['related_documents']} more related by meaning)"
            if result["mode"] == "hybrid"
            else ""
        )
        + f" · {result['mode']} · {result['took_ms']} ms"
    )
    for warning in result["warnings"]:
        print(f"warning: {warning['text']}: {warning['message']['en']}", file=sys.stderr)
    for rank, hit in enumerate(result["results"], start=1):
        passage = hit["passages"][0]
        title = hit.get("title") or hit["doc_id"]
        page = (
            f", p. {passage['page']}{' (OCR)' if passage.get('page_ocr') else ''}"
            if passage.get("page")
            else ""
        )
        print(
            f"\n{rank:>2}. [{hit['score']:.4f}] {title}  "
            f"({hit.get('source') or '-'}, {hit.get('date') or '-'}{page})"
        )
        print(f"    {passage['text'][:300]}")
        if hit.get("missing"):
            print(f"    missing: {', '.join(hit['missing'])}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from arsip_cli.evaluation import evaluate, load_dataset, render_table

    dataset = load_dataset(Path(args.dataset), limit=args.limit, fold=args.fold)
    # The search page's default (every word, or in hybrid most of them, and the relevance floor), changed
    # only where an option says so; --setting qa measures the QA setting (any question word may match).
    ranking = QUESTION_RANKING if args.setting == "qa" else RankingConfig()
    if args.fusion:
        ranking = replace(ranking, fusion=args.fusion)
    if args.rrf_k:
        ranking = replace(ranking, rrf_k=args.rrf_k)
    if args.normalization:
        ranking = replace(ranking, normalization=args.normalization)
    if args.weights:
        keyword_weight, semantic_weight = (float(x) for x in args.weights.split(","))
        ranking = replace(ranking, keyword_weight=keyword_weight, semantic_weight=semantic_weight)
    if args.minimum_should_match:  # "all" = every term required (AND)
        msm = None if args.minimum_should_match == "all" else args.minimum_should_match
        ranking = replace(ranking, minimum_should_match=msm)
    report = evaluate(
        settings,
        dataset,
        [m.strip() for m in args.modes.split(",")],
        k=args.k,
        distractors=Path(args.distractors) if args.distractors else None,
        distractor_index=args.distractor_index,
        ranking=ranking,
        show_progress=not args.json,
        related=args.related,
    )
    report["ranking"] = {k: v for k, v in asdict(ranking).items() if k != "fields"}
    print(json.dumps(report, indent=2) if args.json else render_table(report))
    return 0


def fold_argument(text: str) -> tuple[int, int]:
    """argparse's type for ``--fold K/N``: a usage error that says what is wrong."""
    from arsip_cli.evaluation import parse_fold

    try:
        return parse_fold(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from searchapp.server import serve

    serve(settings, host=args.host, port=args.port, threads=args.threads)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    search = sub.add_parser("search", help="search from the command line")
    search.add_argument("query")
    search.add_argument("--mode", default="hybrid", choices=["hybrid", "keyword", "semantic"])
    search.add_argument("--size", type=int, default=10)
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    ev = sub.add_parser("eval", help="retrieval quality on a judged dataset (corpus/queries/qrels)")
    ev.add_argument("dataset", help="folder with corpus.jsonl, queries.jsonl, qrels.tsv")
    ev.add_argument("--modes", default="keyword,semantic,hybrid")
    ev.add_argument("--k", type=int, default=10)
    ev.add_argument("--distractors", help="an unjudged JSONL corpus added to the index")
    ev.add_argument("--distractor-index", help="an indexed alias searched alongside, e.g. arsip-news")
    ev.add_argument("--limit", type=int, help="only the first N judged queries")
    ev.add_argument(
        "--fold",
        type=fold_argument,
        metavar="K/N",
        help="only fold K of N of the judged questions, grouped by gold passage (the held-out part of a "
        "k-fold run of scripts/train_encoder.py --skip-fold K/N)",
    )
    ev.add_argument("--fusion", choices=["rrf", "weighted"])
    ev.add_argument("--rrf-k", type=int)
    ev.add_argument(
        "--normalization", choices=NORMALIZATIONS, help="how weighted fusion scales the two sides"
    )
    ev.add_argument("--weights", help="keyword,semantic weights for fusion, e.g. 1,1")
    ev.add_argument(
        "--minimum-should-match",
        help='BM25 term matching, e.g. "2<75%%", "1" or "all" (default: the setting\'s; "all" = every word)',
    )
    ev.add_argument(
        "--setting",
        choices=["page", "qa"],
        default="page",
        help="page: what the search page does by default (every word, in hybrid also most of them, and "
        "the relevance floor); qa: any question word may match (the QA setting measured before)",
    )
    ev.add_argument(
        "--related", choices=FLOORS, default="close", help="the relevance floor (the page's related=)"
    )
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_eval)

    serve = sub.add_parser("serve", help="serve the web UI and JSON API (waitress)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(func=cmd_serve)
