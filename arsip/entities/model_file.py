"""Where the shipped entity model lives and which version it is (recorded in each index's ``_meta``)."""

from __future__ import annotations

from pathlib import Path

# Bump when the model file or the features it was trained on change: indices record it.
MODEL_VERSION = "crf-1"
MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_PATH = MODEL_DIR / "entities.crfsuite"
# How often each word is capitalised inside a sentence in 21,965 cased news articles (one letter a word,
# scripts/train_entities.py capitalisation): what lower-case text has lost, as a feature.
CAPITALISATION_PATH = MODEL_DIR / "capitalisation.tsv"
