"""Entity tagging parts with answers known by construction: words and offsets, normalised names and
roles, case features, spans from given labels, and the stored fields of a passage and its document."""

from __future__ import annotations

from arsip.entities.features import is_cased, sentence_features
from arsip.entities.names import normalise_name, split_role
from arsip.entities.tagger import Mention, _spans
from arsip.entities.tokens import sentences, tokenize
from indexer.entities import document_entities, passage_entities


def test_tokens_keep_hyphens_abbreviations_and_offsets():
    text = "Pj. Sekda Hendra Kusuma, Kemenpan-RB dan Bawaslu."
    tokens = tokenize(text)
    assert [t.text for t in tokens] == [
        "Pj.", "Sekda", "Hendra", "Kusuma", ",", "Kemenpan-RB", "dan", "Bawaslu", ".",
    ]  # fmt: skip
    assert all(text[t.start : t.end] == t.text for t in tokens)


def test_sentences_end_at_marks_and_line_breaks():
    text = "Satu dua. Tiga empat\nLima enam"
    groups = sentences(tokenize(text), text)
    assert [[t.text for t in s] for s in groups] == [
        ["Satu", "dua", "."],
        ["Tiga", "empat"],
        ["Lima", "enam"],
    ]


def test_names_are_normalised_whatever_the_case_and_spacing():
    assert normalise_name("Muhammad  hudori") == "Muhammad Hudori"
    assert normalise_name("MUHAMMAD HUDORI") == "Muhammad Hudori"
    assert normalise_name(" “Bawaslu”, ") == "Bawaslu"
    assert normalise_name("KPU") == "KPU"
    assert normalise_name("Kemenpan-RB") == "Kemenpan-RB"
    assert (
        normalise_name("kementerian pendayagunaan aparatur negara DAN reformasi birokrasi")
        == "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi"
    )


def test_roles_are_kept_apart_from_the_name():
    assert split_role(["Gubernur", "Ridwan", "Kamil"]) == ("Gubernur", ["Ridwan", "Kamil"])
    assert split_role(["pj", "sekda", "hendra"]) == ("Pj. Sekda", ["hendra"])
    assert split_role(["Wakil", "Bupati", "Ani"]) == ("Wakil Bupati", ["Ani"])
    assert split_role(["Hudori"]) == (None, ["Hudori"])
    assert split_role(["Bupati"]) == (None, ["Bupati"])  # a role alone is no name: the tagger drops it


def test_case_features_only_for_cased_sentences():
    assert is_cased(["Muhammad", "hudori"]) and not is_cased(["muhammad", "hudori"])
    assert not is_cased(["KPU", "JAKARTA"])
    cased = sentence_features(["Muhammad", "Hudori", "berkata"])
    lower = sentence_features(["muhammad", "hudori", "berkata"])
    assert cased[0]["shape"] == "Xx" and cased[0]["title"] == 1.0
    assert not any(k.endswith(("shape", "title", "upper", "title_mid")) for f in lower for k in f)
    assert {
        k: v for k, v in cased[1].items() if not k.endswith(("shape", "title", "upper", "title_mid"))
    } == lower[1]


def test_spans_from_labels_with_roles_before_and_inside():
    text = "Gubernur Ridwan Kamil dan Pj. Sekda hendra kusuma di Bandung ."
    sentence = tokenize(text)
    labels = ["O", "B-PER", "I-PER", "O", "B-PER", "I-PER", "I-PER", "I-PER", "O", "B-LOC", "O"]
    found = _spans(sentence, labels)
    assert [(m.kind, m.name, m.role) for m in found] == [
        ("person", "Ridwan Kamil", "Gubernur"),
        ("person", "Hendra Kusuma", "Pj. Sekda"),
        ("place", "Bandung", None),
    ]
    assert text[found[1].start : found[1].end] == "hendra kusuma"


def test_a_span_of_a_role_alone_or_marks_is_dropped():
    sentence = tokenize("Bupati , hadir")
    assert _spans(sentence, ["B-PER", "O", "O"]) == []
    assert _spans(sentence, ["O", "B-ORG", "O"]) == []


def test_passage_fields_and_document_union():
    first = passage_entities(
        [
            Mention("person", "Muhammad Hudori", 0, 15, "Sekjen"),
            Mention("org", "Bawaslu", 20, 27),
            Mention("person", "Muhammad Hudori", 40, 47),
        ]
    )
    assert first["entities"] == {"person": ["Muhammad Hudori"], "org": ["Bawaslu"]}
    assert first["entity_roles"] == ["Muhammad Hudori|Sekjen"]
    assert first["entity_mentions"][1] == ["org", 20, 27, "Bawaslu"]
    second = passage_entities([Mention("place", "Bandung", 3, 10), Mention("org", "KPU", 12, 15)])
    empty = passage_entities([])
    assert empty == {"entities": None, "entity_roles": None, "entity_mentions": None}
    assert document_entities([first, second, empty]) == {
        "person": ["Muhammad Hudori"],
        "org": ["Bawaslu", "KPU"],
        "place": ["Bandung"],
    }
    assert document_entities([empty]) is None


def test_organisation_rules_on_cased_sentences_only():
    from arsip.entities.rules import apply_org_rules, org_spans

    words = [
        "Hadir",
        "Kementerian",
        "Dalam",
        "Negeri",
        "dan",
        "Kementerian",
        "Sosial",
        "serta",
        "Bawaslu",
        "dan",
        "KPU",
        ".",
    ]
    assert org_spans(words) == [(1, 4), (5, 7), (8, 9), (10, 11)]
    labels = apply_org_rules(words, ["O"] * len(words), cased=True)
    assert labels[1:4] == ["B-ORG", "I-ORG", "I-ORG"] and labels[8] == "B-ORG" and labels[4] == "O"
    lower = [w.lower() for w in words]
    assert apply_org_rules(lower, ["O"] * len(words), cased=False) == ["O"] * len(words)
    # a span that cuts into another entity takes it whole
    cut = apply_org_rules(["Badan", "Pusat", "Statistik"], ["O", "B-LOC", "I-LOC"], cased=True)
    assert cut == ["B-ORG", "I-ORG", "I-ORG"]


def test_the_shipped_model_finds_the_press_release_names():
    from arsip.entities.tagger import EntityTagger
    from tests.conftest import PRESS_RELEASE

    found = EntityTagger().mentions(PRESS_RELEASE.read_text(encoding="utf-8"))
    names = {(m.kind, m.name) for m in found}
    assert {("person", "Muhammad Hudori"), ("person", "Dwi Wahyu Atmaji")} <= names
    assert {("org", "Kementerian Dalam Negeri"), ("org", "Kemenpan-RB"), ("org", "Bawaslu")} <= names
    assert ("person", "Hendra Kusuma") in names
    assert next(m.role for m in found if m.name == "Hendra Kusuma") == "Pj. Sekda"
