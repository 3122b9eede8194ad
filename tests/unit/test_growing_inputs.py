"""A file that grows while it is read is read as it was when opened: never without end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indexer.documents import SourceDocument
from indexer.readers import read_file


def _record(i: int) -> str:
    return (
        json.dumps({"id": f"r{i}", "title": f"Judul {i}", "text": f"Berita nomor {i} tentang banjir."}) + "\n"
    )


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_lines_appended_while_reading_are_not_read(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"growing{suffix}"
    if suffix == ".jsonl":
        path.write_text("".join(_record(i) for i in range(3)), encoding="utf-8")
        extra = _record(99)
    else:
        path.write_text("id,title,text\n" + "".join(f"r{i},Judul {i},Berita {i}\n" for i in range(3)))
        extra = "r99,Judul 99,Berita 99\n"
    read: list[SourceDocument] = []
    with path.open("a", encoding="utf-8") as writer:
        for item in read_file(path):
            assert isinstance(item, SourceDocument)
            read.append(item)
            for _ in range(200):  # what `arsip index DIR --report DIR/report.jsonl` did: one line per doc
                writer.write(extra)
            writer.flush()
    assert [doc.title for doc in read] == ["Judul 0", "Judul 1", "Judul 2"]
    assert path.stat().st_size > 200 * 3 * len(extra)  # the file did grow meanwhile
