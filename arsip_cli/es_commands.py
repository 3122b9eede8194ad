"""``arsip es`` (the local Elasticsearch node) and ``arsip cluster`` (a local multi-node cluster)."""

from __future__ import annotations

import argparse
from dataclasses import replace

from arsip.settings import Settings
from arsip_cli.output import fail, print_json


def cmd_es(args: argparse.Namespace, settings: Settings) -> int:
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
            print_json(status)
            return 0 if status.get("running") else 3
    except NodeError as exc:
        return fail(exc, 1)
    return 0


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
            print_json(statuses)
            return 0 if all(s.get("running") for s in statuses) else 3
    except NodeError as exc:
        return fail(exc, 1)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
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
