#!/usr/bin/env python
"""Train a cross-encoder reranker from multilingual-e5-small on one judged dataset's dev questions (issue 25).

A measurement, nothing shipped: the model it saves is read by ``scripts/rerank_eval.py``, which reranks the
search page's top documents with it on the OTHER dataset (transfer).

    export ARSIP_DATA_DIR=/work/main/.arsip
    flock /tmp/arsip-heavy.lock .venv/bin/python scripts/train_reranker.py ../shared/eval/facqa \\
        --out $ARSIP_DATA_DIR/models/reranker-i25-facqa --max-minutes 15
    flock /tmp/arsip-heavy.lock .venv/bin/python scripts/rerank_eval.py ../shared/eval/tydiqa_id \\
        --reranker $ARSIP_DATA_DIR/models/reranker-i25-facqa --limit 600

What was chosen:

* **The model**: e5's BERT (``transformers.AutoModel`` from the sentence-transformers folder's root) reads
  the pair ``("query: " + question, "passage: " + passage)`` as one sequence (at most ``--max-tokens``,
  default 192, the passage cut first); the score is a linear layer over the mean of the last hidden state
  (e5 was trained with mean pooling, so the mean is the representation its weights already make
  meaningful; the linear head starts at random).
* **Listwise loss**: per question, softmax cross-entropy over (gold, ``--negatives`` BM25-mined
  negatives): the gold passage must score above them. Negatives are drawn at random (seeded) from the
  non-gold passages of BM25's top ``--negative-depth`` (default 15) — not always the top ones, which are
  the likeliest unjudged relevant passages. BM25 and the data reader are ``scripts/train_encoder.py``'s
  (imported); its ``build_examples`` mines one negative a pair, so the several negatives here are drawn
  from its ``BM25.top`` directly.
* **Frozen word-embedding table** (as in ``train_encoder.py``); the 12 layers, position/type embeddings
  and the head train. AdamW, learning rate 3e-5 for the encoder and 1e-3 for the new head, 10% warmup
  then linear decay, gradient-norm clip 1.0, ``--questions-per-step`` questions a step (default 8).
* **Sized to the clock**: two steps are timed first (forward and backward, no update), then the run is
  cut to the questions that fit ``--max-minutes`` (so that the learning rate still decays to zero); the
  wall-clock limit also stops the loop if the machine slows down. ``torch.set_num_threads(2)`` by default.

The output folder (never inside the repository) holds the BERT weights and tokenizer
(``save_pretrained``), ``head.pt`` and ``reranker.json`` (what was trained, for how long).
Progress goes to stderr; the summary to stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_encoder import (  # noqa: E402
    BM25,
    DEFAULT_BASE,
    loss_ends,
    output_folder,
    print_summary,
    read_dataset,
)

QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "


def mine_negatives(
    corpus: dict[str, str],
    queries: dict[str, str],
    gold: dict[str, list[str]],
    count: int,
    depth: int,
    rng: random.Random,
) -> list[tuple[str, list[str], list[str]]]:
    """(question, gold passage ids, ``count`` negative ids) per question with enough non-gold passages in
    BM25's top ``depth``; questions with fewer are skipped (counted on stderr)."""
    bm25 = BM25(corpus)
    examples, skipped = [], 0
    for qid in sorted(gold):
        candidates = [d for d in bm25.top(queries[qid], depth) if d not in gold[qid]]
        if len(candidates) < count:
            skipped += 1
            continue
        examples.append((queries[qid], gold[qid], rng.sample(candidates, count)))
    if skipped:
        print(
            f"{skipped} questions had fewer than {count} non-gold passages in BM25's top {depth}",
            file=sys.stderr,
        )
    return examples


class CrossEncoder:
    """e5's BERT over the (query, passage) pair, a linear head on the mean-pooled last hidden state."""

    def __init__(self, folder: Path, head: Path | None = None) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(folder))
        self.bert = AutoModel.from_pretrained(str(folder), add_pooling_layer=False)
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
        if head is not None:
            self.head.load_state_dict(torch.load(head, map_location="cpu"))

    def encode(self, questions: list[str], passages: list[str], max_tokens: int) -> dict:
        return self.tokenizer(
            [QUERY_PREFIX + q for q in questions],
            [PASSAGE_PREFIX + p for p in passages],
            truncation="only_second",
            max_length=max_tokens,
            padding=True,
            return_tensors="pt",
        )

    def scores(self, features: dict):
        hidden = self.bert(**features).last_hidden_state
        mask = features["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
        return self.head(pooled).squeeze(-1)

    def score(self, question: str, passages: list[str], max_tokens: int = 192) -> list[float]:
        """Inference: one question against its passages, in one batch."""
        with self.torch.inference_mode():
            return self.scores(self.encode([question] * len(passages), passages, max_tokens)).tolist()

    def train(self, mode: bool = True) -> None:
        self.bert.train(mode)
        self.head.train(mode)

    def save(self, out: Path) -> None:
        self.bert.save_pretrained(str(out))
        self.tokenizer.save_pretrained(str(out))
        self.torch.save(self.head.state_dict(), out / "head.pt")


def load_reranker(folder: Path) -> CrossEncoder:
    model = CrossEncoder(folder, head=folder / "head.pt")
    model.train(False)
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, help="folder with corpus.jsonl, queries.jsonl, qrels.tsv (dev)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (outside the repository)")
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE, help="base sentence-transformers folder")
    parser.add_argument("--negatives", type=int, default=5, help="BM25 negatives per question (3-7)")
    parser.add_argument("--negative-depth", type=int, default=15, help="negatives from BM25's top N")
    parser.add_argument("--questions-per-step", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=192)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=float, default=0.1)
    parser.add_argument(
        "--max-minutes", type=float, default=15.0, help="size the run to this, and stop there"
    )
    parser.add_argument("--timing-steps", type=int, default=2, help="steps timed before sizing the run")
    parser.add_argument("--max-steps", type=int, help="at most N steps (a smoke run)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)

    out = output_folder(parser, args.out)

    import torch
    from transformers import get_linear_schedule_with_warmup

    started = time.perf_counter()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)

    corpus, queries, gold = read_dataset(args.dataset)
    examples = mine_negatives(corpus, queries, gold, args.negatives, args.negative_depth, rng)
    rng.shuffle(examples)
    print(
        f"{len(examples)} questions, {len(corpus)} passages, {args.negatives} negatives each", file=sys.stderr
    )

    model = CrossEncoder(args.base)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    encoder_params = [p for p in model.bert.parameters() if p.requires_grad]
    print(
        f"training {sum(p.numel() for p in encoder_params) / 1e6:.1f}M encoder parameters + head",
        file=sys.stderr,
    )
    size = args.questions_per_step
    group = 1 + args.negatives

    def batch_loss(batch) -> torch.Tensor:
        questions, passages = [], []
        for question, gold_ids, negative_ids in batch:
            # one gold passage per question (the first; FacQA has a few questions with two)
            for doc_id in [gold_ids[0], *negative_ids]:
                questions.append(question)
                passages.append(corpus[doc_id])
        logits = model.scores(model.encode(questions, passages, args.max_tokens)).view(len(batch), group)
        return torch.nn.functional.cross_entropy(logits, torch.zeros(len(batch), dtype=torch.long))

    model.train()
    # Time a few steps (forward + backward, no update) to size the run to the clock.
    timing_started = time.perf_counter()
    for i in range(args.timing_steps):
        batch_loss(examples[i * size : (i + 1) * size]).backward()
    model.bert.zero_grad(set_to_none=True)
    model.head.zero_grad(set_to_none=True)
    step_seconds = (time.perf_counter() - timing_started) / max(1, args.timing_steps)
    fit = int(args.max_minutes * 60 / step_seconds)
    steps = min(fit, len(examples) // size, args.max_steps or fit)
    print(
        f"{step_seconds:.1f} s a step of {size} questions x {group} pairs: {steps} steps fit "
        f"({steps * size} of {len(examples)} questions)",
        file=sys.stderr,
    )

    optimizer = torch.optim.AdamW(
        [{"params": encoder_params, "lr": args.lr}, {"params": model.head.parameters(), "lr": args.head_lr}],
        weight_decay=0.01,
    )
    scheduler = get_linear_schedule_with_warmup(optimizer, max(1, int(args.warmup * steps)), steps)
    trainable = encoder_params + list(model.head.parameters())
    losses: list[float] = []
    done, stopped = 0, False
    train_started = time.perf_counter()
    for step in range(steps):
        if (time.perf_counter() - train_started) / 60 > args.max_minutes:
            stopped = True
            break
        loss = batch_loss(examples[step * size : (step + 1) * size])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        done += 1
        if done % 10 == 0 or done == steps:
            recent = losses[-10:]
            elapsed = (time.perf_counter() - train_started) / 60
            print(
                f"step {done}/{steps} loss {sum(recent) / len(recent):.3f} {elapsed:.1f} min", file=sys.stderr
            )
    train_minutes = (time.perf_counter() - train_started) / 60

    model.train(False)
    out.mkdir(parents=True, exist_ok=True)
    model.save(out)
    window = max(1, min(20, len(losses) // 4))
    summary = {
        "dataset": str(args.dataset),
        "base": str(args.base),
        "questions": done * size,
        "questions_available": len(examples),
        "negatives_per_question": args.negatives,
        "negative_depth": args.negative_depth,
        "questions_per_step": size,
        "steps": done,
        "steps_planned": steps,
        "stopped_by_time_limit": stopped,
        "step_seconds_timed": round(step_seconds, 2),
        "max_tokens": args.max_tokens,
        "lr": args.lr,
        "head_lr": args.head_lr,
        "threads": args.threads,
        "frozen": ["word_embeddings"],
        **loss_ends(losses, window),
        "chance_loss": round(float(torch.log(torch.tensor(float(group)))), 4),
        "training_minutes": round(train_minutes, 1),
    }
    (out / "reranker.json").write_text(json.dumps(summary, indent=2) + "\n")
    print_summary(summary, started, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
