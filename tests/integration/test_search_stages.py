"""A search request flows straight through its stages (issue 19): each stage module is entered once and
the request comes back to the façade (``searchapp/service.py``) at most twice.

Traced with ``sys.setprofile`` on a real hybrid search with facets, a selected facet value, a date filter
and page 2. Calls into shared helpers (the engine, ``candidates``, ``values``, ranking, fusion, counting,
query_builder, ...) are not stage visits; consecutive calls inside one module are one visit.
"""

from __future__ import annotations

import os
import sys

import pytest

from searchapp import service
from searchapp.query_model import QueryFilters
from searchapp.search import envelope, page, plan, rank, retrieve
from searchapp.search_request import SearchRequest

pytestmark = pytest.mark.es

STAGES = {module: module.__name__.rsplit(".", 1)[1] for module in (plan, retrieve, rank, page, envelope)}
FACADE = "service"


def _trace(call) -> tuple[list[str], int, object]:
    """The modules entered (façade and stages, consecutive repeats collapsed) and the returns from a
    stage into the façade, while ``call()`` runs."""
    files = {os.path.realpath(module.__file__): name for module, name in STAGES.items()}
    files[os.path.realpath(service.__file__)] = FACADE
    names: dict[str, str | None] = {}

    def where(frame) -> str | None:
        if frame is None:
            return None
        filename = frame.f_code.co_filename
        if filename not in names:
            names[filename] = files.get(os.path.realpath(filename))
        return names[filename]

    entered: list[str] = []
    returns_to_facade = 0

    def profile(frame, event, arg) -> None:
        nonlocal returns_to_facade
        if event == "call":
            name = where(frame)
            if name is not None and (not entered or entered[-1] != name):
                entered.append(name)
        elif event == "return" and where(frame) not in (None, FACADE) and where(frame.f_back) == FACADE:
            returns_to_facade += 1

    sys.setprofile(profile)
    try:
        result = call()
    finally:
        sys.setprofile(None)
    return entered, returns_to_facade, result


def test_a_search_visits_each_stage_once_and_returns_to_the_facade_at_most_twice(search_service):
    request = SearchRequest(
        q="pemerintah daerah",
        mode="hybrid",
        filters=QueryFilters(collections=["berita"], date_from="2000-01-01"),
        facets=True,
        page=2,
        size=1,  # the related set of the 40 articles holds a few documents (issue 20's floor)
    )
    search_service.search(request)  # the model loaded and checked: the traced run is a warm request
    entered, returns_to_facade, envelope_ = _trace(lambda: search_service.search(request))

    assert envelope_["page"] == 2 and envelope_["results"], "the traced search must rank a real page 2"
    assert envelope_["facets"]["collection"]["buckets"], "and count the facets"
    stages = [name for name in entered if name != FACADE]
    assert stages == ["plan", "retrieve", "rank", "page", "envelope"], entered
    assert returns_to_facade <= 2, entered
