"""A local multi-node Elasticsearch cluster on loopback, for tests and demos of scale-out.

N nodes of the same distribution, each with its own folder and ports (HTTP ``base_port + i``,
transport ``base_port + 100 + i``), discovering each other through ``discovery.seed_hosts``. A node of a
multi-node cluster only becomes healthy once a majority of the initial masters has joined, so the nodes
are started together (one thread each) rather than one after the other.

    arsip es cluster start --nodes 3 --base-port 9201
    ARSIP_ES_URL=http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203 ARSIP_ES_REPLICAS=1 arsip …
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from arsip.es_node import LocalNode, NodeError, NodeSpec
from arsip.settings import Settings

CLUSTER_NAME = "arsip-cluster"


class LocalCluster:
    """``size`` local nodes forming one cluster."""

    def __init__(self, settings: Settings, size: int = 3, base_port: int = 9201, heap: str = "512m") -> None:
        if size < 1:
            raise ValueError("a cluster needs at least one node")
        self.settings = replace(settings, es_heap=heap)
        transport_ports = tuple(base_port + 100 + i for i in range(size))
        self.nodes = [
            LocalNode(
                self.settings,
                NodeSpec(
                    name=f"{CLUSTER_NAME}-{i}",
                    http_port=base_port + i,
                    transport_port=transport_ports[i],
                    cluster_name=CLUSTER_NAME,
                    seed_ports=transport_ports if size > 1 else (),
                ),
            )
            for i in range(size)
        ]

    @property
    def urls(self) -> list[str]:
        return [node.spec.url for node in self.nodes]

    @property
    def es_url(self) -> str:
        """The value for ARSIP_ES_URL: every node, comma-separated (the client spreads and fails over)."""
        return ",".join(self.urls)

    def start(self, wait_s: float = 300.0) -> list[str]:
        """Start every node (already running ones are left alone) and wait until the cluster forms."""
        self.nodes[0].install()
        with ThreadPoolExecutor(max_workers=len(self.nodes)) as pool:
            futures = [pool.submit(node.start, wait_s) for node in self.nodes]
            errors = [f.exception() for f in futures]
        failed = [str(e) for e in errors if e is not None]
        if failed:
            raise NodeError("The local cluster did not start:\n" + "\n".join(failed))
        return self.urls

    def stop(self) -> int:
        """Stop every node; return how many were running."""
        return sum(node.stop() for node in self.nodes)

    def status(self) -> list[dict]:
        return [node.status() for node in self.nodes]
