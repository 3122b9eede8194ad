"""Typed settings read from environment variables (documented in README.md).

Everything configurable lives here so the rest of the code never reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from arsip.stemming import check_stemmer

REPO_ROOT = Path(__file__).resolve().parent.parent
MAPPINGS_DIR = REPO_ROOT / "mappings"
DEFAULT_MODEL_NAME = "multilingual-e5-small"
# Which runtime embeds (arsip/encoders.py): torch = sentence-transformers fp32; the others are the
# variants `arsip model install` builds (arsip/encoder_build.py). Default: the fastest that passes
# scripts/encoder_gate.py (docs/benchmarks.md).
ENCODERS = ("torch", "onnx", "onnx-int8", "openvino-int8")
DEFAULT_ENCODER = "openvino-int8"
# Variants whose every vector is within cosine 0.995 of torch fp32's (scripts/encoder_gate.py, tested in
# tests/integration/test_encoders.py): an index embedded by one is searched correctly by another.
# onnx-int8 is not among them (single vectors down to 0.992), so it only reads indices it embedded.
INTERCHANGEABLE_ENCODERS = ("torch", "onnx", "openvino-int8")
DEFAULT_STOPWORDS = "_indonesian_"  # Elasticsearch's Indonesian list; measured in docs/evaluation.md
# When PDF pages and images are read by OCR (indexer/ocr.py, docs/ocr.md): "auto" = pages without (enough)
# text layer and every image, "always" = every page, "never" = none (images are then skipped).
OCR_MODES = ("auto", "always", "never")


def _env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_parsed(name: str, default, parse, expected: str):
    """The variable parsed by ``parse``, the default when unset; a bad value names the variable."""
    raw = _env_str(name)
    if raw is None:
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be {expected}, got {raw!r}") from exc


def _env_int(name: str, default: int) -> int:
    return _env_parsed(name, default, int, "an integer")


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in choices:
            raise ValueError(value)
        return value

    return _env_parsed(name, default, parse, "one of " + ", ".join(choices))


def _env_float(name: str, default: float) -> float:
    return _env_parsed(name, default, float, "a number")


_RATE_UNITS = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0, "h": 3600.0}


def parse_rate(raw: str) -> float:
    """Requests per second from "30/s", "600/min", "1000/h" or a bare number (per second); 0 = off."""
    count, _, unit = raw.strip().partition("/")
    seconds = _RATE_UNITS.get(unit.strip().lower() or "s")
    try:
        value = float(count)
    except ValueError:
        value = -1.0
    if seconds is None or not value >= 0 or value == float("inf"):
        raise ValueError(f"expected a rate such as 50/s, 600/min or 0 (off), got {raw!r}")
    return value / seconds


def _threshold(raw: str) -> float:
    value = float(raw)
    if not 0.0 < value <= 1.0:
        raise ValueError(f"expected a number in (0, 1], got {raw!r}")
    return value


def _env_rate(name: str, default: float) -> float:
    return _env_parsed(name, default, parse_rate, "a rate such as 50/s, 600/min or 0 (off)")


@dataclass(frozen=True)
class Settings:
    """All of arsip's configuration, with defaults for a local single-node setup."""

    data_dir: Path = field(default_factory=lambda: REPO_ROOT / ".arsip")
    es_url: str | None = None  # None: the local node managed by `arsip es`
    es_api_key: str | None = field(default=None, repr=False)
    es_username: str | None = None
    es_password: str | None = field(default=None, repr=False)
    # The search app's own identity (read-only role); unset = the same as the indexer's above.
    es_search_api_key: str | None = field(default=None, repr=False)
    es_search_username: str | None = None
    es_search_password: str | None = field(default=None, repr=False)
    es_ca_certs: str | None = None
    es_request_timeout: float = 10.0
    es_port: int = 9200
    es_heap: str = "1g"
    es_version: str = "8.19.21"
    es_replicas: int = 0
    java_home: str | None = None
    index: str = "arsip-passages"
    saved_searches_index: str = "arsip-saved-searches"  # alias of the saved searches' own small index
    model: str | None = None  # None: the locally built multilingual-e5-small
    encoder: str = DEFAULT_ENCODER  # ARSIP_ENCODER, one of ENCODERS
    embed_batch_size: int = 8  # measured fastest on 2 cores (docs/benchmarks.md)
    max_passage_tokens: int = 256
    # Dropped from unquoted keyword queries (new indices): a list Elasticsearch knows (`_english_`,
    # `_none_`…) or comma-separated words. Measured in docs/evaluation.md.
    stopwords: str = DEFAULT_STOPWORDS
    # Stemmed twins of text/title for the keyword side ("sastrawi" or "none"; docs/evaluation.md).
    stemming: str = "sastrawi"
    torch_threads: int = 0  # 0: one per CPU core
    search_timeout: float = 5.0
    export_limit: int = 10_000
    max_file_mb: float = 50.0  # txt/html/pdf files above this are skipped (and one JSONL/CSV record)
    rate_limit: float = 50.0  # requests per second per client address; 0 disables the limiter
    rate_burst: int = 100  # requests a client may send at once before the rate applies
    trust_proxy: bool = False  # key clients by X-Forwarded-For (only behind a proxy that sets it)
    rate_limit_storage: str = "memory://"  # Flask-Limiter storage; redis://… shares limits across processes
    # Near-duplicate groups at index time (indexer/near_duplicates.py, docs/near_duplicates.md): on/off
    # and the estimated Jaccard of 5-word shingles a document needs to join a group.
    near_dup: bool = True
    near_dup_threshold: float = 0.5
    # People, organisations and places tagged at index time (arsip/entities, docs/entities.md).
    entities: bool = True
    # OCR of scanned PDF pages and images by Tesseract (docs/ocr.md): when, in which languages (Tesseract's
    # "ind+eng" form), at what resolution PDF pages are rendered, how long one page may take, and how many
    # pages are read at once (0: one per core, shared out between --workers).
    ocr: str = "auto"
    ocr_lang: str = "ind+eng"
    ocr_dpi: int = 300
    ocr_page_timeout: float = 60.0
    ocr_jobs: int = 0

    @property
    def es_home(self) -> Path:
        """Where the local Elasticsearch distribution, its config, data and logs live."""
        return self.data_dir / "elasticsearch"

    @property
    def local_es_url(self) -> str:
        return f"http://127.0.0.1:{self.es_port}"

    @property
    def effective_es_url(self) -> str:
        return self.es_url or self.local_es_url

    @property
    def model_dir(self) -> Path:
        """The folder `arsip model install` builds the default model into."""
        return self.data_dir / "models" / DEFAULT_MODEL_NAME

    @property
    def model_path(self) -> str:
        return self.model or str(self.model_dir)

    @classmethod
    def from_env(cls) -> Settings:
        defaults = cls()
        data_dir = _env_str("ARSIP_DATA_DIR")
        return cls(
            data_dir=Path(data_dir).expanduser().resolve() if data_dir else defaults.data_dir,
            es_url=_env_str("ARSIP_ES_URL"),
            es_api_key=_env_str("ARSIP_ES_API_KEY"),
            es_username=_env_str("ARSIP_ES_USERNAME"),
            es_password=_env_str("ARSIP_ES_PASSWORD"),
            es_search_api_key=_env_str("ARSIP_ES_SEARCH_API_KEY"),
            es_search_username=_env_str("ARSIP_ES_SEARCH_USERNAME"),
            es_search_password=_env_str("ARSIP_ES_SEARCH_PASSWORD"),
            es_ca_certs=_env_str("ARSIP_ES_CA_CERTS"),
            es_request_timeout=_env_float("ARSIP_ES_TIMEOUT", defaults.es_request_timeout),
            es_port=_env_int("ARSIP_ES_PORT", defaults.es_port),
            es_heap=_env_str("ARSIP_ES_HEAP", defaults.es_heap),
            es_version=_env_str("ARSIP_ES_VERSION", defaults.es_version),
            es_replicas=_env_int("ARSIP_ES_REPLICAS", defaults.es_replicas),
            java_home=_env_str("ARSIP_JAVA_HOME") or _env_str("ES_JAVA_HOME"),
            index=_env_str("ARSIP_INDEX", defaults.index),
            saved_searches_index=_env_str("ARSIP_SAVED_SEARCHES_INDEX", defaults.saved_searches_index),
            model=_env_str("ARSIP_MODEL"),
            encoder=_env_choice("ARSIP_ENCODER", defaults.encoder, ENCODERS),
            embed_batch_size=_env_int("ARSIP_EMBED_BATCH_SIZE", defaults.embed_batch_size),
            max_passage_tokens=_env_int("ARSIP_MAX_PASSAGE_TOKENS", defaults.max_passage_tokens),
            stopwords=_env_str("ARSIP_STOPWORDS", defaults.stopwords),
            stemming=check_stemmer(_env_str("ARSIP_STEMMING", defaults.stemming)),
            torch_threads=_env_int("ARSIP_TORCH_THREADS", defaults.torch_threads),
            search_timeout=_env_float("ARSIP_SEARCH_TIMEOUT", defaults.search_timeout),
            export_limit=_env_int("ARSIP_EXPORT_LIMIT", defaults.export_limit),
            max_file_mb=_env_float("ARSIP_MAX_FILE_MB", defaults.max_file_mb),
            rate_limit=_env_rate("ARSIP_RATE_LIMIT", defaults.rate_limit),
            rate_burst=_env_int("ARSIP_RATE_BURST", defaults.rate_burst),
            trust_proxy=_env_str("ARSIP_TRUST_PROXY", "0").strip().lower() in ("1", "true", "yes", "on"),
            rate_limit_storage=_env_str("ARSIP_RATE_LIMIT_STORAGE", defaults.rate_limit_storage),
            near_dup=_env_str("ARSIP_NEAR_DUP", "1").strip().lower() in ("1", "true", "yes", "on"),
            entities=_env_str("ARSIP_ENTITIES", "1").strip().lower() in ("1", "true", "yes", "on"),
            near_dup_threshold=_env_parsed(
                "ARSIP_NEAR_DUP_THRESHOLD", defaults.near_dup_threshold, _threshold, "a number in (0, 1]"
            ),
            ocr=_env_choice("ARSIP_OCR", defaults.ocr, OCR_MODES),
            ocr_lang=_env_str("ARSIP_OCR_LANG", defaults.ocr_lang),
            ocr_dpi=_env_int("ARSIP_OCR_DPI", defaults.ocr_dpi),
            ocr_page_timeout=_env_float("ARSIP_OCR_PAGE_TIMEOUT", defaults.ocr_page_timeout),
            ocr_jobs=_env_int("ARSIP_OCR_JOBS", defaults.ocr_jobs),
        )
