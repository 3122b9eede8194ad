"""Issue 24, point 7: ``arsip index --json`` prints ``IndexSummary.as_dict``."""

from __future__ import annotations

import json

from indexer.report import IndexSummary


def test_the_json_summary_has_every_count_and_the_exit_status():
    summary = IndexSummary(documents_seen=5, indexed=3, unchanged=1, duplicates=1, removed=2)
    data = summary.as_dict()
    assert (data["indexed"], data["duplicates"], data["removed"], data["ok"], data["exit_status"]) == (
        3,
        1,
        2,
        False,
        1,
    )
    assert json.loads(json.dumps(data)) == data
    assert IndexSummary(indexed=1).as_dict()["exit_status"] == 0
    assert (
        IndexSummary(fatal="engine down").exit_status == 2
        and IndexSummary(interrupted=True).exit_status == 130
    )
