"""Undated documents under a date range are counted and can be included (issue 21: the press release
vanished under date_from=2019-01-01&date_to=2021-12-31 without a word)."""

from __future__ import annotations

from arsip.settings import Settings
from searchapp.counting import UNDATED_SCOPE, build_count_body, read_totals
from searchapp.query_builder import build_filter_clauses
from searchapp.query_model import QueryFilters
from searchapp.ranking import RankingConfig
from searchapp.saved_searches import canonical_search, search_request
from searchapp.search.plan import plan_search
from searchapp.search_request import SearchRequest

RANGE = {"date_from": ["2019-01-01"], "date_to": ["2021-12-31"]}


def test_undated_widens_the_date_range_to_documents_without_a_date():
    (plain,) = build_filter_clauses(QueryFilters(date_from="2019-01-01"))
    assert plain == {"range": {"date": {"format": "yyyy-MM-dd", "gte": "2019-01-01"}}}
    (widened,) = build_filter_clauses(QueryFilters(date_from="2019-01-01", include_undated=True))
    assert widened["bool"]["should"] == [plain, {"bool": {"must_not": [{"exists": {"field": "date"}}]}}]


def test_the_parameter_is_read_kept_by_saved_searches_and_off_by_default():
    assert SearchRequest.from_args(RANGE).filters.include_undated is False
    request = SearchRequest.from_args({**RANGE, "undated": ["1"]})
    assert request.filters.include_undated is True
    saved = canonical_search(request)
    assert saved["undated"] is True and search_request(saved).filters.include_undated is True


def test_a_date_range_counts_the_undated_documents_it_hides():
    plan = plan_search(
        SearchRequest.from_args({**RANGE, "mode": ["keyword"]}), RankingConfig(), Settings(), None
    )
    assert UNDATED_SCOPE in plan.facet_scopes
    scope = plan.facet_scopes[UNDATED_SCOPE].keyword_query
    assert "range" not in str(scope)
    body = build_count_body({"match_all": {}}, None, facet_scopes={UNDATED_SCOPE: scope})
    assert body["aggs"]["undated_excluded"]["aggs"]["scope"]["filter"] == scope
    response = {
        "hits": {"total": {"value": 5}},
        "aggregations": {
            "documents": {"value": 4},
            "undated_excluded": {"scope": {"undated": {"documents": {"value": 1}}}},
        },
    }
    assert read_totals(response, "keyword")["undated_excluded"] == 1
    included = SearchRequest.from_args({**RANGE, "mode": ["keyword"], "undated": ["true"]})
    assert UNDATED_SCOPE not in plan_search(included, RankingConfig(), Settings(), None).facet_scopes
