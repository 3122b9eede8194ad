"""The model's tokenizer: the XLM-R Unigram vocabulary of ``tokenizer.json`` without ``tokenizers``.

Why: ``tokenizers``' Unigram model holds the 250k pieces in ~285 MiB of RSS, a third of the query server.
Here Google's sentencepiece holds them (a model built from ``tokenizer.json`` at ``arsip model install``:
pieces in its vocabulary order, so ids match, and the same precompiled normaliser) in ~57 MiB and does
the normalisation (NFKC-style charsmap, whitespace → ▁). The segmentation itself is tokenizers' own
Viterbi, mirrored in Python per word over the float64 scores of ``tokenizer.json`` (a side file): the
sentencepiece Viterbi sums scores in float32 over the whole text, and its rounding picks another of two
(near-)equal segmentations often enough to matter (news_clickid "Sebum", tydiqa_id "(WWW)"). Token ids are
therefore identical to tokenizers' for the pipeline ``arsip.model.install.transformers_tokenizer`` writes:
every index and the encoders' quality gate depend on them (docs/decisions/tokenizer/: compare_tokenizers.py,
217,954 real texts, 0 mismatches; measure_tokenizers.py, memory and speed of both).

Building parses a 17 MB JSON (hundreds of MiB of transient Python objects), so it happens in ``arsip model
install``, or once in a child process for a folder built before these files existed; never in a server.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import tempfile
from array import array
from functools import lru_cache
from pathlib import Path

from arsip.model.errors import ModelNotInstalled, TokenizerBuildError
from arsip.model.files import SCORES_FILE, SENTENCEPIECE_FILE, TOKENIZER_JSON

BOS, PAD, EOS, UNK, MASK = "<s>", "<pad>", "</s>", "<unk>", "<mask>"
# tokenizers matches these added tokens in the raw text (normalized: false) before anything else and
# tokenises the text between them on its own; sentencepiece never matches control pieces in its input.
SPECIAL_SPLIT = re.compile("(" + "|".join(re.escape(t) for t in (BOS, PAD, EOS, UNK, MASK)) + ")")
# tokenizers' WhitespaceSplit splits on every Unicode White_Space character after normalising; the charsmap
# turns all of them into U+0020 (U+000B it deletes) except NEXT LINE, which sentencepiece would keep.
NEXT_LINE_AS_SPACE = str.maketrans({"\u0085": " "})
# Metaspace(split=True): words start at each ▁ (merged with what follows).
WORDS = re.compile("\u2581[^\u2581]*|[^\u2581]+")
UNKNOWN_PENALTY = 10.0  # tokenizers (and sentencepiece): an unknown character scores min score - 10


def sentencepiece_model(tokenizer: dict) -> bytes:
    """A serialized SentencePiece ModelProto equivalent to the ``tokenizer.json`` pipeline ``tokenizer``.

    Pipeline expected (what ``install`` writes): Precompiled normaliser, WhitespaceSplit + Metaspace
    (▁, prepend always, split), Unigram without byte fallback, ``<s> A </s>`` post-processing.
    """
    from sentencepiece import sentencepiece_model_pb2 as pb

    _check_pipeline(tokenizer)
    piece_types = {
        BOS: pb.ModelProto.SentencePiece.CONTROL,
        PAD: pb.ModelProto.SentencePiece.CONTROL,
        EOS: pb.ModelProto.SentencePiece.CONTROL,
        UNK: pb.ModelProto.SentencePiece.UNKNOWN,
        MASK: pb.ModelProto.SentencePiece.CONTROL,
    }
    vocab = tokenizer["model"]["vocab"]
    proto = pb.ModelProto()
    for piece, score in vocab:  # vocabulary order = token id
        entry = proto.pieces.add()
        entry.piece = piece
        entry.score = score
        entry.type = piece_types.get(piece, pb.ModelProto.SentencePiece.NORMAL)
    ids = {piece: n for n, (piece, _) in enumerate(vocab)}
    trainer = proto.trainer_spec
    trainer.model_type = pb.TrainerSpec.UNIGRAM
    trainer.vocab_size = len(vocab)
    trainer.unk_id, trainer.bos_id, trainer.eos_id, trainer.pad_id = ids[UNK], ids[BOS], ids[EOS], ids[PAD]
    trainer.unk_piece, trainer.bos_piece, trainer.eos_piece, trainer.pad_piece = UNK, BOS, EOS, PAD
    trainer.byte_fallback = False
    normalizer = proto.normalizer_spec
    normalizer.name = "precompiled_from_tokenizer_json"
    normalizer.precompiled_charsmap = base64.b64decode(tokenizer["normalizer"]["precompiled_charsmap"])
    # Metaspace prepend "always" + WhitespaceSplit: each run of whitespace is one ▁, none at the ends.
    normalizer.add_dummy_prefix = True
    normalizer.remove_extra_whitespaces = True
    normalizer.escape_whitespaces = True
    return proto.SerializeToString()


def _check_pipeline(tokenizer: dict) -> None:
    model = tokenizer.get("model", {})
    pre = tokenizer.get("pre_tokenizer") or {}
    steps = [p.get("type") for p in pre.get("pretokenizers", [])]
    metaspace = (pre.get("pretokenizers") or [{}])[-1]
    single = (tokenizer.get("post_processor") or {}).get("single", [])
    template = [next(iter(step.values()))["id"] for step in single]
    added = {t["content"]: t for t in tokenizer.get("added_tokens", [])}
    vocab = [piece for piece, _ in model.get("vocab", [])]
    problems = [
        what
        for what, ok in (
            ("a Unigram model", model.get("type") == "Unigram" and not model.get("byte_fallback")),
            ("a Precompiled normalizer", (tokenizer.get("normalizer") or {}).get("type") == "Precompiled"),
            ("WhitespaceSplit then Metaspace", steps == ["WhitespaceSplit", "Metaspace"]),
            (
                "Metaspace(▁, prepend always, split)",
                (metaspace.get("replacement"), metaspace.get("prepend_scheme"), metaspace.get("split"))
                == ("\u2581", "always", True),
            ),
            ("the <s> A </s> template", template == [BOS, "A", EOS]),
            (
                "the special tokens <s> <pad> </s> <unk> <mask> in the vocabulary, matched unnormalised",
                all(
                    t in vocab and t in added and not added[t]["normalized"]
                    for t in (BOS, PAD, EOS, UNK, MASK)
                )
                and set(added) == {BOS, PAD, EOS, UNK, MASK},
            ),
        )
        if not ok
    ]
    if problems:
        raise TokenizerBuildError(
            "tokenizer.json is not the pipeline arsip.model.tokenizer reproduces; expected "
            + ", ".join(problems)
        )


def write_sentencepiece_model(folder: Path) -> Path:
    """Write the sentencepiece model and scores from ``folder/tokenizer.json`` (atomically, scores first)."""
    folder = Path(folder)
    tokenizer = json.loads((folder / TOKENIZER_JSON).read_text(encoding="utf-8"))
    scores = array("d", (score for _, score in tokenizer["model"]["vocab"]))
    if sys.byteorder != "little":
        scores.byteswap()
    data = sentencepiece_model(tokenizer)
    del tokenizer
    _write_atomically(folder / SCORES_FILE, scores.tobytes())  # first: the model file marks a complete build
    return _write_atomically(folder / SENTENCEPIECE_FILE, data)


def _write_atomically(target: Path, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


class ModelTokenizer:
    """Token ids exactly as ``tokenizers.Tokenizer.from_file(tokenizer.json)`` gives them (``<s> … </s>``).

    No truncation or padding: the embedders do both on the ids.
    """

    def __init__(self, model_file: Path, scores_file: Path | None = None) -> None:
        import sentencepiece

        model_file = Path(model_file)
        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self.scores = array("d")
        self.scores.frombytes((scores_file or model_file.with_name(SCORES_FILE)).read_bytes())
        if sys.byteorder != "little":
            self.scores.byteswap()
        if len(self.scores) != self.processor.get_piece_size():
            raise TokenizerBuildError(f"{model_file} and its scores disagree; rerun `arsip model install`")
        self.bos_id = self.processor.bos_id()
        self.eos_id = self.processor.eos_id()
        self.unk_id = self.processor.unk_id()
        self.unknown_score = min(self.scores) - UNKNOWN_PENALTY
        self.longest_piece = max(len(self.processor.id_to_piece(n)) for n in range(len(self.scores)))
        # Words repeat (Zipf): each distinct word is segmented once; 16k short entries are a few MiB.
        self.word_ids = lru_cache(maxsize=16384)(self._segment)

    @classmethod
    def from_folder(cls, folder: Path) -> ModelTokenizer:
        """The folder's tokenizer; a folder built before ``sentencepiece.model`` existed gets it once."""
        folder = Path(folder)
        model_file = folder / SENTENCEPIECE_FILE
        if not model_file.exists():
            build_in_child_process(folder)
        return cls(model_file)

    def token_to_id(self, piece: str) -> int | None:
        n = self.processor.piece_to_id(piece)
        return None if n == self.unk_id and piece != UNK else n

    def encode(self, text: str) -> list[int]:
        return self.encode_batch([text])[0]

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        """One list of ids per text, ``<s>`` first and ``</s>`` last."""
        return [self._encode(text) for text in texts]

    def _encode(self, text: str) -> list[int]:
        # Special tokens typed in the text are matched first, unnormalised; what lies between them is
        # tokenised on its own (each stretch gets its leading ▁), as tokenizers' added vocabulary does.
        ids = [self.bos_id]
        for n, part in enumerate(SPECIAL_SPLIT.split(text) if "<" in text else [text]):
            if n % 2:
                ids.append(self.processor.piece_to_id(part))
            elif part:
                normalized = self.processor.normalize(part.translate(NEXT_LINE_AS_SPACE))
                for word in WORDS.findall(normalized):
                    ids.extend(self.word_ids(word))
        ids.append(self.eos_id)
        return ids

    def _segment(self, word: str) -> tuple[int, ...]:
        """tokenizers' Unigram ``encode_optimized`` for one word: best path in float64, ties to the
        earliest start, consecutive unknown characters fused into one ``<unk>``."""
        piece_to_id, scores, unk = self.processor.piece_to_id, self.scores, self.unk_id
        size = len(word)
        best_score = [0.0] * (size + 1)
        best_start: list[int | None] = [None] * (size + 1)
        best_id = [unk] * (size + 1)
        for start in range(size):
            till_here = best_score[start]
            has_single = False
            for end in range(start + 1, min(size, start + self.longest_piece) + 1):
                piece = word[start:end]
                n = piece_to_id(piece)
                if n == unk and piece != UNK:
                    continue
                candidate = scores[n] + till_here
                if best_start[end] is None or candidate > best_score[end]:
                    best_score[end], best_start[end], best_id[end] = candidate, start, n
                if end == start + 1:
                    has_single = True
            if not has_single:
                candidate = self.unknown_score + till_here
                end = start + 1
                if best_start[end] is None or candidate > best_score[end]:
                    best_score[end], best_start[end], best_id[end] = candidate, start, unk
        ids: list[int] = []
        end = size
        while end > 0:
            n = best_id[end]
            if not (n == unk and ids and ids[-1] == unk):
                ids.append(n)
            end = best_start[end]
        return tuple(reversed(ids))


def build_in_child_process(folder: Path) -> None:
    """Write the folder's sentencepiece.model in a child process, so this one never parses tokenizer.json."""
    if not (folder / TOKENIZER_JSON).exists():
        raise ModelNotInstalled(
            f"No {TOKENIZER_JSON} in {folder}. Build the model with `arsip model install`."
        )
    package_root = str(Path(__file__).resolve().parents[2])  # this arsip, not another one on the path
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "arsip.model.tokenizer", str(folder)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0 or not (folder / SENTENCEPIECE_FILE).exists():
        raise ModelNotInstalled(
            f"Could not write {folder / SENTENCEPIECE_FILE} from {TOKENIZER_JSON} "
            f"({done.stderr.strip().splitlines()[-1:] or 'no output'}); run `arsip model install` "
            "as a user who may write the model folder."
        )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(
            "usage: python -m arsip.model.tokenizer MODEL_FOLDER  (writes MODEL_FOLDER/sentencepiece.model)"
        )
    print(write_sentencepiece_model(Path(sys.argv[1])))
