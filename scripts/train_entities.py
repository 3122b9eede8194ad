#!/usr/bin/env python
"""Train and compare Indonesian entity taggers on IndoNLU's NERP and NERGrit (../shared/ner/).

Models compared (entity-level F1 with seqeval, strict span match, for person / place / organisation):

* ``crf``: CRFsuite (python-crfsuite) on arsip.entities.features (words, affixes, word shape in cased
  sentences, neighbours, hand-written lists of roles, organisation and place words); L1/L2 weights tuned
  on the valid splits.
* ``e5``: a token classifier on the product's own multilingual-e5-small int8 encoder (load_encoder):
  the encoder's last hidden state of each word's first piece (with its neighbours') → a multinomial
  logistic regression (scikit-learn), its regularisation tuned on valid.
* ``finetune``: multilingual-e5-small fine-tuned end to end as a token classifier (transformers'
  BertForTokenClassification, float32 torch, the 250k × 384 word-embedding table frozen; each word's
  label on its first piece); the number of epochs chosen on valid (scored after each epoch), under a
  wall-clock limit. The model is saved outside the repo (ARSIP_NER_FT_DIR), then timed (``ft-cost``).

All train on NERP train + NERGrit train + NERGrit train lower-cased (NERP is all lower case; real text is
cased: see arsip.entities.features), are tuned on the two valid splits only, and are measured once on
the two test splits. Tags are mapped to PER / LOC / ORG (NERP's PPL / PLC / IND); NERP's EVT and FNB are
kept as labels during training and dropped before scoring.

    python scripts/train_entities.py crf [--save]       # grid on valid, test figures; --save writes the model
    python scripts/train_entities.py e5 [--limit N]     # the encoder head (needs `arsip model install`)
    python scripts/train_entities.py both --out results.json
    python scripts/train_entities.py capitalisation [--corpus ../shared/eval/news_clickid/corpus.jsonl]
    python scripts/train_entities.py shipped            # the committed model + rules, as index time runs it
    python scripts/train_entities.py finetune [--ft-epochs 3 --ft-minutes 32]   # ~10 min an epoch, 2 cores
    python scripts/train_entities.py ft-cost            # the saved fine-tuned model's tagging cost

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


# ---------------------------------------------------------------- fine-tuned e5 token classifier
E5_DIR = Path(os.environ.get("ARSIP_E5_DIR", "/work/main/.arsip/models/multilingual-e5-small"))
FT_DIR = Path(os.environ.get("ARSIP_NER_FT_DIR", "/work/main/.arsip/models/ner-e5-small-ft"))
LABELS = ["O"] + [f"{p}-{k}" for k in ("PER", "LOC", "ORG", "EVT", "FNB") for p in ("B", "I")]


def ft_encode(tokenizer, sentences: list[Sentence], max_pieces: int) -> list[dict]:
    """Sub-token ids per sentence; each word's label on its first piece, -100 on the others (ignored)."""
    index = {label: n for n, label in enumerate(LABELS)}
    out = []
    for words, tags in sentences:
        enc = tokenizer(words, is_split_into_words=True, truncation=True, max_length=max_pieces)
        labels, firsts, previous = [], [], None
        for pos, word in enumerate(enc.word_ids()):
            if word is not None and word != previous:
                labels.append(index[tags[word]])
                firsts.append(pos)
            else:
                labels.append(-100)
            previous = word
        out.append({"ids": enc["input_ids"], "labels": labels, "firsts": firsts, "words": len(words)})
    return out


def ft_batches(items: list[dict], size: int, shuffle_seed: int | None):
    """Batches of similar length (less padding); shuffled batch order when training."""
    import random

    import torch

    order = sorted(range(len(items)), key=lambda i: len(items[i]["ids"]))
    chunks = [order[i : i + size] for i in range(0, len(order), size)]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(chunks)
    for chunk in chunks:
        width = max(len(items[i]["ids"]) for i in chunk)
        ids = torch.full((len(chunk), width), 1, dtype=torch.long)  # <pad> (masked out anyway)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        labels = torch.full((len(chunk), width), -100, dtype=torch.long)
        for n, i in enumerate(chunk):
            k = len(items[i]["ids"])
            ids[n, :k] = torch.tensor(items[i]["ids"])
            mask[n, :k] = 1
            labels[n, :k] = torch.tensor(items[i]["labels"])
        yield chunk, ids, mask, labels


def ft_predict(model, items: list[dict], batch: int = 64) -> list[list[str]]:
    """BIO tags per word (first piece's argmax); a word cut off by truncation is O; I- repaired to B-."""
    import torch

    model.eval()
    out: dict[int, list[str]] = {}
    with torch.inference_mode():
        for chunk, ids, mask, _ in ft_batches(items, batch, None):
            best = model(input_ids=ids, attention_mask=mask).logits.argmax(-1)
            for n, i in enumerate(chunk):
                tags = [LABELS[int(best[n, p])] for p in items[i]["firsts"]]
                tags += ["O"] * (items[i]["words"] - len(tags))
                out[i] = repair_bio(tags)
    return [out[i] for i in range(len(items))]


def run_finetune(args: argparse.Namespace) -> dict:
    """Fine-tune multilingual-e5-small as a token classifier (word-embedding table frozen), float32 torch.

    Epochs are chosen on valid: the valid splits are scored after every epoch and the best epoch's weights
    kept; training stops at --ft-epochs or at the --ft-minutes wall clock, whichever comes first. The test
    splits are read once, at the end, with the kept weights.
    """
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(E5_DIR)
    model = AutoModelForTokenClassification.from_pretrained(
        E5_DIR,
        num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)),
        label2id={label: n for n, label in enumerate(LABELS)},
    )
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    n_trainable = sum(p.numel() for p in trainable)
    n_all = sum(p.numel() for p in model.parameters())
    train = training_set()
    if args.limit:
        train = train[: args.limit]
    items = ft_encode(tokenizer, train, args.ft_max_pieces)
    valid = {c: read_split(c, "valid") for c in ("nerp", "nergrit")}
    valid_items = {c: ft_encode(tokenizer, s, 512) for c, s in valid.items()}
    steps_per_epoch = -(-len(items) // args.ft_batch)
    total = steps_per_epoch * args.ft_epochs
    optimiser = torch.optim.AdamW(trainable, lr=args.ft_lr, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.06 * total), total)
    log(
        f"fine-tune: {len(items)} sentences, {steps_per_epoch} steps an epoch × {args.ft_epochs}, "
        f"lr {args.ft_lr}, batch {args.ft_batch}, ≤ {args.ft_max_pieces} pieces; "
        f"{n_trainable / 1e6:.1f} M of {n_all / 1e6:.1f} M parameters trained"
    )
    started = time.monotonic()
    deadline = started + 60 * args.ft_minutes
    trials, best, step, stopped = [], None, 0, False
    for epoch in range(1, args.ft_epochs + 1):
        model.train()
        epoch_started, losses = time.monotonic(), []
        for _, ids, mask, labels in ft_batches(items, args.ft_batch, shuffle_seed=epoch):
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            losses.append(loss.item())
            step += 1
            if step % 50 == 0:
                log(
                    f"  epoch {epoch} step {step}: loss {sum(losses[-50:]) / 50:.4f}, "
                    f"{(time.monotonic() - epoch_started) / len(losses):.2f} s a step"
                )
            if args.ft_probe and step >= args.ft_probe:
                log(f"probe: {(time.monotonic() - started) / step:.2f} s a step")
                return {"model": "probe", "chosen": {}, "test": {}}
            if time.monotonic() > deadline:
                stopped = True
                break
        figures = {c: score([t for _, t in s], ft_predict(model, valid_items[c])) for c, s in valid.items()}
        mean_f1 = sum(f["micro"]["f1-score"] for f in figures.values()) / len(figures)
        minutes = (time.monotonic() - started) / 60
        trials.append(
            {
                "epoch": epoch if not stopped else epoch - 1 + len(losses) / steps_per_epoch,
                "valid": figures,
                "mean_valid_f1": round(mean_f1, 4),
                "minutes": round(minutes, 1),
            }
        )
        log(
            f"epoch {trials[-1]['epoch']:.2f}: valid F1 NERP {figures['nerp']['micro']['f1-score']:.4f} "
            f"NERGrit {figures['nergrit']['micro']['f1-score']:.4f} (mean {mean_f1:.4f}), {minutes:.1f} min"
        )
        if best is None or mean_f1 > best[0]:
            best = (mean_f1, trials[-1]["epoch"])
            model.save_pretrained(FT_DIR)
            tokenizer.save_pretrained(FT_DIR)
        if stopped:
            log("wall-clock limit reached")
            break
    train_minutes = (time.monotonic() - started) / 60
    assert best is not None
    model = AutoModelForTokenClassification.from_pretrained(FT_DIR)
    test = {c: read_split(c, "test") for c in ("nerp", "nergrit")}
    results = {}
    for c, s in test.items():
        results[c] = score([t for _, t in s], ft_predict(model, ft_encode(tokenizer, s, 512)))
    log(
        f"fine-tuned e5 chosen epoch {best[1]}; test NERP {results['nerp']['micro']['f1-score']:.4f} "
        f"NERGrit {results['nergrit']['micro']['f1-score']:.4f}"
    )
    cost = run_ft_cost(args)["chosen"] if args.ft_passages else {}
    return {
        "model": "e5-small fine-tuned token classifier (float32 torch)",
        "chosen": {"epoch": best[1], "lr": args.ft_lr, "batch": args.ft_batch},
        "settings": {
            "epochs_planned": args.ft_epochs,
            "max_pieces": args.ft_max_pieces,
            "threads": args.threads,
            "trainable_parameters": n_trainable,
            "frozen": "word embeddings",
            "sentences": len(items),
        },
        "trials": trials,
        "train_minutes": round(train_minutes, 1),
        "test": results,
        "saved": str(FT_DIR),
        "cost": cost,
    }


def run_ft_cost(args: argparse.Namespace) -> dict:
    """Tagging cost of the saved fine-tuned model: float32 and dynamic int8 (torch) on passages of words."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    torch.set_num_threads(args.threads)
    tokenizer = AutoTokenizer.from_pretrained(FT_DIR)
    model = AutoModelForTokenClassification.from_pretrained(FT_DIR).eval()
    # Passages as the indexer cuts them average 75 words (docs/entities.md): NERP test words in 75s.
    words = [w for ws, _ in read_split("nerp", "test") for w in ws]
    size = args.ft_passage_words
    passages = [(words[i : i + size], ["O"] * size) for i in range(0, len(words) - size + 1, size)]
    passages = passages[: args.ft_passages]
    items = ft_encode(tokenizer, passages, 512)
    pieces = sum(len(i["ids"]) for i in items)
    out = {"passages": len(items), "words_a_passage": size, "pieces_a_passage": round(pieces / len(items), 1)}
    quantised = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    for name, m, batch in (("float32", model, 1), ("float32", model, 16), ("int8", quantised, 16)):
        ft_predict(m, items[:4], batch)  # warm up
        started = time.monotonic()
        ft_predict(m, items, batch)
        seconds = time.monotonic() - started
        out[f"{name}_batch{batch}_ms_a_passage"] = round(1000 * seconds / len(items), 1)
        out[f"{name}_batch{batch}_ms_per_1000_words"] = round(1000 * seconds / (len(items) * size) * 1000, 1)
        log(f"{name} batch {batch}: {1000 * seconds / len(items):.1f} ms a passage")
    return {"model": "fine-tuned e5 cost", "chosen": out, "test": {}}


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
    parser.add_argument(
        "which", choices=["crf", "e5", "both", "capitalisation", "shipped", "finetune", "ft-cost"]
    )
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
    parser.add_argument("--ft-epochs", type=int, default=4, help="finetune: epochs planned (LR schedule)")
    parser.add_argument("--ft-lr", type=float, default=1e-4)
    parser.add_argument("--ft-batch", type=int, default=16)
    parser.add_argument(
        "--ft-max-pieces", type=int, default=96, help="finetune: sub-tokens a training sentence"
    )
    parser.add_argument("--ft-minutes", type=float, default=38, help="finetune: wall-clock limit of training")
    parser.add_argument("--ft-probe", type=int, default=0, help="finetune: time this many steps, then stop")
    parser.add_argument("--ft-passage-words", type=int, default=75, help="ft-cost: words a passage")
    parser.add_argument(
        "--ft-passages", type=int, default=200, help="ft-cost (and after finetune; 0: none): passages timed"
    )
    parser.add_argument("--threads", type=int, default=2)
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
    if args.which == "finetune":
        results.append(run_finetune(args))
    if args.which == "ft-cost":
        results.append(run_ft_cost(args))
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
