"""arsip.model.tokenizer against tokenizers on small tokenizer.json files built by construction.

The vocabularies are tiny and the scores chosen so the right segmentation is known: exact ties (tokenizers
keeps the path whose last piece starts earliest), gaps below float32 resolution at a long text's scores,
unknown characters (fused into one <unk>), special tokens typed in the text. The normaliser is
sentencepiece's own nmt_nfkc charsmap (what XLM-R's tokenizer.json carries, rebuilt by its trainer).
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from arsip.model.errors import TokenizerBuildError
from arsip.model.files import SCORES_FILE, SENTENCEPIECE_FILE
from arsip.model.tokenizer import ModelTokenizer, sentencepiece_model, write_sentencepiece_model

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"]


@pytest.fixture(scope="module")
def nmt_nfkc_charsmap() -> str:
    import sentencepiece
    from sentencepiece import sentencepiece_model_pb2 as pb

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(["hello world", "abc def ghi"] * 50),
        model_writer=model,
        vocab_size=18,
        normalization_rule_name="nmt_nfkc",
        hard_vocab_limit=False,
        minloglevel=2,
    )
    proto = pb.ModelProto()
    proto.ParseFromString(model.getvalue())
    return base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode()


def tokenizer_json(charsmap: str, pieces: dict[str, float]) -> dict:
    """A tokenizer.json shaped like model_build.transformers_tokenizer's output."""
    vocab = [[t, 0.0] for t in SPECIALS] + [[p, s] for p, s in pieces.items()] + [["<mask>", 0.0]]
    metaspace = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}
    added = [
        {"id": n, "content": t, "single_word": False, "lstrip": False, "rstrip": False}
        | {"normalized": False, "special": True}
        for n, t in [*enumerate(SPECIALS), (len(vocab) - 1, "<mask>")]
    ]
    special = {t: {"id": t, "ids": [SPECIALS.index(t)], "tokens": [t]} for t in ("<s>", "</s>")}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Precompiled", "precompiled_charsmap": charsmap},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"}, metaspace]},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [
                {"SpecialToken": {"id": "<s>", "type_id": 0}},
                {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "</s>", "type_id": 0}},
            ],
            "pair": [],
            "special_tokens": special,
        },
        "decoder": dict(metaspace),
        "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False},
    }


def build(tmp_path: Path, data: dict) -> tuple[Tokenizer, ModelTokenizer]:
    (tmp_path / "tokenizer.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    write_sentencepiece_model(tmp_path)
    return Tokenizer.from_file(str(tmp_path / "tokenizer.json")), ModelTokenizer.from_folder(tmp_path)


def ids_of(data: dict, *pieces: str) -> list[int]:
    index = {piece: n for n, (piece, _) in enumerate(data["model"]["vocab"])}
    return [0, *(index[p] for p in pieces), 2]


def test_exact_tie_keeps_the_path_whose_last_piece_starts_earliest(tmp_path, nmt_nfkc_charsmap):
    data = tokenizer_json(nmt_nfkc_charsmap, {"▁(": -2.0, "W": -3.0, "WW": -5.0, ")": -2.0, "▁": -9.0})
    reference, ours = build(tmp_path, data)
    expected = ids_of(data, "▁(", "W", "WW", ")")  # W+WW and WW+W both score -10
    assert reference.encode("(WWW)").ids == expected
    assert ours.encode("(WWW)") == expected


def test_gap_below_float32_resolution_after_a_long_text(tmp_path, nmt_nfkc_charsmap):
    """sentencepiece's float32 Viterbi over the whole text loses this 8.5e-5 gap at a score of ~ -3000."""
    scores = {"▁x": -3.2187, "▁Seb": -13.362322807312012, "um": -8.403388023376465}
    scores |= {"▁Se": -8.802419662475586, "bum": -12.96337604522705, "▁": -15.0}
    scores |= {c: -16.0 for c in "Sebum"}
    data = tokenizer_json(nmt_nfkc_charsmap, scores)
    reference, ours = build(tmp_path, data)
    text = "x " * 2000 + "Sebum"
    expected = [*ids_of(data, *["▁x"] * 2000, "▁Seb", "um")]
    assert reference.encode(text).ids == expected
    assert ours.encode(text) == expected
    assert ours.processor.encode(text)[-2:] != expected[-3:-1]  # what sentencepiece alone would give


def test_unknown_characters_fuse_and_special_tokens_split(tmp_path, nmt_nfkc_charsmap):
    data = tokenizer_json(nmt_nfkc_charsmap, {"▁a": -1.0, "a": -2.0, "b": -2.0, "▁b": -1.0, "▁": -5.0})
    reference, ours = build(tmp_path, data)
    texts = ["a☃☃b", "☃", "a<s>b</s>", "ａ＜s＞ b", "<mask>a <pad>", "  a \u0085 b\u3000", "", "   "]
    assert [ours.encode(t) for t in texts] == [e.ids for e in reference.encode_batch(texts)]
    assert ours.encode("a☃☃b") == [0, ours.token_to_id("▁a"), 3, ours.token_to_id("b"), 2]
    assert ours.encode_batch(texts) == [ours.encode(t) for t in texts]


def test_files_and_token_lookup(tmp_path, nmt_nfkc_charsmap):
    data = tokenizer_json(nmt_nfkc_charsmap, {"▁a": -1.0})
    _, ours = build(tmp_path, data)
    assert (tmp_path / SENTENCEPIECE_FILE).exists() and (tmp_path / SCORES_FILE).stat().st_size == 6 * 8
    pieces = ("<s>", "<pad>", "</s>", "<unk>", "▁a", "<mask>")
    assert [ours.token_to_id(t) for t in pieces] == [0, 1, 2, 3, 4, 5]
    assert ours.token_to_id("absent") is None


def test_other_pipelines_are_refused(nmt_nfkc_charsmap):
    data = tokenizer_json(nmt_nfkc_charsmap, {"▁a": -1.0})
    data["pre_tokenizer"]["pretokenizers"][1]["prepend_scheme"] = "first"
    with pytest.raises(TokenizerBuildError, match="prepend always"):
        sentencepiece_model(data)
    data = tokenizer_json(nmt_nfkc_charsmap, {"▁a": -1.0})
    data["model"]["type"] = "BPE"
    with pytest.raises(TokenizerBuildError, match="Unigram"):
        sentencepiece_model(data)


def test_install_adds_the_files_to_a_folder_built_before_them(tmp_path, nmt_nfkc_charsmap):
    from arsip.model.files import IDENTITY_FILE
    from arsip.model.install import install_model

    data = tokenizer_json(nmt_nfkc_charsmap, {"▁a": -1.0})
    (tmp_path / "tokenizer.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / IDENTITY_FILE).write_text('{"name": "kept as is"}')
    assert install_model(tmp_path) == tmp_path
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [IDENTITY_FILE, "tokenizer.json", SENTENCEPIECE_FILE, SCORES_FILE]
    )
    assert (tmp_path / IDENTITY_FILE).read_text() == '{"name": "kept as is"}'
    assert ModelTokenizer.from_folder(tmp_path).encode("a") == [0, 4, 2]
