"""Splitting one indexing job into shards: every item exactly once, the same answer in every process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from arsip.settings import REPO_ROOT, Settings
from indexer.documents import SourceDocument
from indexer.readers import ReadError
from indexer.report import IndexSummary
from indexer.sharding import WHOLE, Shard, select, shard_of
from indexer.workers import WORKER_SALT, merge_summaries, threads_per_worker


def _items(n: int) -> list[SourceDocument | ReadError]:
    docs: list[SourceDocument | ReadError] = [SourceDocument(f"berita~{i}", f"teks {i}") for i in range(n)]
    docs += [ReadError(f"arsip/rusak-{i}.pdf", None, "not a PDF") for i in range(n // 10)]
    docs += [ReadError("arsip/berita.jsonl", line, "bad JSON") for line in range(1, n // 10)]
    return docs


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_every_item_lands_in_exactly_one_shard_in_input_order(count):
    items = _items(500)
    parts = [list(select(items, (Shard(number, count),))) for number in range(1, count + 1)]
    assert sorted(map(id, (item for part in parts for item in part))) == sorted(map(id, items))
    for part in parts:  # each shard keeps the input order
        positions = [next(i for i, item in enumerate(items) if item is kept) for kept in part]
        assert positions == sorted(positions)
    if count > 1:  # and none is empty or lopsided
        assert all(len(part) > len(items) / count / 2 for part in parts)


def test_the_same_document_id_always_goes_to_the_same_shard_whatever_the_text():
    shard = Shard(2, 3)
    a = SourceDocument("humas~rilis-1", "versi pertama")
    b = SourceDocument("humas~rilis-1", "versi kedua, diperbarui", path="/mnt/lain/rilis-1.txt")
    assert shard.owns(a) == shard.owns(b)


def test_the_partition_is_the_same_in_another_process_with_another_hash_seed():
    keys = [f"berita~{i}" for i in range(200)]
    here = [shard_of(key, 5) for key in keys]
    code = f"from indexer.sharding import shard_of\nprint(','.join(str(shard_of(k, 5)) for k in {keys!r}))"
    env = {"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"}
    there = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert there == ",".join(map(str, here))


def test_workers_split_a_machines_shard_again_evenly():
    """Without a salt, shard 1/2 split in two by the same hash would give one worker everything."""
    items = _items(1000)
    machine = list(select(items, (Shard(1, 2),)))
    workers = [list(select(machine, (Shard(k, 2, salt=WORKER_SALT),))) for k in (1, 2)]
    assert len(workers[0]) + len(workers[1]) == len(machine)
    assert min(len(w) for w in workers) > 0.4 * len(machine)
    unsalted = [list(select(machine, (Shard(k, 2),))) for k in (1, 2)]
    assert sorted(len(part) for part in unsalted) == [0, len(machine)]  # why the salt is there


def test_select_with_several_shards_keeps_what_all_of_them_own():
    items = _items(300)
    both = list(select(items, (Shard(1, 2), Shard(2, 3, salt="x"))))
    assert both == [i for i in items if Shard(1, 2).owns(i) and Shard(2, 3, salt="x").owns(i)]
    assert list(select(items, (WHOLE,))) == items
    assert list(select(items, ())) == items


@pytest.mark.parametrize(
    ("raw", "expected"), [("1/3", Shard(1, 3)), (" 3 / 3 ", Shard(3, 3)), ("1/1", WHOLE)]
)
def test_shard_parses_i_of_n(raw, expected):
    assert Shard.parse(raw) == expected


@pytest.mark.parametrize("raw", ["0/3", "4/3", "1/0", "2", "a/b", "1/2/3", "-1/2"])
def test_a_bad_shard_is_a_clear_error(raw):
    with pytest.raises(ValueError, match="i/N"):
        Shard.parse(raw)


def test_threads_are_shared_out_between_workers():
    assert threads_per_worker(Settings(torch_threads=4), 2) == 2
    assert threads_per_worker(Settings(torch_threads=2), 2) == 1
    assert threads_per_worker(Settings(torch_threads=1), 4) == 1  # never zero (zero would mean "all")


def test_worker_summaries_add_up_to_one():
    first = IndexSummary(
        documents_seen=5, indexed=3, unchanged=1, failed=1, passages_written=9, notes=["n"], index="idx"
    )
    first.failures.append({"doc_id": "a", "reason": "r"})
    second = IndexSummary(documents_seen=4, indexed=4, skipped=2, passages_written=7, notes=["n", "m"])
    total = merge_summaries([first, second])
    assert (total.documents_seen, total.indexed, total.unchanged, total.failed, total.skipped) == (
        9,
        7,
        1,
        1,
        2,
    )
    assert total.passages_written == 16
    assert total.notes == ["n", "m"]
    assert total.failures == [{"doc_id": "a", "reason": "r"}]
    assert total.index == "idx" and total.fatal is None and not total.ok  # one failure
    stopped = merge_summaries([first, IndexSummary(fatal="worker 2: boom"), IndexSummary(interrupted=True)])
    assert stopped.fatal == "worker 2: boom" and stopped.interrupted and not stopped.ok


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["index", "-", "--workers", "2"], "stdin can be read only once"),
        (["index", "-", "--regroup"], "stdin can be read only once"),
        (["index", "archive/", "--shard", "0/2"], "i/N"),
        (["index", "archive/", "--shard", "2/2", "--rebuild"], "--rebuild and --regroup take no --shard"),
        (["index", "archive/", "--workers", "0"], "--workers must be ≥ 1"),
    ],
)
def test_split_options_that_cannot_work_are_refused_before_anything_runs(argv, message, capsys):
    from arsip_cli.main import main

    assert main(argv) == 2
    assert message in capsys.readouterr().err
