"""The README's search examples, run against the whole sample archive as `make demo` indexes it.

Its filter examples once named values the sample archive does not have (``source:tempo``,
``collection:humas``: 0 documents, no warning; issue 21). Each example must find documents and draw no
``unknown_filter_value`` warning, and a value the archive lacks must draw one naming the closest value.
Keyword mode only, so the passages are written with a constant vector (no model call per passage).
"""

from __future__ import annotations

import json
import re
import shlex

import numpy as np
import pytest

from arsip.settings import REPO_ROOT
from searchapp.search_request import SearchRequest
from tests.conftest import NEWS_SAMPLE, SAMPLE_DIR, make_test_settings

pytestmark = [pytest.mark.es]

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
SYNTAX = README[README.index("Query syntax:") : README.index("(every form with examples")]
FILTER_EXAMPLES = re.findall(r"`((?:source|collection|lang|title):[^`\s]+)`", SYNTAX)
SEARCH_EXAMPLES = [
    shlex.split(line, comments=True)[2] for line in re.findall(r"^arsip search .*$", README, re.M)
]


class ConstantVectors:
    """The real encoder (its tokenizer splits the passages) writing one fixed unit vector per passage."""

    def __init__(self, encoder) -> None:
        self._encoder = encoder

    def __getattr__(self, name: str):
        return getattr(self._encoder, name)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self._encoder.dimension), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors


@pytest.fixture(scope="module")
def demo_service(base_settings, es, embedder):
    """The sample archive indexed as the Makefile's ``index-sample`` does."""
    from indexer.orchestration import Indexer
    from searchapp.service import SearchService

    settings = make_test_settings(base_settings, "readme")
    indexer = Indexer(settings, es=es, embedder=ConstantVectors(embedder), show_progress=False)
    first = indexer.index_paths([str(SAMPLE_DIR / "humas")], source="humas", collection="siaran-pers")
    records = [json.loads(line) for line in NEWS_SAMPLE.read_text(encoding="utf-8").splitlines()]
    second = indexer.index_documents(records, collection="berita")
    assert first.ok and second.ok, (first.render(), second.render())
    return SearchService(settings, es=es, embedder=embedder)


def test_the_readme_has_filter_and_search_examples():
    assert {e.split(":")[0] for e in FILTER_EXAMPLES} == {"source", "collection", "lang", "title"}
    assert len(SEARCH_EXAMPLES) == 2


@pytest.mark.parametrize("example", FILTER_EXAMPLES)
def test_each_readme_filter_example_finds_documents_without_a_warning(demo_service, example):
    found = demo_service.search(SearchRequest(q=example, mode="keyword"))
    assert found["totals"]["documents"] > 0, example
    assert found["warnings"] == []


@pytest.mark.parametrize("example", SEARCH_EXAMPLES)
def test_each_readme_search_example_finds_documents(demo_service, example):
    found = demo_service.search(SearchRequest(q=example, mode="keyword"))
    assert found["totals"]["documents"] > 0, example


@pytest.mark.parametrize(
    ("query", "args", "closest"),
    [
        ("source:tempo korupsi", {}, "tempo.co"),
        ("korupsi", {"collection": ["humas"]}, "siaran-pers"),  # humas is a source, not a collection
        ("banjir -source:kompas", {}, "Kompas.com"),
    ],
)
def test_a_filter_value_no_document_has_is_said_with_the_closest_known(demo_service, query, args, closest):
    request = SearchRequest.from_args({"q": [query], "mode": ["keyword"], **args})
    warnings = [w for w in demo_service.search(request)["warnings"] if w["code"].startswith("unknown_filter")]
    assert (
        len(warnings) == 1
        and closest in warnings[0]["message"]["en"]
        and closest in warnings[0]["message"]["id"]
    )
    (row,) = demo_service.count_many([request])
    assert [w["code"] for w in row["warnings"]] == [w["code"] for w in warnings]
