"""Find person, organisation and place names in text with the shipped CRF (arsip/entities/model/).

Index time calls ``EntityTagger().mentions(text)``: words and sentences (``tokens``), the CRF's labels
(``features``) with the organisation rules on top (``rules``), then spans with normalised names
(``names``); a person's role (Gubernur, Sekda…) written just before the name or inside the span is kept
apart from the name. Tagging is CRFsuite's Viterbi over a few dozen features per word (docs/entities.md
has the cost per passage).
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from arsip.entities.features import is_cased, sentence_features
from arsip.entities.model_file import MODEL_PATH, MODEL_VERSION
from arsip.entities.names import normalise_name, role_length, role_spelling, split_role
from arsip.entities.rules import apply_org_rules
from arsip.entities.tokens import Token, sentences, tokenize

KINDS = {"PER": "person", "ORG": "org", "LOC": "place"}  # the model's labels → the index's names
MIN_NAME_CHARS = 2


class EntityModelMissing(RuntimeError):
    """The shipped model file is not where the package expects it (a broken install)."""


class Mention(NamedTuple):
    kind: str  # person | org | place
    name: str  # normalised
    start: int  # character offsets of the name in the text
    end: int
    role: str | None = None  # a person's office or title, not part of the name


class EntityTagger:
    """One loaded CRF; ``mentions`` is safe to call from several threads (one tagging at a time)."""

    version = MODEL_VERSION

    def __init__(self, path=MODEL_PATH) -> None:
        import pycrfsuite

        if not path.exists():
            raise EntityModelMissing(
                f"The entity model {path} is missing; reinstall arsip or train it with "
                "`python scripts/train_entities.py crf --save`."
            )
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._lock = threading.Lock()

    def labels(self, words: list[str]) -> list[str]:
        """The BIO labels of one sentence's words: the CRF's, then the organisation rules' (``rules``)."""
        with self._lock:
            labels = self._tagger.tag(sentence_features(words))
        return apply_org_rules(words, labels, is_cased(words))

    def mentions(self, text: str) -> list[Mention]:
        """Every person / organisation / place named in ``text``, in order."""
        out: list[Mention] = []
        for sentence in sentences(tokenize(text), text):
            words = [t.text for t in sentence]
            out += _spans(sentence, self.labels(words))
        return out


def _spans(sentence: list[Token], labels: list[str]) -> list[Mention]:
    out: list[Mention] = []
    i = 0
    while i < len(labels):
        label = labels[i]
        if label == "O" or label[2:] not in KINDS:
            i += 1
            continue
        kind = label[2:]
        j = i + 1
        while j < len(labels) and labels[j] == f"I-{kind}":
            j += 1
        mention = _mention(sentence, i, j, KINDS[kind])
        if mention is not None:
            out.append(mention)
        i = j
    return out


def _mention(sentence: list[Token], i: int, j: int, kind: str) -> Mention | None:
    tokens = sentence[i:j]
    role = None
    if kind == "person":
        role, kept = split_role([t.text for t in tokens])
        tokens = tokens[len(tokens) - len(kept) :]
        if role is None:
            role = _role_before(sentence, i)
    while tokens and not any(c.isalnum() for c in tokens[-1].text):
        tokens = tokens[:-1]
    if not tokens:
        return None
    name = normalise_name(" ".join(t.text for t in tokens))
    if len(name) < MIN_NAME_CHARS or name.isdigit() or role_length(name.split()) == len(name.split()):
        return None
    return Mention(kind, name, tokens[0].start, tokens[-1].end, role)


def _role_before(sentence: list[Token], i: int) -> str | None:
    """A role written right before a person's name: ``Gubernur Ridwan Kamil``, ``Pj. Sekda Hendra``."""
    for start in range(max(0, i - 4), i):
        words = [t.text for t in sentence[start:i]]
        if role_length(words) == len(words):
            return role_spelling(words)
    return None
