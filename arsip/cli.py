"""The ``arsip`` command line: one entry point, one subcommand per job.

Heavy imports (torch, the model, Flask) happen inside the subcommands so that ``arsip es status``
answers instantly.
"""

from __future__ import annotations

import argparse
import json
import sys

from arsip.settings import Settings


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


# ----------------------------------------------------------------------------- es
def cmd_es(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import replace

    from arsip.es_node import LocalNode, NodeError, NodeSpec

    if getattr(args, "port", None):
        settings = replace(settings, es_port=args.port)
    secure = bool(getattr(args, "secure", False))
    spec = NodeSpec(http_port=settings.es_port, transport_port=settings.es_port + 100, secure=secure)
    node = LocalNode(settings, spec)
    try:
        if args.action == "start":
            url = node.start()
            print(f"Elasticsearch is up at {url}")
            if node.secure:  # the credentials stay in the 0600 file; only its path is printed
                kind = "API keys" if "ARSIP_ES_API_KEY=" in node.secure_env_file.read_text() else "users"
                print(f"TLS + {kind}: `set -a; . {node.secure_env_file}; set +a` to use them")
        elif args.action == "stop":
            print("Elasticsearch stopped." if node.stop() else "Elasticsearch was not running.")
        elif args.action == "install":
            print(f"Elasticsearch {settings.es_version} installed in {node.install()}")
        else:
            status = node.status()
            _print_json(status)
            return 0 if status.get("running") else 3
    except NodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


# ----------------------------------------------------------------------------- cluster
def cmd_cluster(args: argparse.Namespace, settings: Settings) -> int:
    from arsip.es_cluster import LocalCluster
    from arsip.es_node import NodeError

    cluster = LocalCluster(settings, size=args.nodes, base_port=args.base_port, heap=args.heap)
    try:
        if args.action == "start":
            cluster.start()
            print(f"A {args.nodes}-node cluster is up. Point arsip at it with:")
            print(f"  export ARSIP_ES_URL={cluster.es_url} ARSIP_ES_REPLICAS=1")
        elif args.action == "stop":
            print(f"Stopped {cluster.stop()} node(s).")
        else:
            statuses = cluster.status()
            _print_json(statuses)
            return 0 if all(s.get("running") for s in statuses) else 3
    except NodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


# ----------------------------------------------------------------------------- model
def cmd_model(args: argparse.Namespace, settings: Settings) -> int:
    from arsip.model.errors import ModelBuildError
    from arsip.model.install import install_model

    if args.action == "install":
        from arsip.model.variants import encoders_to_build, install_encoders

        try:
            variants = encoders_to_build(settings, args.encoders)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if settings.model:
            print(f"ARSIP_MODEL is set ({settings.model}); building the default model anyway.")
        try:
            path = install_model(settings.model_dir, force=args.force)
        except ModelBuildError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"Model ready in {path}")
        for built in install_encoders(path, variants, force=args.force):
            print(f"Encoder ready in {built}")
        return 0
    from arsip.model.errors import ModelNotInstalled
    from arsip.model.loader import load_encoder

    try:
        embedder = load_encoder(settings)
    except ModelNotInstalled as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _print_json({"path": settings.model_path, **embedder.identity.as_dict(), "prompts": embedder.prompts})
    return 0


# ----------------------------------------------------------------------------- index
def _parse_field_map(raw: str | None) -> dict | None:
    if not raw:
        return None
    mapping = {}
    for pair in raw.split(","):
        if "=" not in pair:
            raise SystemExit(f"error: --field-map expects name=field pairs, got {pair!r}")
        src, dst = pair.split("=", 1)
        mapping[src.strip()] = dst.strip()
    return mapping


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from arsip.model.errors import ModelNotInstalled
    from indexer.pipeline import Indexer
    from indexer.sharding import WHOLE, Shard
    from indexer.workers import IndexJob, index_with_workers, regroup_reminder, regroup_split_run

    try:
        shard = Shard.parse(args.shard) if args.shard else WHOLE
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.workers < 1 or (args.rebuild and not shard.whole) or (args.regroup and not shard.whole):
        print("error: --workers must be ≥ 1; --rebuild and --regroup take no --shard", file=sys.stderr)
        return 2
    if "-" in args.paths and (args.workers > 1 or args.regroup):
        print(
            "error: --workers and --regroup read files or folders (stdin can be read only once)",
            file=sys.stderr,
        )
        return 2
    job = IndexJob(
        paths=args.paths,
        fmt=args.format,
        collection=args.collection,
        source=args.source,
        field_map=_parse_field_map(args.field_map),
        rebuild=args.rebuild,
        report_path=args.report,
        shard=shard,
    )
    if args.regroup:  # the last step of a run split over machines: no model needed
        from arsip.es_client import ENGINE_ERRORS, describe_engine_error

        try:
            print(regroup_split_run(settings, job).render(), file=sys.stderr)
        except ENGINE_ERRORS as exc:
            print(f"error: {describe_engine_error(exc, settings)}", file=sys.stderr)
            return 2
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.workers > 1:
        summary, regrouped = index_with_workers(
            settings, job, args.workers, show_progress=not args.no_progress
        )
        if regrouped is not None:
            summary.notes.append(regrouped.render())
    else:
        try:
            indexer = Indexer(settings, show_progress=not args.no_progress)
        except ModelNotInstalled as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        summary = indexer.index_paths(
            job.paths,
            fmt=job.fmt,
            collection=job.collection,
            source=job.source,
            field_map=job.field_map,
            rebuild=job.rebuild,
            report_path=job.report_path,
            shards=(shard,),
        )
        if not shard.whole and settings.near_dup and summary.ok:
            summary.notes.append(regroup_reminder(shard))
    print(summary.render(), file=sys.stderr)
    if summary.interrupted:
        return 130
    return 0 if summary.ok else (2 if summary.fatal else 1)


# ----------------------------------------------------------------------------- search
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
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    if args.json:
        _print_json(result)
        return 0
    totals = result["totals"]
    print(
        f"{totals['passages']} passages in {totals['documents']} documents"
        + (f" ({totals['all_words_documents']} with all words)" if result["mode"] == "hybrid" else "")
        + f" · {result['mode']} · {result['took_ms']} ms"
    )
    for warning in result["warnings"]:
        print(f"warning: {warning['text']}: {warning['message']['en']}", file=sys.stderr)
    for rank, hit in enumerate(result["results"], start=1):
        passage = hit["passages"][0]
        title = hit.get("title") or hit["doc_id"]
        print(
            f"\n{rank:>2}. [{hit['score']:.4f}] {title}  "
            f"({hit.get('source') or '-'}, {hit.get('date') or '-'})"
        )
        print(f"    {passage['text'][:300]}")
        if hit.get("missing"):
            print(f"    missing: {', '.join(hit['missing'])}")
    return 0


# ----------------------------------------------------------------------------- eval
def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict, replace
    from pathlib import Path

    from arsip.evaluation import evaluate, load_dataset, render_table
    from searchapp.ranking import QUESTION_RANKING

    dataset = load_dataset(Path(args.dataset), limit=args.limit)
    # The QA settings (any question word may match), changed only where an option says so;
    # --minimum-should-match all measures the product's default (every word required).
    ranking = QUESTION_RANKING
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
    )
    report["ranking"] = {k: v for k, v in asdict(ranking).items() if k != "fields"}
    print(json.dumps(report, indent=2) if args.json else render_table(report))
    return 0


# ----------------------------------------------------------------------------- serve
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from searchapp.server import serve

    serve(settings, host=args.host, port=args.port, threads=args.threads)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arsip", description="A searchable archive with semantic search.")
    sub = parser.add_subparsers(dest="command", required=True)

    es = sub.add_parser("es", help="manage the local Elasticsearch node")
    es.add_argument("action", choices=["start", "stop", "status", "install"])
    es.add_argument("--port", type=int, help="HTTP port of the local node (default: ARSIP_ES_PORT)")
    es.add_argument(
        "--secure",
        action="store_true",
        help="start with TLS, the elastic password and two API keys (written to <node>/secure.env)",
    )
    es.set_defaults(func=cmd_es)

    cluster = sub.add_parser("cluster", help="a local multi-node Elasticsearch cluster (tests, demos)")
    cluster.add_argument("action", choices=["start", "stop", "status"])
    cluster.add_argument("--nodes", type=int, default=3)
    cluster.add_argument("--base-port", type=int, default=9201, help="HTTP port of node 0 (+1 per node)")
    cluster.add_argument("--heap", default="512m", help="heap per node")
    cluster.set_defaults(func=cmd_cluster)

    model = sub.add_parser("model", help="build or inspect the embedding model")
    model.add_argument("action", choices=["install", "info"])
    model.add_argument("--force", action="store_true", help="rebuild even if it exists")
    model.add_argument(
        "--encoders", help="fast encoder variants to build, comma-separated (default: ARSIP_ENCODER's)"
    )
    model.set_defaults(func=cmd_model)

    index = sub.add_parser("index", help="index files and folders (- reads JSONL from stdin)")
    index.add_argument("paths", nargs="+")
    index.add_argument("--collection")
    index.add_argument("--source")
    index.add_argument("--format", default="auto", choices=["auto", "txt", "html", "jsonl", "csv", "pdf"])
    index.add_argument("--field-map", help="rename input fields, e.g. body=text,headline=title")
    index.add_argument("--report", help="write a per-document JSONL report to this file")
    index.add_argument(
        "--rebuild",
        action="store_true",
        help="build a fresh index and swap the alias when done (no downtime)",
    )
    index.add_argument(
        "--workers",
        type=int,
        default=1,
        help="index with N local processes, each with its share of the encoder threads (default 1)",
    )
    index.add_argument(
        "--shard",
        help="index only part i of N (e.g. 1/3 on machine 1): split one archive over several machines",
    )
    index.add_argument(
        "--regroup",
        action="store_true",
        help="after all --shard runs: near-duplicate groups as one run would make them (no re-embedding)",
    )
    index.add_argument("--no-progress", action="store_true")
    index.set_defaults(func=cmd_index)

    search = sub.add_parser("search", help="search from the command line")
    search.add_argument("query")
    search.add_argument("--mode", default="hybrid", choices=["hybrid", "keyword", "semantic"])
    search.add_argument("--size", type=int, default=10)
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    from searchapp.ranking import NORMALIZATIONS

    ev = sub.add_parser("eval", help="retrieval quality on a judged dataset (corpus/queries/qrels)")
    ev.add_argument("dataset", help="folder with corpus.jsonl, queries.jsonl, qrels.tsv")
    ev.add_argument("--modes", default="keyword,semantic,hybrid")
    ev.add_argument("--k", type=int, default=10)
    ev.add_argument("--distractors", help="an unjudged JSONL corpus added to the index")
    ev.add_argument("--distractor-index", help="an indexed alias searched alongside, e.g. arsip-news")
    ev.add_argument("--limit", type=int, help="only the first N judged queries")
    ev.add_argument("--fusion", choices=["rrf", "weighted"])
    ev.add_argument("--rrf-k", type=int)
    ev.add_argument(
        "--normalization", choices=NORMALIZATIONS, help="how weighted fusion scales the two sides"
    )
    ev.add_argument("--weights", help="keyword,semantic weights for fusion, e.g. 1,1")
    ev.add_argument(
        "--minimum-should-match",
        help='BM25 term matching, e.g. "2<75%%" or "all" (default: the QA setting "1", any question word; '
        '"all" = the search page\'s default, every word)',
    )
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_eval)

    serve = sub.add_parser("serve", help="serve the web UI and JSON API (waitress)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return args.func(args, settings)


if __name__ == "__main__":
    sys.exit(main())
