"""Split runs give the index one run gives: ``--workers 2``, and ``--shard 1/2`` + ``2/2`` + ``--regroup``.

The corpus is built so that splitting matters: wire copies of articles come before and after their
originals in input order, and each copy falls in another shard (and another worker) than its original,
so near-duplicate groups made shard by shard come out differently until they are replayed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from indexer.documents import SourceDocument
from indexer.near_duplicates import BANDS_FIELD, GROUP_FIELD
from indexer.orchestration import Indexer
from indexer.sharding import Shard
from indexer.workers import WORKER_SALT, IndexJob, index_with_workers, regroup_split_run
from tests.conftest import make_test_settings, news_records

pytestmark = pytest.mark.es

COLLECTION = "berita"


def _doc(record_id: str) -> SourceDocument:
    return SourceDocument(f"{COLLECTION}~{record_id}", "")


def _apart(original_id: str, number: int) -> str:
    """An id for a copy that lands in the other machine shard and the other worker than the original."""
    original = _doc(original_id)
    for attempt in range(1000):
        copy_id = f"salinan-{number}-{attempt}"
        copy = _doc(copy_id)
        if Shard(1, 2).owns(copy) != Shard(1, 2).owns(original) and Shard(1, 2, salt=WORKER_SALT).owns(
            copy
        ) != Shard(1, 2, salt=WORKER_SALT).owns(original):
            return copy_id
    raise AssertionError("no id found")


def _short(record: dict) -> dict:
    """The first paragraphs only: enough words for near-duplicate detection, few passages to embed."""
    return {**record, "text": record["text"][:900].rsplit(".", 1)[0] + "."}


def _copy(record: dict, copy_id: str) -> dict:
    text = "JAKARTA, KOMPAS.com - " + record["text"].replace(" yang ", " yg ", 2)
    return {**record, "id": copy_id, "text": text, "title": "Salinan: " + record["title"], "url": None}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> str:
    records = [_short(r) for r in news_records(8)]
    # copies of articles 1 and 4 before them, a copy of article 6 after it (group names hinge on order)
    early = [_copy(records[1], _apart(records[1]["id"], 1)), _copy(records[4], _apart(records[4]["id"], 4))]
    late = [_copy(records[6], _apart(records[6]["id"], 6))]
    ordered = [records[0], early[0], records[1], records[2], records[3], early[1], *records[4:], *late]
    path = tmp_path_factory.mktemp("split") / "berita.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered), encoding="utf-8")
    return str(path)


def _passages(es, alias: str) -> dict[str, dict]:
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, size=1000, query={"match_all": {}}, docvalue_fields=["vector"])["hits"]
    return {  # the vector is not in _source; its doc values are
        hit["_id"]: {
            **{k: v for k, v in hit["_source"].items() if k != "indexed_at"},
            "vector": np.asarray(hit["fields"]["vector"], dtype=np.float32).ravel(),
        }
        for hit in hits["hits"]
    }


def _groups(passages: dict[str, dict]) -> dict[str, str]:
    return {source["doc_id"]: source[GROUP_FIELD] for source in passages.values()}


def _assert_same_index(got: dict[str, dict], want: dict[str, dict]) -> None:
    assert sorted(got) == sorted(want)
    for passage_id, source in want.items():
        other = got[passage_id]
        # The same text, embedded in another batch: the int8 encoder's kernels depend on the batch's padded
        # shape (and threads change float sums), so vectors agree to cosine 0.999, not bit for bit.
        assert float(other["vector"] @ source["vector"]) > 0.999, passage_id
        assert {k: v for k, v in other.items() if k != "vector"} == {
            k: v for k, v in source.items() if k != "vector"
        }


@pytest.fixture(scope="module")
def one_run(es, base_settings, embedder, corpus) -> dict[str, dict]:
    settings = make_test_settings(base_settings, "one-run")
    summary = Indexer(settings, es=es, embedder=embedder, show_progress=False).index_paths(
        [corpus], collection=COLLECTION
    )
    assert summary.ok and summary.indexed == 11, summary.render()
    passages = _passages(es, settings.index)
    groups = _groups(passages)
    assert len(set(groups.values())) == 8  # the three copies joined their originals' groups
    return passages


def test_two_workers_index_what_one_process_indexes(es, base_settings, corpus, one_run, tmp_path):
    settings = make_test_settings(base_settings, "workers")
    report = tmp_path / "report.jsonl"
    job = IndexJob(paths=[corpus], collection=COLLECTION, report_path=str(report))
    summary, regrouped = index_with_workers(settings, job, 2, show_progress=False)
    assert summary.ok and summary.indexed == 11 and summary.documents_seen == 11, summary.render()
    assert summary.passages_written == len(one_run)
    assert regrouped is not None and regrouped.documents == 11
    _assert_same_index(_passages(es, settings.index), one_run)
    entries = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert sorted(e["doc_id"] for e in entries) == sorted({s["doc_id"] for s in one_run.values()})
    assert {e["status"] for e in entries} == {"indexed"}


def test_two_shards_and_a_regroup_index_what_one_run_indexes(es, base_settings, embedder, corpus, one_run):
    settings = make_test_settings(base_settings, "shards")
    indexer = Indexer(settings, es=es, embedder=embedder, show_progress=False)
    seen = 0
    for shard in (Shard(1, 2), Shard(2, 2)):  # one after the other: the second finds the first's copies
        summary = indexer.index_paths([corpus], collection=COLLECTION, shards=(shard,))
        assert summary.ok, summary.render()
        seen += summary.documents_seen
    assert seen == 11
    before = _passages(es, settings.index)
    assert sorted(before) == sorted(one_run)
    assert _groups(before) != _groups(one_run)  # shard by shard, the order of the groups was lost...

    regrouped = regroup_split_run(settings, IndexJob(paths=[corpus], collection=COLLECTION))
    assert regrouped.documents == 11 and regrouped.changed > 0
    _assert_same_index(_passages(es, settings.index), one_run)  # ...and the replay brought it back
    # the rewritten first passages still carry their band keys (kept out of _source), which later runs
    # look copies up by
    with_bands = es.count(index=settings.index, query={"exists": {"field": BANDS_FIELD}})["count"]
    assert with_bands == 11
    again = regroup_split_run(settings, IndexJob(paths=[corpus], collection=COLLECTION))
    assert again.changed == 0  # a second replay finds nothing to change
