"""The web UI's text in English and Indonesian.

The language is picked per request: ``?ui=id|en`` (remembered in a cookie), else the cookie, else the
``Accept-Language`` header (Indonesian when the browser prefers it over English), else English.
Messages are plain text (Jinja escapes them); ``{name}`` placeholders are filled by ``t(key, **kwargs)``.
A ``count`` argument picks the ``key_one`` form when it is 1 (English plurals; Indonesian has none).
"""

from __future__ import annotations

from datetime import date

from flask import g, has_request_context, request

LANGUAGES = ("en", "id")
DEFAULT_LANGUAGE = "en"
COOKIE = "arsip_ui"
COOKIE_MAX_AGE = 365 * 24 * 3600

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "app_name": "arsip",
        "tagline": "Search Indonesian news and government press releases",
        "skip_to_content": "Skip to content",
        "switch_language": "Bahasa Indonesia",
        "switch_language_label": "Tampilkan dalam Bahasa Indonesia",
        "nav_label": "Main",
        "nav_search": "Search",
        "nav_api": "API",
        "search_label": "Search the archive",
        "search_placeholder": "e.g. protokol kesehatan pilkada",
        "search_button": "Search",
        "mode_legend": "Search mode",
        "mode_hybrid": "Hybrid",
        "mode_hybrid_hint": "words and meaning",
        "mode_keyword": "Keyword",
        "mode_keyword_hint": "exact words",
        "mode_semantic": "Semantic",
        "mode_semantic_hint": "meaning",
        "filters": "Filters",
        "filters_active": "{count} active",
        "filters_label": "Filter the results",
        "apply_filters": "Apply filters",
        "clear_filters": "Clear all filters",
        "clear_dates": "Clear dates",
        "date_from": "From date",
        "date_to": "To date",
        "dates": "Date",
        "facet_source": "Source",
        "facet_collection": "Collection",
        "facet_language": "Language",
        "facet_year": "Year",
        "facet_month": "Month",
        "facet_count": "{count} documents",
        "facet_count_one": "1 document",
        "results_heading": "Results",
        "results_count": "{count} documents",
        "results_count_one": "1 document",
        "results_passages": "{count} passages",
        "results_passages_one": "1 passage",
        "summary_keyword": "{passages} passages in {documents} documents contain all words",
        "summary_browse": "{passages} passages in {documents} documents",
        "summary_hybrid": "{passages} passages in {documents} documents: {all_words} contain all words · "
        "{related} more related by meaning",
        "summary_semantic": "{passages} passages in {documents} documents related by meaning",
        "summary_estimate": "(the document count is an estimate)",
        "missing_words": "Missing: {words}",
        "sort_label": "Sort by",
        "sort_relevance": "Relevance",
        "sort_newest": "Newest first",
        "sort_oldest": "Oldest first",
        "undated_last": "{count} documents have no date; they are listed last.",
        "undated_last_one": "1 document has no date; it is listed last.",
        "histogram_month": "Matching documents per month",
        "histogram_year": "Matching documents per year",
        "histogram_bar": "{label}: {count} documents",
        "histogram_bar_one": "{label}: 1 document",
        "histogram_undated": "{count} documents have no date.",
        "histogram_undated_one": "1 document has no date.",
        "warnings_title": "Parts of your query were not used as typed",
        "export_jsonl": "Export JSONL",
        "export_cap": "(the first {limit} of {passages} passages)",
        "export_rows_note": "one row per matching passage, in this order",
        "summary_groups": "{groups} after grouping similar versions",
        "show_all_versions": "show every version",
        "group_versions": "group similar versions",
        "similar_versions": "+{count} similar versions",
        "similar_versions_one": "+1 similar version",
        "took": "{ms} ms",
        "results_for": "for “{query}”",
        "browse_mode_note": "No query text: browsing by filters (keyword mode).",
        "export_csv": "Export CSV",
        "untitled": "(untitled)",
        "passage_n": "¶ {n}",
        "open_in_document": "Open passage {n} in the document",
        "similar_passages": "Similar passages",
        "similar_passages_label": "Passages similar to passage {n} of “{title}”",
        "original_link": "Original",
        "original_link_label": "Original page of “{title}” (external site)",
        "pagination_label": "Result pages",
        "previous": "Previous",
        "next": "Next",
        "page_n": "Page {n}",
        "no_results_title": "No results for “{query}”",
        "no_results_filters": "No results with these filters",
        "no_results_tip_spelling": "Check the spelling, or use fewer or more general words.",
        "no_results_tip_filters": "Remove some filters or widen the date range.",
        "no_results_tip_mode": "Try the semantic mode: it finds passages with a similar meaning.",
        "no_results_tip_or": "Combine alternatives with OR, e.g. banjir OR longsor.",
        "help_title": "Query syntax",
        "help_intro": "Type words in Indonesian or English. Keyword mode finds passages that contain every "
        "word (in the passage or its title) unless you use OR; common words such as yang, di, dan are "
        "ignored, and a word also matches its root (menyatakan: pernyataan). Hybrid and semantic modes "
        "add passages related by meaning, and each such result says which words it lacks.",
        "help_words": "all words, in any order",
        "help_phrase": "an exact phrase",
        "help_exclude": "leave out passages with this word",
        "help_or": "either word",
        "help_source": "only this source (also collection:…)",
        "help_lang": "only this language (id or en)",
        "help_date": "a year, a month (2020-12) or a day (2020-12-09); also from: and to:",
        "help_modes": "Hybrid mode combines exact words with meaning; semantic mode also finds passages "
        "that say the same thing in other words.",
        "error_title": "Something went wrong",
        "error_400_title": "This search could not be run",
        "error_404_title": "Not found",
        "error_404_message": "There is no page at this address.",
        "error_404_document": "There is no document with the id “{id}” in the archive.",
        "error_404_passage": "There is no passage with the id “{id}” in the archive.",
        "error_409_title": "The search index and the model do not match",
        "error_414_message": "The address (URL) is too long.",
        "error_429_title": "Too many requests",
        "error_429_message": "Many requests came from your address in a short time. "
        "Please wait {seconds} s and try again.",
        "error_500_title": "Something went wrong on our side",
        "error_500_message": "The error was logged. Please try again.",
        "error_503_title": "The search engine is not available",
        "error_503_hint": "Please try again in a minute.",
        "error_code": "Error code: {code}",
        "back_to_search": "Back to the search page",
        "document_metadata": "Document details",
        "meta_source": "Source",
        "meta_collection": "Collection",
        "meta_date": "Date",
        "meta_language": "Language",
        "meta_author": "Author",
        "meta_url": "Original",
        "meta_id": "Document id",
        "document_passages": "Full text",
        "document_passage_count": "{count} passages",
        "document_passage_count_one": "1 passage",
        "marked_passage": "matched passage",
        "jump_to_marked": "Jump to the matched passage",
        "similar_title": "Similar passages",
        "similar_intro": "Passages from other documents that are closest in meaning to this passage:",
        "similar_source": "¶ {n} of {doc}",
        "similar_none": "No similar passages were found in other documents.",
        "similar_score": "similarity {score}",
        # facets, chips, document view, similar documents (helper "facets"; moves to the gettext catalog)
        "facet_selected": "selected",
        "apply_dates": "Apply dates",
        "active_filters": "Active filters:",
        "remove_filter": "remove",
        "chip_versions": "Versions of one story",
        "back_to_results": "Back to the results",
        "cite_label": "Cite",
        "document_matches": "{count} passages contain words of “{query}”",
        "document_matches_one": "1 passage contains words of “{query}”",
        "document_no_matches": "No passage contains the words of “{query}”.",
        "similar_rank_bar": "closeness within this list",
        "footer": "arsip · full-text and semantic search over news and press releases",
        "syntax_link": "Search syntax",
        "syntax_title": "Search syntax",
        "syntax_intro": "Every form the search box understands. Each example is a link that runs that search "
        "in keyword mode.",
        "syntax_section_words": "Words and phrases",
        "syntax_words": "every word must appear, in any order",
        "syntax_and": "the same: AND may be written but is the default",
        "syntax_or": "either of the two words next to OR, and jakarta: (banjir or longsor) and jakarta",
        "syntax_phrase": "these words exactly, next to each other and in this order",
        "syntax_proximity": "the words of the phrase near each other: up to 3 other words between them "
        "(a reversed pair counts as 2; at most {proximity})",
        "syntax_section_partial": "Partial and approximate words",
        "syntax_prefix": "words that start with pemilu: pemilu, pemilunya, pemilukada… "
        "(at least {prefix} letters before *)",
        "syntax_wildcard": "? stands for one letter and * for any number of letters inside one word "
        "(at least {prefix} letters before the first ? or *)",
        "syntax_fuzzy": "also words with small typing differences: korupsy, korubsi "
        "(1 difference for words of 3–5 letters, 2 for longer words)",
        "syntax_fuzzy_n": "at most this many differences (1 or 2; at most {fuzziness})",
        "syntax_section_exclude": "Leaving out",
        "syntax_exclude": "leave out passages with this word",
        "syntax_exclude_phrase": "leave out passages with this phrase",
        "syntax_exclude_forms": "leave out passages with any word starting with korup "
        '(also -korupsi~ and -"dana desa"~3)',
        "syntax_section_filters": "Filters",
        "syntax_source": "only this source",
        "syntax_source_quoted": "a value with a space goes in quotation marks",
        "syntax_collection": "only this collection",
        "syntax_lang": "only this language (id or en; also language:)",
        "syntax_date": "only this year (2020), month (2020-12) or day (2020-12-09)",
        "syntax_from_to": "from the first day of 2019 to the last day of June 2021",
        "syntax_exclude_source": "leave out a source (also -collection: and -lang:)",
        "syntax_section_matching": "How words are matched",
        "syntax_match_all": "In keyword mode a passage matches when it contains every word, phrase and OR "
        "group, and none of the excluded ones. The title of its document counts too.",
        "syntax_match_stopwords": "Very common words outside quotation marks (yang, di, dan, untuk…) are "
        "ignored; inside a phrase every word counts.",
        "syntax_match_stemming": "Plain words also match other forms of the same root (membangun also finds "
        "pembangunan); phrases, wildcards and fuzzy words are matched as written.",
        "syntax_match_case": "Capital letters do not matter. OR and AND are operators only in capitals.",
        "syntax_match_modes": "Hybrid and semantic modes also rank passages by meaning, so their results "
        "may lack some of the words.",
        "syntax_section_ignored": "What the search ignores",
        "syntax_ignored_intro": "Parts of a query that cannot be used are never applied silently: a notice "
        "above the results says what was ignored and how the rest was searched. For example:",
    },
    "id": {
        "app_name": "arsip",
        "tagline": "Cari berita dan siaran pers pemerintah Indonesia",
        "skip_to_content": "Langsung ke isi",
        "switch_language": "English",
        "switch_language_label": "Show in English",
        "nav_label": "Utama",
        "nav_search": "Cari",
        "nav_api": "API",
        "search_label": "Cari di arsip",
        "search_placeholder": "mis. protokol kesehatan pilkada",
        "search_button": "Cari",
        "mode_legend": "Mode pencarian",
        "mode_hybrid": "Hibrida",
        "mode_hybrid_hint": "kata dan makna",
        "mode_keyword": "Kata kunci",
        "mode_keyword_hint": "kata persis",
        "mode_semantic": "Semantik",
        "mode_semantic_hint": "makna",
        "filters": "Filter",
        "filters_active": "{count} aktif",
        "filters_label": "Saring hasil",
        "apply_filters": "Terapkan filter",
        "clear_filters": "Hapus semua filter",
        "clear_dates": "Hapus tanggal",
        "date_from": "Dari tanggal",
        "date_to": "Sampai tanggal",
        "dates": "Tanggal",
        "facet_source": "Sumber",
        "facet_collection": "Koleksi",
        "facet_language": "Bahasa",
        "facet_year": "Tahun",
        "facet_month": "Bulan",
        "facet_count": "{count} dokumen",
        "facet_count_one": "1 dokumen",
        "results_heading": "Hasil",
        "results_count": "{count} dokumen",
        "results_count_one": "1 dokumen",
        "results_passages": "{count} paragraf",
        "results_passages_one": "1 paragraf",
        "summary_keyword": "{passages} paragraf dalam {documents} dokumen memuat semua kata",
        "summary_browse": "{passages} paragraf dalam {documents} dokumen",
        "summary_hybrid": "{passages} paragraf dalam {documents} dokumen: {all_words} memuat semua kata · "
        "{related} lainnya terkait menurut makna",
        "summary_semantic": "{passages} paragraf dalam {documents} dokumen terkait menurut makna",
        "summary_estimate": "(jumlah dokumen adalah perkiraan)",
        "missing_words": "Tidak memuat: {words}",
        "sort_label": "Urutkan",
        "sort_relevance": "Relevansi",
        "sort_newest": "Terbaru dahulu",
        "sort_oldest": "Terlama dahulu",
        "undated_last": "{count} dokumen tidak bertanggal; ditampilkan paling akhir.",
        "undated_last_one": "1 dokumen tidak bertanggal; ditampilkan paling akhir.",
        "histogram_month": "Dokumen yang cocok per bulan",
        "histogram_year": "Dokumen yang cocok per tahun",
        "histogram_bar": "{label}: {count} dokumen",
        "histogram_bar_one": "{label}: 1 dokumen",
        "histogram_undated": "{count} dokumen tidak bertanggal.",
        "histogram_undated_one": "1 dokumen tidak bertanggal.",
        "warnings_title": "Sebagian kueri Anda tidak dipakai seperti yang diketik",
        "export_jsonl": "Ekspor JSONL",
        "export_cap": "({limit} pertama dari {passages} paragraf)",
        "export_rows_note": "satu baris per paragraf yang cocok, dalam urutan ini",
        "summary_groups": "{groups} setelah versi serupa dikelompokkan",
        "show_all_versions": "tampilkan semua versi",
        "group_versions": "kelompokkan versi serupa",
        "similar_versions": "+{count} versi serupa",
        "similar_versions_one": "+1 versi serupa",
        "took": "{ms} md",
        "results_for": "untuk “{query}”",
        "browse_mode_note": "Tanpa teks pencarian: menelusuri berdasarkan filter (mode kata kunci).",
        "export_csv": "Ekspor CSV",
        "untitled": "(tanpa judul)",
        "passage_n": "¶ {n}",
        "open_in_document": "Buka paragraf {n} di dalam dokumen",
        "similar_passages": "Paragraf serupa",
        "similar_passages_label": "Paragraf yang mirip dengan paragraf {n} dari “{title}”",
        "original_link": "Sumber asli",
        "original_link_label": "Halaman asli “{title}” (situs luar)",
        "pagination_label": "Halaman hasil",
        "previous": "Sebelumnya",
        "next": "Berikutnya",
        "page_n": "Halaman {n}",
        "no_results_title": "Tidak ada hasil untuk “{query}”",
        "no_results_filters": "Tidak ada hasil dengan filter ini",
        "no_results_tip_spelling": "Periksa ejaan, atau gunakan kata yang lebih sedikit atau lebih umum.",
        "no_results_tip_filters": "Hapus beberapa filter atau perluas rentang tanggal.",
        "no_results_tip_mode": "Coba mode semantik: mode ini menemukan paragraf dengan makna yang mirip.",
        "no_results_tip_or": "Gabungkan alternatif dengan OR, mis. banjir OR longsor.",
        "help_title": "Sintaks pencarian",
        "help_intro": "Ketik kata dalam bahasa Indonesia atau Inggris. Mode kata kunci menemukan paragraf "
        "yang memuat setiap kata (di paragraf atau judulnya), kecuali Anda memakai OR; kata umum seperti "
        "yang, di, dan diabaikan, dan kata juga cocok dengan kata dasarnya (menyatakan: pernyataan). Mode "
        "hibrida dan semantik menambahkan paragraf yang terkait menurut makna, dan setiap hasil seperti "
        "itu menyebutkan kata yang tidak dimuatnya.",
        "help_words": "semua kata, urutan bebas",
        "help_phrase": "frasa persis",
        "help_exclude": "kecualikan paragraf dengan kata ini",
        "help_or": "salah satu kata",
        "help_source": "hanya sumber ini (juga collection:…)",
        "help_lang": "hanya bahasa ini (id atau en)",
        "help_date": "tahun, bulan (2020-12) atau hari (2020-12-09); juga from: dan to:",
        "help_modes": "Mode hibrida menggabungkan kata persis dengan makna; mode semantik juga menemukan "
        "paragraf yang menyampaikan hal yang sama dengan kata lain.",
        "error_title": "Terjadi kesalahan",
        "error_400_title": "Pencarian ini tidak dapat dijalankan",
        "error_404_title": "Tidak ditemukan",
        "error_404_message": "Tidak ada halaman di alamat ini.",
        "error_404_document": "Tidak ada dokumen dengan ID “{id}” di arsip.",
        "error_404_passage": "Tidak ada paragraf dengan ID “{id}” di arsip.",
        "error_409_title": "Indeks pencarian dan model tidak cocok",
        "error_414_message": "Alamat (URL) terlalu panjang.",
        "error_429_title": "Terlalu banyak permintaan",
        "error_429_message": "Banyak permintaan datang dari alamat Anda dalam waktu singkat. "
        "Tunggu {seconds} detik, lalu coba lagi.",
        "error_500_title": "Terjadi kesalahan di sisi kami",
        "error_500_message": "Kesalahan ini sudah dicatat. Silakan coba lagi.",
        "error_503_title": "Mesin pencari tidak tersedia",
        "error_503_hint": "Silakan coba lagi sebentar lagi.",
        "error_code": "Kode kesalahan: {code}",
        "back_to_search": "Kembali ke halaman pencarian",
        "document_metadata": "Rincian dokumen",
        "meta_source": "Sumber",
        "meta_collection": "Koleksi",
        "meta_date": "Tanggal",
        "meta_language": "Bahasa",
        "meta_author": "Penulis",
        "meta_url": "Sumber asli",
        "meta_id": "ID dokumen",
        "document_passages": "Teks lengkap",
        "document_passage_count": "{count} paragraf",
        "document_passage_count_one": "1 paragraf",
        "marked_passage": "paragraf yang cocok",
        "jump_to_marked": "Lompat ke paragraf yang cocok",
        "similar_title": "Paragraf serupa",
        "similar_intro": "Paragraf dari dokumen lain yang maknanya paling dekat dengan paragraf ini:",
        "similar_source": "¶ {n} dari {doc}",
        "similar_none": "Tidak ditemukan paragraf serupa di dokumen lain.",
        "similar_score": "kemiripan {score}",
        # faset, chip, tampilan dokumen, dokumen serupa (helper "facets"; pindah ke katalog gettext)
        "facet_selected": "dipilih",
        "apply_dates": "Terapkan tanggal",
        "active_filters": "Filter aktif:",
        "remove_filter": "hapus",
        "chip_versions": "Versi dari satu berita",
        "back_to_results": "Kembali ke hasil",
        "cite_label": "Kutip",
        "document_matches": "{count} paragraf memuat kata dari “{query}”",
        "document_matches_one": "1 paragraf memuat kata dari “{query}”",
        "document_no_matches": "Tidak ada paragraf yang memuat kata dari “{query}”.",
        "similar_rank_bar": "kedekatan dalam daftar ini",
        "footer": "arsip · pencarian teks lengkap dan semantik atas berita dan siaran pers",
        "syntax_link": "Sintaks pencarian",
        "syntax_title": "Sintaks pencarian",
        "syntax_intro": "Semua bentuk yang dipahami kotak pencarian. Setiap contoh adalah tautan yang "
        "menjalankan pencarian itu dalam mode kata kunci.",
        "syntax_section_words": "Kata dan frasa",
        "syntax_words": "semua kata harus ada, urutan bebas",
        "syntax_and": "sama saja: AND boleh ditulis, tetapi sudah menjadi bawaan",
        "syntax_or": "salah satu dari dua kata di kiri-kanan OR, dan jakarta: (banjir atau longsor) dan "
        "jakarta",
        "syntax_phrase": "kata-kata ini persis, berdampingan dan dengan urutan ini",
        "syntax_proximity": "kata-kata frasa berdekatan: paling banyak 3 kata lain di antaranya (pasangan "
        "yang terbalik dihitung 2; paling banyak {proximity})",
        "syntax_section_partial": "Kata sebagian dan kata mirip",
        "syntax_prefix": "kata yang diawali pemilu: pemilu, pemilunya, pemilukada… (paling sedikit {prefix} "
        "huruf sebelum *)",
        "syntax_wildcard": "? mewakili satu huruf dan * sejumlah huruf di dalam satu kata (paling sedikit "
        "{prefix} huruf sebelum ? atau * pertama)",
        "syntax_fuzzy": "juga kata dengan sedikit salah ketik: korupsy, korubsi (1 perbedaan untuk kata 3–5 "
        "huruf, 2 untuk kata yang lebih panjang)",
        "syntax_fuzzy_n": "paling banyak sejumlah perbedaan ini (1 atau 2; paling banyak {fuzziness})",
        "syntax_section_exclude": "Mengecualikan",
        "syntax_exclude": "kecualikan paragraf dengan kata ini",
        "syntax_exclude_phrase": "kecualikan paragraf dengan frasa ini",
        "syntax_exclude_forms": "kecualikan paragraf dengan kata apa pun yang diawali korup "
        '(juga -korupsi~ dan -"dana desa"~3)',
        "syntax_section_filters": "Filter",
        "syntax_source": "hanya sumber ini",
        "syntax_source_quoted": "nilai yang mengandung spasi ditulis di antara tanda kutip",
        "syntax_collection": "hanya koleksi ini",
        "syntax_lang": "hanya bahasa ini (id atau en; juga language:)",
        "syntax_date": "hanya tahun (2020), bulan (2020-12) atau hari (2020-12-09) ini",
        "syntax_from_to": "dari hari pertama 2019 sampai hari terakhir Juni 2021",
        "syntax_exclude_source": "kecualikan sebuah sumber (juga -collection: dan -lang:)",
        "syntax_section_matching": "Cara kata dicocokkan",
        "syntax_match_all": "Dalam mode kata kunci, paragraf cocok jika memuat setiap kata, frasa, dan "
        "kelompok OR, dan tidak memuat yang dikecualikan. Judul dokumennya juga dihitung.",
        "syntax_match_stopwords": "Kata yang sangat umum di luar tanda kutip (yang, di, dan, untuk…) "
        "diabaikan; di dalam frasa setiap kata dihitung.",
        "syntax_match_stemming": "Kata biasa juga cocok dengan bentuk lain dari kata dasar yang sama "
        "(membangun juga menemukan pembangunan); frasa, wildcard, dan kata mirip dicocokkan persis seperti "
        "ditulis.",
        "syntax_match_case": "Huruf besar dan kecil tidak dibedakan. OR dan AND hanya menjadi operator jika "
        "ditulis dengan huruf besar.",
        "syntax_match_modes": "Mode hibrida dan semantik juga mengurutkan paragraf menurut makna, jadi "
        "hasilnya bisa tidak memuat sebagian kata.",
        "syntax_section_ignored": "Yang diabaikan oleh pencarian",
        "syntax_ignored_intro": "Bagian kueri yang tidak dapat dipakai tidak pernah diabaikan diam-diam: "
        "pemberitahuan di atas hasil menyebutkan apa yang diabaikan dan bagaimana sisanya dicari. Contohnya:",
    },
}

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "id": [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
}

LANGUAGE_NAMES = {
    "en": {"id": "Indonesian", "en": "English", "ms": "Malay", "jv": "Javanese", "su": "Sundanese"},
    "id": {"id": "Indonesia", "en": "Inggris", "ms": "Melayu", "jv": "Jawa", "su": "Sunda"},
}


def _valid(value: str | None) -> str | None:
    value = (value or "").strip().lower()
    return value if value in LANGUAGES else None


def select_language() -> str:
    """The UI language of the current request (cached on ``g``); English outside a request."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    cached = g.get("ui_language")
    if cached:
        return cached
    language = (
        _valid(request.args.get("ui"))
        or _valid(request.cookies.get(COOKIE))
        or request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)
    )
    g.ui_language = language
    return language


def other_language(language: str | None = None) -> str:
    language = language or select_language()
    return "en" if language == "id" else "id"


def translate(language: str, key: str, **kwargs) -> str:
    """The message ``key`` in ``language`` (falling back to English, then to the key itself)."""
    count = kwargs.get("count")
    keys = ([f"{key}_one"] if count == 1 else []) + [key]
    for lang in (language, DEFAULT_LANGUAGE):
        messages = MESSAGES.get(lang, {})
        for candidate in keys:
            if candidate in messages:
                text = messages[candidate]
                if "count" in kwargs and isinstance(count, int):
                    kwargs = {**kwargs, "count": format_number(count, language)}
                try:
                    return text.format(**kwargs) if kwargs else text
                except (KeyError, IndexError, ValueError):
                    return text
    return key


def t(key: str, **kwargs) -> str:
    """Translate ``key`` into the current request's UI language."""
    return translate(select_language(), key, **kwargs)


def format_number(value: int | float, language: str | None = None) -> str:
    """1,234 in English, 1.234 in Indonesian."""
    language = language or select_language()
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"
    return text.replace(",", ".") if language == "id" else text


def format_date(value: str | None, language: str | None = None) -> str:
    """An ISO date (or datetime) as ``22 September 2020``; anything unparseable is returned as is."""
    if not value:
        return ""
    language = language or select_language()
    text = str(value)
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{day.day} {MONTHS[language][day.month - 1]} {day.year}"


def format_month(value: str | None, language: str | None = None) -> str:
    """``2020-12`` as ``December 2020``; anything else is returned as is."""
    text = str(value or "")
    language = language or select_language()
    try:
        year, month = int(text[:4]), int(text[5:7])
        if len(text) != 7 or text[4] != "-" or not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        return text
    return f"{MONTHS[language][month - 1]} {year}"


def language_name(code: str | None, language: str | None = None) -> str:
    """A language code as a name in the UI language (``id`` → Indonesian / Indonesia)."""
    if not code:
        return ""
    language = language or select_language()
    return LANGUAGE_NAMES[language].get(str(code).lower(), str(code))


def persist_choice(response):
    """Remember an explicit ``?ui=`` choice in a cookie; responses vary by cookie and header."""
    if has_request_context():
        chosen = _valid(request.args.get("ui"))
        if chosen and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE,
                chosen,
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=request.is_secure,
            )
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def template_helpers() -> dict:
    """What templates get: ``t``, the current and the other language, and formatters."""
    language = select_language()
    return {
        "t": t,
        "ui_lang": language,
        "ui_other_lang": other_language(language),
        "fmt_number": format_number,
        "fmt_date": format_date,
        "fmt_month": format_month,
        "language_name": language_name,
    }
