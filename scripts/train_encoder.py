#!/usr/bin/env python
"""Fine-tune multilingual-e5-small on dev questions and/or news headline → lead pairs (issue 25).

Trains (question → gold passage) pairs with MultipleNegativesRankingLoss (in-batch negatives plus one
BM25-mined hard negative per question, taken from the same dataset's corpus) and saves a complete
sentence-transformers folder that ``ARSIP_ENCODER=torch ARSIP_MODEL=<folder>`` loads, so that
``arsip eval`` can measure it — never on its training questions: on the OTHER dataset (transfer), or,
with several datasets and ``--skip-fold K/N``, on the fold it left out (``arsip eval --fold K/N``:
in-domain k-fold, questions grouped by gold passage so no held-out gold passage was a positive).

    export ARSIP_DATA_DIR=/work/main/.arsip
    flock /tmp/arsip-heavy.lock .venv/bin/python scripts/train_encoder.py ../shared/eval/facqa \\
        --out $ARSIP_DATA_DIR/models/e5-small-tuned-facqa
    ARSIP_ENCODER=torch ARSIP_MODEL=$ARSIP_DATA_DIR/models/e5-small-tuned-facqa \\
        flock /tmp/arsip-heavy.lock .venv/bin/python -m arsip_cli eval ../shared/eval/tydiqa_id
    flock /tmp/arsip-heavy.lock .venv/bin/python scripts/train_encoder.py \\
        --news ../shared/eval/news_clickid/corpus.jsonl --news-pairs 2800 --max-minutes 24 \\
        --out $ARSIP_DATA_DIR/models/e5-small-i25-news     # news pairs only: transfer to both dev sets
    flock /tmp/arsip-heavy.lock .venv/bin/python scripts/train_encoder.py ../shared/eval/facqa \\
        ../shared/eval/tydiqa_id --skip-fold 1/2 --max-minutes 32 \\
        --out $ARSIP_DATA_DIR/models/e5-small-i25-both-fold1of2    # in-domain: then arsip eval --fold 1/2

What was chosen, and why (a 2-core CPU, ≤ 60 minutes a run, the issue's budget; runs here took 9–24):

* **The training loop** is a plain PyTorch loop around sentence-transformers' own
  ``MultipleNegativesRankingLoss`` and the model's ``preprocess``: ``SentenceTransformerTrainer`` and
  ``model.fit`` both need the ``datasets`` package, which is not installed here (and is not a dependency
  of arsip). The loss, the forward pass and the saved folder are sentence-transformers'.
* **Frozen word-embedding table** (250,037 × 384 = 96M of the 118M parameters): it is most of the model,
  AdamW's state for it would triple its memory, a few thousand questions cannot retrain rare words'
  vectors anyway, and it keeps what changes small (the 12 layers + position/type embeddings + pooler,
  ~21.6M parameters, 86.6 MB in float32) — the form the issue wants to ship (changed layers only).
  ``--freeze-layers N`` also freezes the bottom N transformer layers (default 0: all layers train).
* **Short sequences**: queries 48 tokens (questions are short), passages 160 (FacQA passages are ~50
  words, TyDi paragraphs ~79; the index cuts passages at arsip's passage length anyway). The cost of a
  step grows with the padded length, so this is what makes an epoch fit on two cores.
* **Prompts**: "query: " and "passage: ", read from the base folder's saved prompts (e5's).
* **Batch size 32** with no duplicate question or passage inside a batch (several questions share one
  gold paragraph, and an in-batch "negative" that is in fact the gold passage teaches the wrong thing);
  every question gives one (question, gold, hard negative) triple, so a batch scores each question
  against 64 passages.
* **Hard negative**: BM25 (lowercase ``\\w+`` tokens, k1=0.9, b=0.4) over the same corpus; one passage
  drawn at random (seeded) from the non-gold passages among BM25's top 10. Not always the top one:
  relevance here is "the passage the question was written from", other passages are unjudged, and the
  very top non-gold passage is the likeliest to be an unjudged relevant one (a false negative).
  ``--negatives none`` trains on in-batch negatives only.
* **Scale 100** (temperature 0.01, e5's own training temperature) rather than sentence-transformers'
  default 20: e5's cosines sit in a narrow band (~0.7–0.9), and a softer temperature would pull that band
  apart — moving the score distribution that arsip's relevance floor is calibrated on.
* **1 epoch, learning rate 2e-5, linear warmup over 10% of the steps then linear decay, AdamW (weight
  decay 0.01), gradient-norm clip 1.0**: the usual fine-tuning setting for a small bi-encoder; more epochs
  on ~2–4k questions overfit their wording, and a low rate keeps the model near e5's general ability
  (what the transfer measurement tests).
* **News headline → lead pairs** (``--news corpus.jsonl --news-pairs N``, alone or added to a dev set's
  pairs; weak supervision, the issue's second variant): the headline is the query, the article's lead
  the passage — its first paragraphs (the scraper's ".," breaks) up to 60 words, cut at 120, about
  arsip's passage size. A seeded sample of N headlines; skipped: leads under 30 words, headlines that
  occur more than once (another publisher's copy would be a false negative) and headlines that are
  near-copies of their lead's first sentence (``--near-copy``, default 0.8 of the headline's distinct
  words in it: the pair would be trivial). On news_clickid: 943 near-copies, 104 repeated headlines and
  31 short leads of 21,965 articles, 20,887 usable. Hard negatives: the same BM25 over all 21,934 leads
  (1 s to build, ~12 ms a headline), never mixed with a dev corpus.
* **A wall-clock limit** (``--max-minutes``, default 25): the loop stops there, saves what it has and says
  so (the learning rate will not have decayed to zero).

The output folder (under the models folder, never inside the repository) holds the full model, the same
prompts as the base, and an ``arsip_model.json`` with the tuned weights' own fingerprint, so that
``arsip eval`` builds a separate eval index for it and never reuses the base model's.
Progress goes to stderr; the summary (pairs, steps, minutes, output, size of the changed layers) to stdout.
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import os
import random
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODELS = Path(os.environ.get("ARSIP_DATA_DIR", REPO / ".arsip")).resolve() / "models"
DEFAULT_BASE = MODELS / "multilingual-e5-small"
TOKEN = re.compile(r"\w+")


# ----------------------------------------------------------------------------- data
def read_dataset(folder: Path) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """corpus id → text, query id → text, query id → gold passage ids (relevance > 0)."""
    corpus = {}
    with open(folder / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            corpus[doc["id"]] = " ".join(filter(None, (doc.get("title", ""), doc["text"])))
    with open(folder / "queries.jsonl", encoding="utf-8") as fh:
        queries = {q["id"]: q["text"] for q in map(json.loads, fh)}
    gold: dict[str, list[str]] = collections.defaultdict(list)
    with open(folder / "qrels.tsv", encoding="utf-8") as fh:
        for line in fh:
            qid, doc_id, relevance = line.rstrip("\n").split("\t")
            if int(relevance) > 0 and qid in queries and doc_id in corpus:
                gold[qid].append(doc_id)
    return corpus, queries, dict(gold)


class BM25:
    """A small in-memory Okapi BM25 over a corpus: an inverted index of term frequencies."""

    def __init__(self, corpus: dict[str, str], k1: float = 0.9, b: float = 0.4) -> None:
        self.ids = list(corpus)
        self.postings: dict[str, list[tuple[int, int]]] = collections.defaultdict(list)
        lengths = []
        for position, doc_id in enumerate(self.ids):
            counts = collections.Counter(TOKEN.findall(corpus[doc_id].lower()))
            lengths.append(sum(counts.values()))
            for term, frequency in counts.items():
                self.postings[term].append((position, frequency))
        average = sum(lengths) / max(1, len(lengths))
        # Per document, the length part of the BM25 denominator, computed once.
        self.norm = [k1 * (1 - b + b * length / average) for length in lengths]
        n = len(self.ids)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        self.k1 = k1

    def top(self, text: str, k: int) -> list[str]:
        scores: dict[int, float] = collections.defaultdict(float)
        for term in set(TOKEN.findall(text.lower())):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for position, frequency in self.postings[term]:
                scores[position] += idf * frequency * (self.k1 + 1) / (frequency + self.norm[position])
        best = sorted(scores.items(), key=lambda item: -item[1])[:k]
        return [self.ids[position] for position, _ in best]


def build_examples(
    corpus: dict[str, str],
    queries: dict[str, str],
    gold: dict[str, list[str]],
    negatives: str,
    depth: int,
    rng,
) -> list[tuple[str, str, str, str | None]]:
    """(query id, question, gold passage id, hard-negative passage id or None), one per judged pair."""
    bm25 = BM25(corpus) if negatives == "bm25" else None
    examples = []
    missing = 0
    for qid, doc_ids in gold.items():
        negative = None
        if bm25 is not None:
            candidates = [d for d in bm25.top(queries[qid], depth) if d not in doc_ids]
            if candidates:
                negative = rng.choice(candidates)
            else:
                missing += 1
        for doc_id in doc_ids:
            examples.append((qid, queries[qid], doc_id, negative))
    if bm25 is not None and missing:
        print(f"{missing} questions had no non-gold passage in BM25's top {depth}", file=sys.stderr)
    return examples


NEWS_BREAK = re.compile(r"(?<=[.!?\"”’])\s*,[,\s]*")  # the scraper's paragraph break: ".," (and ",,,")


def news_lead(text: str, min_words: int = 60, max_words: int = 120) -> str:
    """An article's lead: its first paragraphs (the scraper's ".," breaks) until ``min_words`` words,
    cut at ``max_words`` (about a passage: FacQA's are ~50 words, TyDi-id's ~79; arsip cuts at 256
    tokens). Runs of stray commas (where the scraper dropped hyperlinked words) are collapsed."""
    words: list[str] = []
    for paragraph in NEWS_BREAK.split(text):
        paragraph = re.sub(r"\s*,(?:\s*,)+", ",", paragraph).strip(" ,\n\t")
        words += paragraph.split()
        if len(words) >= min_words:
            break
    return " ".join(words[:max_words])


def read_news(
    path: Path, pairs: int, near_copy: float, rng
) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]], dict[str, int]]:
    """Headline → lead pairs from a news corpus.jsonl (fields id, title, text), as a judged dataset:
    corpus = every usable article's lead (the pool hard negatives are mined from), queries = a seeded
    sample of ``pairs`` headlines, gold = the headline's own lead.

    Skipped: leads under 30 words, headlines repeated in the corpus (the same story from two
    publishers: the other copy would be a false negative), and headlines that are near-copies of
    their lead's first sentence (at least ``near_copy`` of the headline's distinct words in it:
    matching those teaches nothing). Returns the counts of what was skipped too."""
    from indexer.splitting import split_sentences

    with open(path, encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh]
    titles = collections.Counter(" ".join(TOKEN.findall(a.get("title", "").lower())) for a in articles)
    corpus, candidates = {}, []
    skipped = collections.Counter()
    for article in articles:
        lead = news_lead(article.get("text", ""))
        title = " ".join(article.get("title", "").split())
        if len(lead.split()) < 30:
            skipped["lead_under_30_words"] += 1
            continue
        corpus[article["id"]] = lead
        words = set(TOKEN.findall(title.lower()))
        if not words:
            skipped["no_headline"] += 1
        elif titles[" ".join(TOKEN.findall(title.lower()))] > 1:
            skipped["repeated_headline"] += 1
        elif len(words & set(TOKEN.findall(split_sentences(lead)[0].lower()))) >= near_copy * len(words):
            skipped["near_copy_of_first_sentence"] += 1
        else:
            candidates.append((article["id"], title))
    skipped["usable"] = len(candidates)
    chosen = rng.sample(candidates, min(pairs, len(candidates)))
    queries = {f"news:{doc_id}": title for doc_id, title in chosen}
    gold = {f"news:{doc_id}": [doc_id] for doc_id, _ in chosen}
    return corpus, queries, gold, dict(skipped)


def without_fold(folder: Path, gold: dict[str, list[str]], fold: tuple[int, int]) -> dict[str, list[str]]:
    """``gold`` without the questions of fold K of N: the folds ``arsip eval --fold`` uses (grouped by
    gold passage, from the same qrels), so the held-out fold's gold passages are never a positive here."""
    from arsip_cli.evaluation import load_dataset, question_folds

    folds = question_folds(load_dataset(folder).qrels, fold[1])
    return {qid: doc_ids for qid, doc_ids in gold.items() if folds[qid] != fold[0]}


def batches_without_duplicates(examples: list, size: int, rng) -> list[list]:
    """Shuffled batches in which no question and no passage (gold or negative) appears twice."""
    pending = examples[:]
    rng.shuffle(pending)
    batches = []
    while pending:
        batch, seen, rest = [], set(), []
        for example in pending:
            qid, _, doc_id, negative = example
            keys = {("q", qid), ("p", doc_id)} | ({("p", negative)} if negative else set())
            if len(batch) < size and not keys & seen:
                batch.append(example)
                seen |= keys
            else:
                rest.append(example)
        batches.append(batch)
        pending = rest
    return batches


# ----------------------------------------------------------------------------- the model
def save_folder(model, out: Path, base: Path, trained_on: str, summary: dict) -> None:
    """The sentence-transformers folder and arsip's identity file with the tuned weights' fingerprint."""
    from arsip.model.identity import weights_fingerprint

    model.save(str(out))
    base_identity = (
        json.loads((base / "arsip_model.json").read_text()) if (base / "arsip_model.json").exists() else {}
    )
    identity = {
        "name": f"{base_identity.get('name', base.name)} tuned on {trained_on} (issue 25)",
        "dimension": int(base_identity.get("dimension", 384)),
        "fingerprint": weights_fingerprint(out),
        "source": f"scripts/train_encoder.py from {base} ({base_identity.get('fingerprint', '?')})",
        "training": summary,
    }
    (out / "arsip_model.json").write_text(json.dumps(identity, indent=2) + "\n")


def loss_ends(losses: list[float], window: int = 20) -> dict[str, float]:
    """The mean loss of the first and of the last ``window`` steps: how far a run moved."""
    return {
        "first_loss": round(sum(losses[:window]) / max(1, len(losses[:window])), 4),
        "last_loss": round(sum(losses[-window:]) / max(1, len(losses[-window:])), 4),
    }


def print_summary(summary: dict, started: float, out: Path) -> None:
    """Add the run's total minutes and its output folder to ``summary``; print it, a field a line."""
    summary["total_minutes"] = round((time.perf_counter() - started) / 60, 1)
    summary["output"] = str(out)
    for key, value in summary.items():
        print(f"{key}: {value}")


def output_folder(parser: argparse.ArgumentParser, folder: Path) -> Path:
    """``folder`` resolved, refused (a usage error) inside the repository's tracked tree (the data
    folder's models/ is fine, even where the data folder is the repository's ignored ``.arsip``) or
    when it holds files: a trained model is hundreds of MB and must never overwrite another run's."""
    out = folder.resolve()
    if MODELS not in out.parents and (out == REPO or REPO in out.parents):
        parser.error(f"{out} is inside the repository: write models under the data folder's models/")
    if out.exists() and any(out.iterdir()):
        parser.error(f"{out} exists and is not empty")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "datasets", type=Path, nargs="*", help="folders with corpus.jsonl, queries.jsonl, qrels.tsv (dev)"
    )
    parser.add_argument(
        "--skip-fold",
        metavar="K/N",
        help="leave out fold K of N of each dataset's questions, grouped by gold passage: the fold "
        "`arsip eval --fold K/N` measures (in-domain k-fold)",
    )
    parser.add_argument("--news", type=Path, help="news corpus.jsonl: add headline → lead pairs")
    parser.add_argument("--news-pairs", type=int, default=3000, help="how many headline → lead pairs")
    parser.add_argument(
        "--near-copy", type=float, default=0.8, help="skip headlines with this share of words in sentence 1"
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder (under the models folder)")
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE, help="base sentence-transformers folder")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--warmup", type=float, default=0.1, help="share of the steps with a rising rate")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--scale", type=float, default=100.0, help="similarity scale (1 / temperature)")
    parser.add_argument("--query-tokens", type=int, default=48)
    parser.add_argument("--passage-tokens", type=int, default=160)
    parser.add_argument("--negatives", choices=["bm25", "none"], default="bm25")
    parser.add_argument("--negative-depth", type=int, default=10, help="hard negative from BM25's top N")
    parser.add_argument("--freeze-layers", type=int, default=0, help="also freeze the bottom N layers")
    parser.add_argument("--max-pairs", type=int, help="train on at most N pairs (a quick trial)")
    parser.add_argument("--max-minutes", type=float, default=25.0, help="stop (and save) after this long")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: every core)")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    if not args.datasets and args.news is None:
        parser.error("give dev dataset folders, --news PATH, or both")
    skip_fold = None
    if args.skip_fold:
        from arsip_cli.evaluation import parse_fold

        try:
            skip_fold = parse_fold(args.skip_fold)
        except ValueError as error:
            parser.error(str(error))
        if not args.datasets:
            parser.error("--skip-fold needs a dev dataset")

    out = output_folder(parser, args.out)

    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from tqdm import tqdm
    from transformers import get_linear_schedule_with_warmup

    started = time.perf_counter()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads or max(1, os.cpu_count() or 1))

    corpus: dict[str, str] = {}
    examples, trained_on, news_summary = [], [], {}
    for folder in args.datasets:
        # Each dataset mines its hard negatives from its own corpus (its own BM25).
        passages, queries, gold = read_dataset(folder)
        if skip_fold:
            gold = without_fold(folder, gold, skip_fold)
        if set(passages) & set(corpus):
            parser.error(f"the passage ids of {folder} overlap another dataset's")
        corpus.update(passages)
        found = build_examples(passages, queries, gold, args.negatives, args.negative_depth, rng)
        examples += found
        print(
            f"{folder.name}: {len(found)} pairs from {len(gold)} questions, {len(passages)} passages",
            file=sys.stderr,
        )
        trained_on.append(f"{folder.name} dev")
    if skip_fold:
        trained_on[-1] += f" (fold {skip_fold[0]}/{skip_fold[1]} left out)"
    if args.max_pairs:
        rng.shuffle(examples)
        examples = examples[: args.max_pairs]
    if args.news is not None:
        # Hard negatives from the other articles' leads (its own BM25: the dev corpus is not mixed in).
        mined = time.perf_counter()
        leads, headlines, own, skipped = read_news(args.news, args.news_pairs, args.near_copy, rng)
        news_examples = build_examples(leads, headlines, own, args.negatives, args.negative_depth, rng)
        if set(leads) & set(corpus):
            parser.error("the news ids and the dev corpus ids overlap")
        corpus.update(leads)
        examples += news_examples
        news_summary = {
            "news": str(args.news),
            "news_pairs": len(news_examples),
            "news_skipped": skipped,
            "news_mining_minutes": round((time.perf_counter() - mined) / 60, 1),
        }
        print(f"{len(news_examples)} headline → lead pairs, {len(leads)} leads, {skipped}", file=sys.stderr)
        trained_on.append(f"{len(news_examples)} news headline → lead pairs")

    model = SentenceTransformer(str(args.base), device="cpu")
    prompts = {"query": "query: ", "passage": "passage: ", **(getattr(model, "prompts", None) or {})}
    bert = model[0].auto_model
    bert.embeddings.word_embeddings.weight.requires_grad_(False)
    for layer in bert.encoder.layer[: args.freeze_layers]:
        layer.requires_grad_(False)
    trainable = [p for p in model.parameters() if p.requires_grad]
    changed_mb = sum(p.numel() for p in trainable) * 4 / 1e6
    total = sum(p.numel() for p in model.parameters())
    print(
        f"training {sum(p.numel() for p in trainable) / 1e6:.1f}M of {total / 1e6:.1f}M parameters",
        file=sys.stderr,
    )

    loss_fn = MultipleNegativesRankingLoss(model, scale=args.scale)
    schedule = [batches_without_duplicates(examples, args.batch_size, rng) for _ in range(args.epochs)]
    steps = sum(len(epoch) for epoch in schedule)
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(args.warmup * steps), steps)
    max_seq_length = model.max_seq_length

    def features(texts: list[str], prompt: str, tokens: int) -> dict:
        model.max_seq_length = tokens
        return model.preprocess([prompt + text for text in texts])

    model.train()
    done, stopped, losses = 0, False, []
    train_started = time.perf_counter()
    progress = tqdm(total=steps, desc="training", file=sys.stderr)
    for epoch in schedule:
        for batch in epoch:
            if (time.perf_counter() - train_started) / 60 > args.max_minutes:
                stopped = True
                break
            columns = [
                features([q for _, q, _, _ in batch], prompts["query"], args.query_tokens),
                features([corpus[d] for _, _, d, _ in batch], prompts["passage"], args.passage_tokens),
            ]
            if all(negative for *_, negative in batch):
                negatives = [corpus[n] for *_, n in batch]
                columns.append(features(negatives, prompts["passage"], args.passage_tokens))
            loss = loss_fn(columns, torch.empty(0))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            done += 1
            losses.append(float(loss))
            progress.update(1)
            progress.set_postfix(loss=f"{sum(losses[-20:]) / len(losses[-20:]):.3f}")
        if stopped:
            break
    progress.close()
    train_minutes = (time.perf_counter() - train_started) / 60

    model.eval()
    model.max_seq_length = max_seq_length
    out.mkdir(parents=True, exist_ok=True)
    summary = {
        "datasets": [str(folder) for folder in args.datasets],
        "skipped_fold": args.skip_fold,
        **news_summary,
        "pairs": len(examples),
        "hard_negatives": args.negatives,
        "steps": done,
        "steps_planned": steps,
        "stopped_by_time_limit": stopped,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "scale": args.scale,
        "epochs": args.epochs,
        "query_tokens": args.query_tokens,
        "passage_tokens": args.passage_tokens,
        "frozen": ["word_embeddings"] + [f"layer.{i}" for i in range(args.freeze_layers)],
        **loss_ends(losses),
        "training_minutes": round(train_minutes, 1),
        "changed_layers_mb": round(changed_mb, 1),
    }
    save_folder(model, out, args.base, " + ".join(trained_on), summary)
    print_summary(summary, started, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
