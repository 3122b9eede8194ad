"""``arsip index``: files, folders or JSONL on stdin into the index, in one or more processes or machines."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from arsip.settings import OCR_MODES, Settings
from arsip_cli.output import fail, print_json


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
    from indexer.orchestration import Indexer
    from indexer.sharding import WHOLE, Shard
    from indexer.workers import IndexJob, index_with_workers, regroup_reminder, regroup_split_run

    try:
        shard = Shard.parse(args.shard) if args.shard else WHOLE
    except ValueError as exc:
        return fail(exc, 2)
    if args.workers < 1 or (args.rebuild and not shard.whole) or (args.regroup and not shard.whole):
        return fail("--workers must be ≥ 1; --rebuild and --regroup take no --shard", 2)
    if args.prune and (args.workers > 1 or not shard.whole or args.regroup):
        return fail("--prune needs the whole input in one run: no --workers, --shard or --regroup", 2)
    if "-" in args.paths and (args.workers > 1 or args.regroup):
        return fail("--workers and --regroup read files or folders (stdin can be read only once)", 2)
    settings = replace(settings, ocr=args.ocr or settings.ocr, ocr_lang=args.ocr_lang or settings.ocr_lang)
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
            return fail(describe_engine_error(exc, settings), 2)
        except RuntimeError as exc:
            return fail(exc, 2)
        return 0
    if args.workers > 1:
        summary, regrouped = index_with_workers(
            settings, job, args.workers, show_progress=not args.no_progress
        )
        if regrouped is not None:
            summary.notes.append(regrouped.render())
    else:
        if args.prune:
            from indexer.deletion import prune_scope

            try:
                prune_scope(job.paths, job.collection, job.source)
            except ValueError as exc:
                return fail(exc, 2)
        try:
            indexer = Indexer(settings, show_progress=not args.no_progress)
        except ModelNotInstalled as exc:
            return fail(exc, 1)
        summary = indexer.index_paths(
            job.paths,
            fmt=job.fmt,
            collection=job.collection,
            source=job.source,
            field_map=job.field_map,
            rebuild=job.rebuild,
            report_path=job.report_path,
            shards=(shard,),
            prune=args.prune,
        )
        if not shard.whole and settings.near_dup and summary.ok:
            summary.notes.append(regroup_reminder(shard))
    print(summary.render(), file=sys.stderr)
    if args.json:
        print_json(summary.as_dict())
    return summary.exit_status


def register(sub: argparse._SubParsersAction) -> None:
    index = sub.add_parser("index", help="index files and folders (- reads JSONL from stdin)")
    index.add_argument("paths", nargs="+")
    index.add_argument("--collection")
    index.add_argument("--source")
    index.add_argument(
        "--format", default="auto", choices=["auto", "txt", "html", "jsonl", "csv", "pdf", "image"]
    )
    index.add_argument(
        "--ocr",
        choices=OCR_MODES,
        help="read scanned PDF pages and images with Tesseract: auto (pages with too little text layer, "
        "and images; the default, ARSIP_OCR), always (every page), never",
    )
    index.add_argument(
        "--ocr-lang", help="Tesseract languages, e.g. ind+eng (the default, ARSIP_OCR_LANG) or ind"
    )
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
    index.add_argument(
        "--prune",
        action="store_true",
        help="then remove the documents of this --collection (else --source, else these files and "
        "folders) that the input no longer holds; nothing is pruned when a record failed",
    )
    index.add_argument("--json", action="store_true", help="also print the summary as JSON on stdout")
    index.add_argument("--no-progress", action="store_true")
    index.set_defaults(func=cmd_index)
