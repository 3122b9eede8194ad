#!/usr/bin/env python
"""Train and compare Indonesian entity taggers on IndoNLU's NERP and NERGrit (../shared/ner/).

Models compared (entity-level F1 with seqeval, strict span match, for person / place / organisation):

* ``crf``: CRFsuite (python-crfsuite) on arsip.entities.features (words, affixes, word shape in cased
  sentences, neighbours, hand-written lists of roles, organisation and place words); L1/L2 weights tuned
  on the valid splits.
* ``e5``: a token classifier on the product's own multilingual-e5-small int8 encoder (load_encoder):
  the encoder's last hidden state of each word's first piece (with its neighbours') → a multinomial
  logistic regression (scikit-learn), its regularisation tuned on valid.

Both train on NERP train + NERGrit train + NERGrit train lower-cased (NERP is all lower case; real text is
cased: see arsip.entities.features), are tuned on the two valid splits only, and are measured once on
the two test splits. Tags are mapped to PER / LOC / ORG (NERP's PPL / PLC / IND); NERP's EVT and FNB are
kept as labels during training and dropped before scoring.

    python scripts/train_entities.py crf [--save]       # grid on valid, test figures; --save writes the model
    python scripts/train_entities.py e5 [--limit N]     # the encoder head (needs `arsip model install`)
    python scripts/train_entities.py both --out results.json
    python scripts/train_entities.py capitalisation [--corpus ../shared/eval/news_clickid/corpus.jsonl]
    python scripts/train_entities.py shipped            # the committed model + rules, as index time runs it

Run heavy jobs under ``flock /tmp/arsip-heavy.lock``. Progress goes to stderr, the summary to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from arsip.entities.features import capitalisation_band, sentence_features
from arsip.entities.model_file import CAPITALISATION_PATH, MODEL_PATH, MODEL_VERSION
from arsip.settings import REPO_ROOT

DATA = Path(os.environ.get("ARSIP_NER_DATA", REPO_ROOT.parent / "shared" / "ner"))
NEWS = REPO_ROOT.parent / "shared" / "eval" / "news_clickid" / "corpus.jsonl"
CAP_MIN_COUNT = 3
TAG_MAP = {
    "PPL": "PER",
    "PERSON": "PER",
    "PLC": "LOC",
    "PLACE": "LOC",
    "IND": "ORG",
    "ORGANISATION": "ORG",
    "EVT": "EVT",
    "FNB": "FNB",
}
SCORED = ("PER", "LOC", "ORG")
Sentence = tuple[list[str], list[str]]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def read_split(corpus: str, split: str) -> list[Sentence]:
    """``token<TAB>tag`` lines, a blank line between sentences; tags mapped to PER/LOC/ORG/EVT/FNB."""
    path = DATA / corpus / f"{split}.tsv"
    if not path.exists():
        sys.exit(f"{path} not found: set ARSIP_NER_DATA to the folder holding nerp/ and nergrit/")
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                out.append((words, tags))
            words, tags = [], []
            continue
        word, tag = line.split("\t")
        if tag != "O":
            prefix, kind = tag.split("-", 1)
            tag = f"{prefix}-{TAG_MAP[kind]}"
        words.append(word)
        tags.append(tag)
    if words:
        out.append((words, tags))
    return out


def training_set() -> list[Sentence]:
    nergrit = read_split("nergrit", "train")
    lowered = [([w.lower() for w in words], tags) for words, tags in nergrit]
    return read_split("nerp", "train") + nergrit + lowered


def scored_only(tags: list[str]) -> list[str]:
    return [t if t == "O" or t[2:] in SCORED else "O" for t in tags]


def score(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    """Entity-level precision / recall / F1 per type and micro over PER, LOC, ORG (seqeval, strict IOB2)."""
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    report = classification_report(
        [scored_only(t) for t in gold],
        [scored_only(t) for t in predicted],
        mode="strict",
        scheme=IOB2,
        output_dict=True,
        zero_division=0,
    )
    out = {
        kind: {m: round(float(report[kind][m]), 4) for m in ("precision", "recall", "f1-score", "support")}
        for kind in SCORED
        if kind in report
    }
    out["micro"] = {m: round(float(report["micro avg"][m]), 4) for m in ("precision", "recall", "f1-score")}
    return out


def repair_bio(tags: list[str]) -> list[str]:
    """An I- tag that does not continue an entity of its type starts one (what a token classifier emits)."""
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1] == "O" or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


# ---------------------------------------------------------------- CRF
def train_crf(train: list[Sentence], c1: float, c2: float, iterations: int, path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for words, tags in train:
        trainer.append(sentence_features(words), tags)
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    trainer.train(str(path))


def tag_crf(path: Path, sentences: list[Sentence]) -> list[list[str]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return [tagger.tag(sentence_features(words)) for words, _ in sentences]


def run_crf(args: argparse.Namespace) -> dict:
    train = training_set()
    valid = {c: read_split(c, "valid") for c in ("nerp", "nergrit")}
    test = {c: read_split(c, "test") for c in ("nerp", "nergrit")}
    log(f"CRF: {len(train)} training sentences")
    grid = [(float(a), float(b)) for a, b in (pair.split(",") for pair in args.grid)]
    trials = []
    best: tuple[float, Path, tuple[float, float]] | None = None
    workdir = Path(tempfile.mkdtemp(prefix="arsip-crf-"))
    for n, (c1, c2) in enumerate(grid):
        started = time.monotonic()
        path = workdir / f"crf-{n}.crfsuite"
        train_crf(train, c1, c2, args.iterations, path)
        figures = {c: score([t for _, t in s], tag_crf(path, s)) for c, s in valid.items()}
        mean_f1 = sum(f["micro"]["f1-score"] for f in figures.values()) / len(figures)
        trials.append({"c1": c1, "c2": c2, "valid": figures, "mean_valid_f1": round(mean_f1, 4)})
        log(
            f"CRF c1={c1} c2={c2}: valid F1 NERP {figures['nerp']['micro']['f1-score']:.4f} "
            f"NERGrit {figures['nergrit']['micro']['f1-score']:.4f} ({time.monotonic() - started:.0f} s)"
        )
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, path, (c1, c2))
    assert best is not None
    _, path, (c1, c2) = best
    started = time.monotonic()
    results = {c: score([t for _, t in s], tag_crf(path, s)) for c, s in test.items()}
    words = sum(len(w) for s in test.values() for w, _ in s)
    tag_s = time.monotonic() - started
    log(
        f"CRF chosen c1={c1} c2={c2}; test NERP {results['nerp']['micro']['f1-score']:.4f} "
        f"NERGrit {results['nergrit']['micro']['f1-score']:.4f}"
    )
    if args.save:
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        MODEL_PATH.write_bytes(path.read_bytes())
        log(f"saved {MODEL_PATH} ({MODEL_PATH.stat().st_size / 1e6:.1f} MB, version {MODEL_VERSION})")
    return {
        "model": "crf",
        "chosen": {"c1": c1, "c2": c2, "iterations": args.iterations},
        "trials": trials,
        "test": results,
        "size_mb": round(path.stat().st_size / 1e6, 2),
        "tagging_ms_per_1000_words": round(1000 * tag_s / words * 1000, 2),
    }


# ---------------------------------------------------------------- e5 token classifier
def word_states(encoder, sentences: list[Sentence], batch: int = 16):
    """float32 (words, 2 × hidden): each word's first-piece state and the mean of its neighbours'."""
    import numpy as np

    tok = encoder.tokenizer
    rows = []
    done = 0
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i][0]))
    per_sentence: dict[int, np.ndarray] = {}
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        pieces, firsts = [], []
        for i in chunk:
            ids, first = [tok.bos_id], []
            for word in sentences[i][0]:
                first.append(len(ids))
                ids.extend(tok.encode(word)[1:-1] or [tok.unk_id])
            ids = ids[: encoder.max_seq_length - 1] + [tok.eos_id]
            pieces.append(ids)
            firsts.append([min(f, len(ids) - 2) for f in first])
        width = max(len(p) for p in pieces)
        width = -(-width // 8) * 8
        ids_arr = np.full((len(pieces), width), encoder.pad_id, dtype=np.int64)
        mask = np.zeros_like(ids_arr)
        for n, p in enumerate(pieces):
            ids_arr[n, : len(p)] = p
            mask[n, : len(p)] = 1
        hidden = encoder._run(ids_arr, mask)
        for n, i in enumerate(chunk):
            states = hidden[n, firsts[n]]
            zero = np.zeros((1, states.shape[1]), dtype=np.float32)
            left = np.vstack([zero, states[:-1]])
            right = np.vstack([states[1:], zero])
            per_sentence[i] = np.hstack([states, (left + right) / 2])
        done += len(chunk)
        if start // batch % 50 == 0:
            log(f"  encoded {done}/{len(sentences)} sentences")
    for i in range(len(sentences)):
        rows.append(per_sentence[i])
    return rows


def run_e5(args: argparse.Namespace) -> dict:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from arsip.model.loader import load_encoder
    from arsip.settings import Settings

    settings = Settings.from_env()
    encoder = load_encoder(settings)
    train = training_set()
    if args.limit:
        train = train[: args.limit]
    valid = {c: read_split(c, "valid") for c in ("nerp", "nergrit")}
    test = {c: read_split(c, "test") for c in ("nerp", "nergrit")}
    log(f"e5 head: encoding {len(train)} training sentences with {settings.encoder}")
    started = time.monotonic()
    x_train = np.vstack(word_states(encoder, train))
    encode_s = time.monotonic() - started
    words = sum(len(w) for w, _ in train)
    y_train = np.array([t for _, tags in train for t in tags])
    # Keep every entity word and a share of the others: the head's memory stays within the machine's
    # (the decision threshold moves towards entities, which the valid splits then judge).
    keep = (y_train != "O") | (np.random.default_rng(0).random(len(y_train)) < args.e5_o_share)
    x_train, y_train = x_train[keep], y_train[keep]
    log(f"e5 head: {len(y_train)} training words ({keep.mean():.0%} kept), {encode_s:.0f} s encoding")
    states = {
        c: word_states(encoder, s)
        for c, s in {
            **{f"v_{k}": v for k, v in valid.items()},
            **{f"t_{k}": v for k, v in test.items()},
        }.items()
    }

    def predict(model, sentences, rows):
        out = []
        for (_, _tags), x in zip(sentences, rows, strict=True):
            out.append(repair_bio(list(model.predict(x))))
        return out

    trials = []
    best = None
    for c in args.e5_c:
        started = time.monotonic()
        model = LogisticRegression(C=c, max_iter=args.iterations)
        model.fit(x_train, y_train)
        figures = {k: score([t for _, t in s], predict(model, s, states[f"v_{k}"])) for k, s in valid.items()}
        mean_f1 = sum(f["micro"]["f1-score"] for f in figures.values()) / len(figures)
        trials.append({"C": c, "valid": figures, "mean_valid_f1": round(mean_f1, 4)})
        log(
            f"e5 C={c}: valid F1 NERP {figures['nerp']['micro']['f1-score']:.4f} "
            f"NERGrit {figures['nergrit']['micro']['f1-score']:.4f} ({time.monotonic() - started:.0f} s)"
        )
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, model, c)
    assert best is not None
    _, model, c = best
    results = {k: score([t for _, t in s], predict(model, s, states[f"t_{k}"])) for k, s in test.items()}
    log(
        f"e5 chosen C={c}; test NERP {results['nerp']['micro']['f1-score']:.4f} "
        f"NERGrit {results['nergrit']['micro']['f1-score']:.4f}"
    )
    return {
        "model": "e5-int8 + logistic regression",
        "encoder": settings.encoder,
        "chosen": {"C": c},
        "trials": trials,
        "test": results,
        "encoding_ms_per_1000_words": round(1000 * encode_s / words * 1000, 1),
    }


# ---------------------------------------------------------------- capitalisation list
def build_capitalisation(corpus: Path) -> dict:
    """How often each word is capitalised when it does not start a sentence, in cased news text."""
    import re
    from collections import Counter

    if not corpus.exists():
        sys.exit(f"{corpus} not found: pass --corpus, a JSONL file of cased articles with a 'text' field")
    seen: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()
    token = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|[.!?,;:\"“”()]")
    with open(corpus, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            previous = None
            for match in token.finditer(json.loads(line).get("text") or ""):
                word = match.group()
                if word[0].isalpha() and previous is not None and previous not in '.!?"“”:':
                    seen[word.lower()] += 1
                    capitalised[word.lower()] += word[0].isupper()
                previous = word
            if number % 5000 == 0:
                log(f"  {number} articles read")
    kept = sorted(w for w, n in seen.items() if n >= CAP_MIN_COUNT and "\t" not in w)
    CAPITALISATION_PATH.parent.mkdir(parents=True, exist_ok=True)
    CAPITALISATION_PATH.write_text(
        "".join(f"{w}\t{capitalisation_band(capitalised[w] / seen[w])}\n" for w in kept), encoding="utf-8"
    )
    log(f"wrote {CAPITALISATION_PATH}: {len(kept)} words seen ≥ {CAP_MIN_COUNT} times")
    return {"model": "capitalisation", "chosen": {"words": len(kept)}, "test": {}}


# ---------------------------------------------------------------- the shipped tagger
def run_shipped(args: argparse.Namespace) -> dict:
    """The committed model as index time runs it (CRF + organisation rules), on valid and test."""
    from arsip.entities.tagger import EntityTagger

    tagger = EntityTagger(MODEL_PATH)
    figures = {}
    for split in ("valid", "test"):
        for corpus in ("nerp", "nergrit"):
            sentences = read_split(corpus, split)
            figures[f"{split}_{corpus}"] = score(
                [t for _, t in sentences], [tagger.labels(w) for w, _ in sentences]
            )
    return {
        "model": f"shipped {MODEL_VERSION} (CRF + rules)",
        "chosen": {},
        "valid": {k[6:]: v for k, v in figures.items() if k.startswith("valid")},
        "test": {k[5:]: v for k, v in figures.items() if k.startswith("test")},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("which", choices=["crf", "e5", "both", "capitalisation", "shipped"])
    parser.add_argument(
        "--corpus", type=Path, default=NEWS, help="cased articles (JSONL) for the capitalisation list"
    )
    parser.add_argument(
        "--grid",
        nargs="+",
        default=["0.05,0.01", "0.1,0.05", "0.2,0.01"],
        help="CRF c1,c2 pairs tried on valid",
    )
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--e5-c", type=float, nargs="+", default=[0.1, 1.0])
    parser.add_argument("--e5-o-share", type=float, default=0.3, help="share of O words the head trains on")
    parser.add_argument("--limit", type=int, default=0, help="e5: train on the first N sentences only")
    parser.add_argument("--save", action="store_true", help="write the chosen CRF to the package")
    parser.add_argument("--out", help="write all figures as JSON here")
    args = parser.parse_args()
    results = []
    if args.which == "capitalisation":
        results.append(build_capitalisation(args.corpus))
    if args.which == "shipped":
        results.append(run_shipped(args))
    if args.which in ("crf", "both"):
        results.append(run_crf(args))
    if args.which in ("e5", "both"):
        results.append(run_e5(args))
    for r in results:
        print(f"== {r['model']} {r['chosen']}")
        for corpus, figures in r["test"].items():
            cells = "  ".join(
                f"{k} P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1-score']:.3f}"
                for k, f in figures.items()
            )
            print(f"  test {corpus:8s} {cells}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
