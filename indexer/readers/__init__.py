"""Turn archive files into ``SourceDocument``s: txt/markdown, HTML, JSONL/JSON, CSV, PDF and images.

Archives are large and dirty, so reading is streaming (generators; JSONL and CSV line by line) and
never raises for bad input: a broken record yields a ``ReadError`` for that record and reading goes
on; a broken file (binary junk, empty, undecodable, too big, invalid PDF) yields a single ``ReadError``.
The caller decides what to log or count.

Readers return the text as written (decoded, Unix newlines). Boilerplate removal (``indexer.cleaning``)
and language detection (``indexer.language``) are separate steps, so that document ids, which hash
the text, do not change when cleaning rules change.

``collection`` and ``source`` arguments, when given, override what a record or page says itself.

Layout: ``base`` (limits, ``ReadError``), ``decoding`` (bytes to text), ``ids`` (document ids),
``paths`` (formats, folder walking), one module per format (``txt``, ``html``, ``pdf``, ``image``,
``jsonl``, ``csv``; ``records`` is what JSONL and CSV share, ``paged`` what PDFs and images share), and
``reader`` (``read_file``, the entry point). Readers never OCR: they leave scanned pages to the run
(``indexer.scanning``).
The public names are importable from ``indexer.readers``.
"""

from indexer.readers.base import (
    MAX_FILE_BYTES,
    MAX_RECORD_BYTES,
    RECORD_FIELDS,
    STDIN_NAME,
    OcrOptions,
    ReadError,
    UnsupportedFormat,
    too_large_reason,
)
from indexer.readers.decoding import decode_text
from indexer.readers.html import strip_tags
from indexer.readers.ids import make_doc_id
from indexer.readers.jsonl import read_stream
from indexer.readers.paths import (
    ARCHIVE_SUFFIXES,
    FORMAT_BY_SUFFIX,
    FORMATS,
    detect_format,
    iter_paths,
    unsupported_in_folder,
)
from indexer.readers.reader import read_file
from indexer.readers.records import document_from_record
from indexer.readers.txt import split_title

__all__ = [
    "ARCHIVE_SUFFIXES",
    "FORMATS",
    "FORMAT_BY_SUFFIX",
    "MAX_FILE_BYTES",
    "MAX_RECORD_BYTES",
    "RECORD_FIELDS",
    "STDIN_NAME",
    "OcrOptions",
    "ReadError",
    "UnsupportedFormat",
    "decode_text",
    "detect_format",
    "document_from_record",
    "iter_paths",
    "make_doc_id",
    "read_file",
    "read_stream",
    "split_title",
    "strip_tags",
    "too_large_reason",
    "unsupported_in_folder",
]
