"""The cursor walk's token (``searchapp.search.cursor``): what it carries, and refusing others."""

from __future__ import annotations

import pytest

from searchapp.errors import SearchError
from searchapp.search.cursor import decode_cursor, encode_cursor


def test_a_cursor_carries_the_point_in_time_and_the_last_sort_values():
    token = encode_cursor("pit==id+/", [3.25, "doc-1:0"])
    assert "=" not in token and "+" not in token and "/" not in token  # safe in a URL as it is
    assert decode_cursor(token) == ("pit==id+/", [3.25, "doc-1:0"])


@pytest.mark.parametrize("token", ["", "not a cursor", "e30", "WzEsMl0", "bnVsbA", "%%%"])
def test_anything_else_is_refused_with_a_400(token):
    with pytest.raises(SearchError) as refused:
        decode_cursor(token)
    assert (refused.value.status, refused.value.code, refused.value.parameter) == (
        400,
        "invalid_cursor",
        "cursor",
    )


def test_a_cursor_longer_than_the_documented_limit_is_refused_even_with_nothing_to_walk():
    # the contract test sent a 9,000-character cursor with a query that left nothing to search: it got a 200
    from searchapp.search.cursor import MAX_CURSOR_CHARS, walk

    long_token = encode_cursor("p" * MAX_CURSOR_CHARS, [])
    assert len(long_token) > MAX_CURSOR_CHARS
    with pytest.raises(SearchError) as refused:
        decode_cursor(long_token)
    assert refused.value.code == "invalid_cursor"
    with pytest.raises(SearchError) as refused:
        walk(engine=None, query=None, sort="relevance", size=10, cursor=long_token)  # type: ignore[arg-type]
    assert refused.value.code == "invalid_cursor"
    assert walk(engine=None, query=None, sort="relevance", size=10, cursor=None) == {  # type: ignore[arg-type]
        "passages": [],
        "next_cursor": None,
    }


def test_the_walk_checks_page_by_itself_with_no_page_times_size_rule():
    """The contract test (more examples, another seed) found ``/api/passages?page=999&size=1`` refused:
    the walk's ``size`` is its own, but ``page`` was checked against the search's default size (10)."""
    from arsip.settings import Settings
    from searchapp.app import create_app

    class Walker:
        calls: list = []

        def walk(self, request, size, after=None):
            Walker.calls.append((request.page, size, after))
            return {"passages": [], "next_cursor": None}

    client = create_app(Settings(), service=Walker()).test_client()
    for page in ("999", "1000", ""):
        answer = client.get(f"/api/passages?q=pilkada&size=1&page={page}")
        assert answer.status_code == 200, answer.get_json()
    assert Walker.calls == [(1, 1, None)] * 3  # checked, then not used
    for page in ("0", "1001", "x"):
        refused = client.get(f"/api/passages?q=pilkada&page={page}")
        assert refused.status_code == 400 and refused.get_json()["error"]["parameter"] == "page"
    assert len(Walker.calls) == 3
