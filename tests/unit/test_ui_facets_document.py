"""The UI's facets (toggle links, chips), document view (marked words, way back) and similar documents,
with the stand-in service of test_ui."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tests.unit.test_ui import DOC_ID, SEED, FakeService, _client, _envelope, _html, _result


def _selected_envelope() -> dict:
    envelope = _envelope()
    envelope["facets"]["source"]["buckets"] = [
        {"value": "humas", "count": 1, "selected": True},
        {"value": "Kompas.com", "count": 1, "selected": False},
    ]
    return envelope


def _query(link: str) -> dict:
    return parse_qs(urlsplit(unescape(link)).query)


def test_facet_values_toggle_and_chips_remove_one_filter_each():
    page = _html(
        _client(FakeService(_selected_envelope())).get(
            "/?q=banjir&source=humas&lang=id&date_from=2020-01-01&page=2"
        )
    )
    toggles = dict(
        re.findall(r'<a href="([^"]+)" class="facet-toggle[^"]*" data-param="\w+" data-value="([^"]+)"', page)
    )
    by_value = {value: _query(link) for link, value in toggles.items()}
    # humas is selected: its link deselects it; Kompas.com's adds it (OR); every link starts at page 1
    assert by_value["humas"] == {"q": ["banjir"], "lang": ["id"], "date_from": ["2020-01-01"]}
    assert by_value["Kompas.com"]["source"] == ["humas", "Kompas.com"]
    assert all("page" not in query for query in by_value.values())
    assert 'class="facet-toggle is-selected"' in page and "— selected</span>" in page
    assert "Apply filters" not in page  # no Apply button for the facets; the dates keep theirs
    assert "Apply dates" in page
    chips = re.findall(r'<a class="chip" href="([^"]+)">([^<]+) <span', page)
    assert [label for _, label in chips] == [
        "Source: humas",
        "Language: Indonesian",
        "From date: 1 January 2020",
    ]
    removed = [_query(link) for link, _ in chips]
    assert removed[0] == {"q": ["banjir"], "lang": ["id"], "date_from": ["2020-01-01"]}
    assert removed[1] == {"q": ["banjir"], "source": ["humas"], "date_from": ["2020-01-01"]}
    assert removed[2] == {"q": ["banjir"], "source": ["humas"], "lang": ["id"]}
    clear = re.search(r'<a class="chip-clear" href="([^"]+)"', page).group(1)
    assert _query(clear) == {"q": ["banjir"]}


def _typed_filter(page: str, facet: str) -> dict:
    """The typed filter of one facet on the search page: its form's hidden state, its input, label and
    offered values."""
    section = re.search(rf'<section class="facet facet-{facet}".*?</section>', page, re.S).group(0)
    form = re.search(r'<form class="facet-other" method="get" action="/">.*?</form>', section, re.S).group(0)
    field = re.search(r'<input type="text" id="([^"]+)" name="([^"]+)" list="([^"]+)"', form)
    return {
        "state": re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form),
        "id": field.group(1),
        "param": field.group(2),
        "label": re.search(rf'<label for="{field.group(1)}">([^<]+)</label>', form).group(1),
        "options": re.findall(rf'<datalist id="{field.group(3)}">(.*?)</datalist>', form, re.S),
    }


def test_each_facet_takes_a_typed_value_and_offers_the_known_ones():
    """Issue 21: the filter inputs offer the known values. Each facet has a typed filter: a plain GET form
    that sends the parameter its links set, keeps the rest of the search (from page 1) and offers the
    facet's known values (``SearchService.known_values``) in a datalist."""
    service = FakeService(_selected_envelope())
    client = _client(service)
    page = _html(client.get("/?q=banjir&mode=keyword&sort=newest&source=humas&date_from=2020-01-01&page=2"))
    source = _typed_filter(page, "source")
    assert source["param"] == "source" and source["label"] == "Other source"
    assert source["state"] == [
        ("q", "banjir"),
        ("mode", "keyword"),
        ("sort", "newest"),
        ("source", "humas"),
        ("date_from", "2020-01-01"),
    ]
    offered = re.findall(r'<option value="([^"]+)"', source["options"][0])
    assert offered == ["humas", "Kompas.com", "tempo.co"]  # every known value, A–Z
    language = _typed_filter(page, "language")
    assert language["param"] == "lang"
    assert re.findall(r'<option value="(\w+)" label="([^"]+)">', language["options"][0]) == [
        ("en", "English"),
        ("id", "Indonesian"),
    ]
    # a facet none of the results has, with known values: only its typed filter; none without values
    org = _typed_filter(page, "org")
    assert org["param"] == "org" and "Bawaslu" in org["options"][0]
    assert 'class="facet facet-person"' not in page and 'class="facet facet-place"' not in page
    assert "Sumber lain" in _html(client.get("/?q=banjir&ui=id"))


def test_the_batch_filters_take_typed_values_too():
    client = _client(FakeService())
    page = _html(client.get("/batch"))
    for facet, param in (("source", "source"), ("collection", "collection"), ("language", "lang")):
        assert re.search(
            rf'<input type="text" id="b-other-{facet}" name="{param}" list="b-other-{facet}-values"', page
        )
    offered = re.search(r'<datalist id="b-other-source-values">(.*?)</datalist>', page, re.S).group(1)
    assert re.findall(r'<option value="([^"]+)"', offered) == ["humas", "Kompas.com", "tempo.co"]


def test_the_document_marks_the_query_opens_at_the_first_match_and_leads_back():
    service = FakeService()
    service.document = {
        **service.document,
        "query": "protokol",
        "passages": [
            {"passage_id": f"{DOC_ID}:{i}", "position": i, "text": SEED, "highlight": None} for i in range(3)
        ],
    }
    service.document["passages"][2]["highlight"] = "penerapan <mark>protokol</mark> kesehatan"
    state = "q=protokol&mode=keyword&source=humas&page=2&sort=newest"
    page = _html(_client(service).get(f"/documents/{DOC_ID}?{state}"))
    assert "<mark>protokol</mark>" in page
    assert '<div class="doc-passage is-marked has-match" id="p-3" aria-current="true" tabindex="-1">' in page
    assert "1 passage contains words of “protokol”" in page
    back = re.search(r'<p class="back"><a href="([^"]+)"', page).group(1)
    assert _query(back) == {
        "q": ["protokol"],
        "mode": ["keyword"],
        "source": ["humas"],
        "page": ["2"],
        "sort": ["newest"],
    }
    # no internal id in the header: the title, source, date and link; the id only in the small cite line
    header = re.search(r'<header class="doc-header">.*?</header>', page, re.S).group(0)
    assert "Document id" not in header and "https://humas.example.go.id/rakernas-2020" in header
    similar = re.search(r'href="(/passages/[^"]+/similar[^"]*)"', page).group(1)
    assert _query(similar)["q"] == ["protokol"]


def test_a_document_opened_alone_has_no_way_back_to_results():
    page = _html(_client(FakeService()).get(f"/documents/{DOC_ID}"))
    assert 'class="back"' not in page and "is-marked" not in page


def test_similar_documents_show_rank_score_and_a_relative_bar():
    results = [
        _result(doc_id=f"d{i}", title=f"Dokumen {i}", score=s, rank=i + 1, relative_score=r)
        for i, (s, r) in enumerate([(0.91, 1.0), (0.9, 0.5), (0.89, 0.0)])
    ]
    similar = {
        "passage_id": f"{DOC_ID}:6",
        "passage": {"doc_id": DOC_ID, "title": "Rakernas Sekda 2020", "position": 6, "text": SEED},
        "results": results,
    }
    page = _html(_client(FakeService(similar=similar)).get(f"/passages/{DOC_ID}:6/similar?q=pilkada"))
    assert "similarity 0.910" in page and "similarity 0.890" in page
    assert [float(w) for w in re.findall(r'class="closeness-fill" width="([\d.]+)"', page)] == [
        100.0,
        54.0,
        8.0,
    ]
    assert "¶ 7 of Rakernas Sekda 2020" in page
    links = re.findall(r'<h3 class="result-title" id="r-\d+">\s*<a href="([^"]+)"', page)
    assert len(links) == 3 and all(_query(link)["q"] == ["pilkada"] for link in links)
    assert re.search(r'<a href="/\?q=pilkada">Back to the results</a>', page)


def test_the_new_text_is_indonesian_in_the_indonesian_ui():
    client = _client(FakeService(_selected_envelope()))
    page = _html(client.get("/?q=banjir&source=humas&ui=id"))
    assert "Filter aktif:" in page and "— dipilih</span>" in page and "(hapus)" in page
    assert "Terapkan tanggal" in page and "Sumber: humas" in page
    service = FakeService()
    service.document = {**service.document, "query": "zzz"}
    page = _html(_client(service).get(f"/documents/{DOC_ID}?q=zzz&ui=id"))
    assert "Kembali ke hasil" in page and "Tidak ada paragraf yang memuat kata dari “zzz”." in page
