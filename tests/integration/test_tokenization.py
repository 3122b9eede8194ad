"""arsip.model.tokenizer gives exactly tokenizers' ids for the model's tokenizer.json.

Built fresh from the installed model's tokenizer.json into a temporary folder; the reference is
``tokenizers.Tokenizer.from_file`` on the same file (what every index and the quality gate used).
docs/decisions/tokenizer/compare_tokenizers.py does the same on ~200k real texts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from arsip.model.files import SCORES_FILE, SENTENCEPIECE_FILE
from arsip.model.tokenizer import ModelTokenizer, write_sentencepiece_model

pytestmark = pytest.mark.model  # needs the installed model's tokenizer.json

EDGE_CASES = [
    "",
    " ",
    "     ",
    "\t\n\r ",
    "passage: ",
    "query: ",
    "query: Siapa presiden pertama Indonesia?",
    "passage: Jakarta adalah ibu kota Indonesia.",
    "two  spaces,   three,\ttab,\nnewline,\r\ncrlf",
    "  leading and trailing  ",
    "trailing\n",
    "nbsp\u00a0here, ideographic\u3000space, thin\u2009space, narrow\u202fnbsp, line\u2028sep",
    "next\u0085line and vertical\x0btab and form\x0cfeed",
    "ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ １２３ ｶﾀｶﾅ ﬁ ligature ① ² ㎏",
    "combining: e\u0301 a\u0308 n\u0303, precomposed: é ä ñ, alone: \u0301 \u00a8 \u00b4",
    "emoji 😀👍🏽 👨‍👩‍👧 🇮🇩 ❤️",
    "中文字符测试 日本語のテキスト 한국어 텍스트",
    "مرحبا بالعالم، هذا اختبار",
    "עברית ไทย हिन्दी Ελληνικά Русский",
    "control\x00chars\x01\x07\x1b[0m\x7f\u200b\u200c\u200d\ufeff",
    "(WWW) Sebum ======== ---------- ........ !!!!!!",
    "a▁b ▁▁x ▁ y▁",
    "special <s> <pad> </s> <unk> <mask> tokens, glued<s>x</s>y, ＜unk＞ ＜s＞, <S> < s >",
    "𠀀𠀁𠀂 rare CJK, 𓀀 hieroglyph, \U0010fffd private",
    "http://example.com/path?q=1&r=2#frag user@mail.co.id 08123456789 Rp1.500.000,00",
    "Pasal 33 ayat (3) UUD 1945: \u201cBumi dan air\u201d \u2013 dikuasai \u2014 oleh negara\u2026",
    "x" * 3000,
    " ".join(["kata"] * 2000),
    "Repotnya memiliki , berminyak bukan hanya kerap membuatmu harus membawa Kertas. " * 60,
]


@pytest.fixture(scope="module")
def tokenizers_pair(base_settings, tmp_path_factory):
    """(tokenizers' Tokenizer, ours), both from the installed model's tokenizer.json."""
    from tokenizers import Tokenizer

    source = Path(base_settings.model_path) / "tokenizer.json"
    if not source.exists():
        pytest.fail(f"No model at {base_settings.model_path} (`make test` builds it)", pytrace=False)
    folder = tmp_path_factory.mktemp("tokenizer")
    (folder / "tokenizer.json").symlink_to(source.resolve())
    write_sentencepiece_model(folder)
    return Tokenizer.from_file(str(source)), ModelTokenizer.from_folder(folder)


def test_build_writes_both_files(tokenizers_pair, tmp_path_factory):
    reference, ours = tokenizers_pair
    assert ours.processor.get_piece_size() == reference.get_vocab_size() == len(ours.scores)
    for piece in ("<s>", "<pad>", "</s>", "<unk>", "<mask>", "▁Jakarta"):
        assert ours.token_to_id(piece) == reference.token_to_id(piece)
    assert ours.token_to_id("no-such-piece-anywhere") is None


@pytest.mark.parametrize("text", EDGE_CASES, ids=range(len(EDGE_CASES)))
def test_edge_cases_give_tokenizers_ids(tokenizers_pair, text):
    reference, ours = tokenizers_pair
    assert ours.encode(text) == reference.encode(text).ids


def test_batch_equals_single(tokenizers_pair):
    reference, ours = tokenizers_pair
    assert ours.encode_batch(EDGE_CASES) == [e.ids for e in reference.encode_batch(EDGE_CASES)]
    assert ours.encode_batch([]) == []


@pytest.mark.slow  # ~13 s: 1.1M code points, twice
def test_every_code_point_alone_and_between_letters(tokenizers_pair):
    """Each code point (no surrogates), as a word and inside one: normaliser, whitespace and unknowns."""
    reference, ours = tokenizers_pair
    points = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    texts = [" ".join(f"{c} a{c}b" for c in points[i : i + 64]) for i in range(0, len(points), 64)]
    expected = [e.ids for e in reference.encode_batch(texts)]
    got = ours.encode_batch(texts)
    bad = [texts[n][:80] for n, (a, b) in enumerate(zip(expected, got, strict=True)) if a != b]
    assert bad == [], f"{len(bad)} of {len(texts)} blocks of 64 code points differ, first: {bad[:3]!r}"


def test_missing_model_file_is_built_once_out_of_process(tokenizers_pair, base_settings, tmp_path):
    """A folder built before the files existed gets them from a child process, with the same ids."""
    reference, _ = tokenizers_pair
    source = Path(base_settings.model_path) / "tokenizer.json"
    (tmp_path / "tokenizer.json").symlink_to(source.resolve())
    tokenizer = ModelTokenizer.from_folder(tmp_path)
    assert (tmp_path / SENTENCEPIECE_FILE).exists() and (tmp_path / SCORES_FILE).exists()
    assert tokenizer.encode_batch(EDGE_CASES) == [e.ids for e in reference.encode_batch(EDGE_CASES)]


def test_folder_without_tokenizer_json_is_a_clear_error(tmp_path):
    from arsip.model.errors import ModelNotInstalled

    with pytest.raises(ModelNotInstalled, match="arsip model install"):
        ModelTokenizer.from_folder(tmp_path)
