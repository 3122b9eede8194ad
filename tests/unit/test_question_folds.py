"""The k-fold split of judged questions: grouped by gold passage, the same in eval and in training."""

from __future__ import annotations

import importlib.util
import json
import random
from pathlib import Path

import pytest

from arsip_cli.evaluation import load_dataset, parse_fold, question_folds

REPO = Path(__file__).resolve().parents[2]


def test_questions_linked_through_passages_share_a_fold():
    # q1 and q3 share no passage, but q2's two gold passages link them: one group, rooted at "p1".
    qrels = {
        "q1": {"p1": 1},
        "q2": {"p2": 1, "p1": 1},
        "q3": {"p2": 1, "p7": 0},
        "q4": {"p5": 1, "p4": 1},  # a second group, rooted at "p4"
        "q5": {"p5": 1},
    }
    for folds in range(2, 9):
        fold = question_folds(qrels, folds)
        alone = question_folds({"x": {"p1": 1}, "y": {"p4": 1}}, folds)
        assert fold["q1"] == fold["q2"] == fold["q3"] == alone["x"]
        assert fold["q4"] == fold["q5"] == alone["y"]
        assert set(fold.values()) <= set(range(1, folds + 1))


def test_a_question_without_gold_passage_still_gets_a_fold():
    assert question_folds({"q": {"p": 0}}, 3)["q"] in (1, 2, 3)


def write_dataset(folder: Path, seed: int = 7) -> dict[str, set[str]]:
    """60 questions over 25 passages, each with one or two gold passages: many shared."""
    rng = random.Random(seed)
    passages = [f"p{i:02d}" for i in range(25)]
    gold = {f"q{i:02d}": set(rng.sample(passages, rng.choice([1, 1, 1, 2]))) for i in range(60)}
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for doc_id in passages:
            fh.write(json.dumps({"id": doc_id, "title": "", "text": f"teks {doc_id}"}) + "\n")
    with open(folder / "queries.jsonl", "w", encoding="utf-8") as fh:
        for qid in gold:
            fh.write(json.dumps({"id": qid, "text": f"tanya {qid}"}) + "\n")
    with open(folder / "qrels.tsv", "w", encoding="utf-8") as fh:
        for qid, doc_ids in gold.items():
            for doc_id in sorted(doc_ids):
                fh.write(f"{qid}\t{doc_id}\t1\n")
    return gold


def test_folds_partition_the_questions_and_never_share_a_gold_passage(tmp_path):
    gold = write_dataset(tmp_path)
    seen: set[str] = set()
    passages_by_fold = []
    for k in (1, 2, 3):
        dataset = load_dataset(tmp_path, fold=(k, 3))
        assert dataset.fold == (k, 3)
        questions = {qid for qid, _ in dataset.queries}
        assert not questions & seen
        seen |= questions
        passages_by_fold.append(set().union(*(gold[q] for q in questions)) if questions else set())
    assert seen == set(gold)
    for a in range(3):
        for b in range(a + 1, 3):
            assert not passages_by_fold[a] & passages_by_fold[b]


def test_the_training_script_leaves_out_exactly_the_fold_eval_measures(tmp_path):
    gold = write_dataset(tmp_path)
    spec = importlib.util.spec_from_file_location("train_encoder", REPO / "scripts" / "train_encoder.py")
    train_encoder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_encoder)
    _, _, training_gold = train_encoder.read_dataset(tmp_path)
    for k in (1, 2):
        kept = train_encoder.without_fold(tmp_path, training_gold, (k, 2))
        measured = {qid for qid, _ in load_dataset(tmp_path, fold=(k, 2)).queries}
        assert set(kept) == set(gold) - measured
        assert measured  # both folds hold questions in this corpus


@pytest.mark.parametrize(("text", "expected"), [("1/5", (1, 5)), ("2/2", (2, 2)), (" 3 / 4 ", (3, 4))])
def test_parse_fold(text, expected):
    assert parse_fold(text) == expected


@pytest.mark.parametrize("text", ["1", "0/5", "6/5", "1/1", "a/b", "1/-2", ""])
def test_parse_fold_refuses(text):
    with pytest.raises(ValueError, match="K/N"):
        parse_fold(text)
