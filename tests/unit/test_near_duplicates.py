"""Near-duplicate grouping on texts whose answer is known by construction (no server)."""

from __future__ import annotations

import json

import pytest

from arsip.settings import Settings
from indexer.cleaning import clean_text
from indexer.near_duplicates import (
    BANDS,
    BANDS_FIELD,
    GROUP_FIELD,
    NUM_PERM,
    SIGNATURE_FIELD,
    NearDuplicateGrouper,
    StoredDocument,
    decode_signature,
    encode_signature,
    shingles,
    signature,
)
from tests.conftest import NEWS_SAMPLE


def _articles(n: int) -> list[tuple[str, str]]:
    """Real, mutually unrelated news articles (the bundled sample holds no near-duplicates)."""
    with open(NEWS_SAMPLE, encoding="utf-8") as fh:
        records = [json.loads(line) for _, line in zip(range(n), fh, strict=False)]
    return [(r["id"], clean_text(r["text"])) for r in records]


def _edited(text: str, *, drop_last: bool = True, marker: str = "") -> str:
    """A syndicated copy: another outlet's dateline, a few words changed, the last sentence cut."""
    copy = f"JAKARTA, KOMPAS.com - {text}"
    copy = copy.replace(" yang ", " yg ", 2).replace(" dan ", " serta ", 1)
    if drop_last:
        copy = copy.rsplit(".", 2)[0] + "."
    return copy + (f" (red/{marker})" if marker else "")


ARTICLES = _articles(6)


def test_copy_with_small_edits_joins_the_first_documents_group() -> None:
    (first_id, text), (other_id, other_text) = ARTICLES[0], ARTICLES[1]
    grouper = NearDuplicateGrouper()
    result = grouper.assign([(first_id, text), ("copy", _edited(text)), (other_id, other_text)])
    assert result[first_id].group == first_id and result[first_id].similarity is None
    assert result["copy"].group == first_id
    assert result["copy"].similarity is not None and result["copy"].similarity >= 0.5
    assert result[other_id].group == other_id  # unrelated: a group of its own


def test_unrelated_articles_each_keep_their_own_group() -> None:
    result = NearDuplicateGrouper().assign(ARTICLES)
    assert {doc_id: fields.group for doc_id, fields in result.items()} == {d: d for d, _ in ARTICLES}


def test_three_copies_across_batches_form_one_group_named_by_the_first() -> None:
    doc_id, text = ARTICLES[2]
    grouper = NearDuplicateGrouper()
    first = grouper.assign([("b-copy", _edited(text, marker="ant")), (doc_id, text)])
    second = grouper.assign([("c-copy", _edited(text, drop_last=False, marker="xyz")), ARTICLES[3]])
    assert first["b-copy"].group == "b-copy"  # indexed first: it names the group, whatever its id
    assert first[doc_id].group == "b-copy"
    assert second["c-copy"].group == "b-copy"
    assert second[ARTICLES[3][0]].group == ARTICLES[3][0]


def test_grouping_is_deterministic() -> None:
    batch = [
        ARTICLES[4],
        ("copy-1", _edited(ARTICLES[4][1])),
        ("copy-2", _edited(ARTICLES[4][1], marker="a")),
    ]
    runs = [NearDuplicateGrouper().assign(batch) for _ in range(2)]
    assert runs[0] == runs[1]
    assert {fields.group for fields in runs[0].values()} == {ARTICLES[4][0]}


def test_threshold_decides_between_join_and_own_group() -> None:
    doc_id, text = ARTICLES[0]
    half = text[: len(text) // 2]  # the first half of the article: Jaccard about 0.5 of the whole
    similarity = (
        NearDuplicateGrouper(threshold=0.01).assign([(doc_id, text), ("half", half)])["half"].similarity
    )
    assert similarity is not None and 0.2 < similarity < 0.8
    strict = NearDuplicateGrouper(threshold=min(1.0, similarity + 0.05)).assign(
        [(doc_id, text), ("half", half)]
    )
    assert strict["half"].group == "half"
    loose = NearDuplicateGrouper(threshold=similarity).assign([(doc_id, text), ("half", half)])
    assert loose["half"].group == doc_id


def test_documents_of_an_earlier_run_are_found_through_the_lookup() -> None:
    """An earlier run's output, looked up by band key as the index does, gives the group."""
    earlier = NearDuplicateGrouper().assign(ARTICLES[:3])
    stored = {doc_id: fields for doc_id, fields in earlier.items()}
    asked: list[tuple[int, set[str]]] = []

    def lookup(keys: list[str], batch_ids: set[str]) -> list[StoredDocument]:
        asked.append((len(keys), batch_ids))
        return [
            StoredDocument(doc_id, fields.group, fields.signature)
            for doc_id, fields in stored.items()
            if doc_id not in batch_ids and set(fields.bands) & set(keys)
        ]

    later = NearDuplicateGrouper(lookup=lookup).assign(
        [("wire-copy", _edited(ARTICLES[1][1])), ARTICLES[4], (ARTICLES[2][0], ARTICLES[2][1] + " Ralat.")]
    )
    assert later["wire-copy"].group == ARTICLES[1][0]
    assert later[ARTICLES[4][0]].group == ARTICLES[4][0]
    assert later[ARTICLES[2][0]].group == ARTICLES[2][0]  # its own stored version is not a candidate
    assert asked == [(3 * BANDS, {"wire-copy", ARTICLES[4][0], ARTICLES[2][0]})]  # one lookup per batch


def test_a_stored_document_keeps_its_group_name_when_a_copy_joins_it() -> None:
    stored = StoredDocument("old-copy", "older-leader", encode_signature(signature(ARTICLES[0][1])))
    grouper = NearDuplicateGrouper(lookup=lambda keys, ids: [stored])
    assert grouper.assign([("new", _edited(ARTICLES[0][1]))])["new"].group == "older-leader"


def test_the_window_bounds_what_the_run_remembers() -> None:
    doc_id, text = ARTICLES[0]
    grouper = NearDuplicateGrouper(window=1)
    grouper.assign([(doc_id, text)])
    grouper.assign([ARTICLES[1]])  # pushes the first one out
    assert grouper.assign([("copy", _edited(text))])["copy"].group == "copy"


def test_passage_fields_put_bands_and_signature_on_the_first_passage_only() -> None:
    fields = NearDuplicateGrouper().assign([ARTICLES[0]])[ARTICLES[0][0]]
    first = fields.passage_fields(0)
    assert first[GROUP_FIELD] == ARTICLES[0][0]
    assert len(first[BANDS_FIELD]) == BANDS == len(set(first[BANDS_FIELD]))
    assert decode_signature(first[SIGNATURE_FIELD]) == signature(ARTICLES[0][1])
    assert fields.passage_fields(3) == {GROUP_FIELD: ARTICLES[0][0]}


def test_text_without_words_is_its_own_group_without_bands() -> None:
    result = NearDuplicateGrouper().assign([("a", "— … —"), ("b", "— … —")])
    assert result["a"].group == "a" and result["b"].group == "b"
    assert result["a"].passage_fields(0) == {GROUP_FIELD: "a"}


def test_shingles_and_signature_encoding() -> None:
    assert shingles("Satu dua tiga empat lima enam") == {
        b"satu dua tiga empat lima",
        b"dua tiga empat lima enam",
    }
    assert shingles("Rapat  kerja, DPRD!") == {b"rapat kerja dprd"}  # a short text is one shingle
    assert shingles("...") == set()
    minhash = signature(ARTICLES[0][1])
    assert len(minhash) == NUM_PERM
    assert decode_signature(encode_signature(minhash)) == minhash
    assert decode_signature("AAAA") is None  # another number of permutations
    assert decode_signature("not base64!") is None


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env().near_dup is True
    assert Settings.from_env().near_dup_threshold == 0.5
    monkeypatch.setenv("ARSIP_NEAR_DUP", "0")
    monkeypatch.setenv("ARSIP_NEAR_DUP_THRESHOLD", "0.7")
    assert (Settings.from_env().near_dup, Settings.from_env().near_dup_threshold) == (False, 0.7)
    monkeypatch.setenv("ARSIP_NEAR_DUP_THRESHOLD", "1.5")
    with pytest.raises(ValueError, match="ARSIP_NEAR_DUP_THRESHOLD"):
        Settings.from_env()
