"""Indonesian for the texts of the batch search and API pages, looked up by their English text.

The calls are gettext's (``_("text %(name)s", name=x)``, ``ngettext(singular, plural, n)``), so that
when the gettext catalogs (Flask-Babel) are on main these pairs move into
``searchapp/translations/id/LC_MESSAGES/messages.po`` unchanged and this module goes away.
"""

from __future__ import annotations

from searchapp import i18n

INDONESIAN: dict[str, str] = {
    # navigation
    "Batch search": "Pencarian massal",
    "API": "API",
    # batch page
    "Batch search · arsip": "Pencarian massal · arsip",
    "Check a list of terms or names against the archive: how many documents match each one.": (
        "Periksa daftar istilah atau nama terhadap arsip: berapa dokumen yang cocok untuk masing-masing."
    ),
    "One term or name per line, at most %(num)s. Each line is searched like the search box in keyword "
    'mode: "Joko Widodo" in quotes is a phrase, OR and -exclusions work too.': (
        "Satu istilah atau nama per baris, paling banyak %(num)s. Setiap baris dicari seperti kotak "
        'pencarian dalam mode kata kunci: "Joko Widodo" dalam tanda kutip adalah frasa, OR dan '
        "-pengecualian juga berlaku."
    ),
    "Terms or names, one per line": "Istilah atau nama, satu per baris",
    "Or upload a .txt or .csv file (UTF-8; of a .csv file the first column is read)": (
        "Atau unggah berkas .txt atau .csv (UTF-8; dari berkas .csv dibaca kolom pertama)"
    ),
    "Filters for every term (optional)": "Filter untuk setiap istilah (opsional)",
    "Source": "Sumber",
    "Collection": "Koleksi",
    "Language": "Bahasa",
    "From date": "Dari tanggal",
    "To date": "Sampai tanggal",
    "Count matches": "Hitung kecocokan",
    "The list could not be searched": "Daftar tidak dapat dicari",
    "Matching documents per term": "Dokumen yang cocok per istilah",
    "%(num)s terms searched in %(seconds)s s.": "%(num)s istilah dicari dalam %(seconds)s detik.",
    "Line": "Baris",
    "Term": "Istilah",
    "Documents": "Dokumen",
    "Passages": "Bagian",
    "Notes": "Catatan",
    "(estimate)": "(perkiraan)",
    "Not counted": "Tidak dihitung",
    "Download CSV": "Unduh CSV",
    "Each term links to its search with the same filters. Programs can get the same table as JSON "
    "from %(route)s (see the API page).": (
        "Setiap istilah menautkan ke pencariannya dengan filter yang sama. Program bisa mendapatkan "
        "tabel yang sama sebagai JSON dari %(route)s (lihat halaman API)."
    ),
    "Blank lines skipped: %(num)s.": "Baris kosong dilewati: %(num)s.",
    "Line %(line)s repeats line %(first)s (%(term)s); it was searched once.": (
        "Baris %(line)s mengulang baris %(first)s (%(term)s); dicari sekali saja."
    ),
    "Only the first column of the file is read; %(num)s rows had more columns.": (
        "Hanya kolom pertama berkas yang dibaca; %(num)s baris memiliki lebih banyak kolom."
    ),
    # API page
    "API reference · arsip": "Referensi API · arsip",
    "API reference": "Referensi API",
    "Every route of the JSON API, generated from the OpenAPI document. The descriptions are in English.": (
        "Semua rute API JSON, dihasilkan dari dokumen OpenAPI. Deskripsinya dalam bahasa Inggris."
    ),
    "The machine-readable document:": "Dokumen yang dapat dibaca mesin:",
    "Routes": "Rute",
    "Parameters": "Parameter",
    "Name": "Nama",
    "In": "Letak",
    "Type and limits": "Tipe dan batas",
    "Description": "Deskripsi",
    "required": "wajib",
    "Request body (JSON)": "Isi permintaan (JSON)",
    "Field": "Kolom",
    "Responses": "Respons",
    "Status": "Status",
    "Example": "Contoh",
    "Try it: %(method)s %(path)s": "Coba: %(method)s %(path)s",
}


def gettext(message: str, **variables) -> str:
    """``message`` in the UI language, with ``%(name)s`` variables filled in."""
    text = INDONESIAN.get(message, message) if i18n.select_language() == "id" else message
    variables = {k: i18n.format_number(v) if isinstance(v, int) else v for k, v in variables.items()}
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """The singular or plural form for ``num`` (Indonesian has one form), with ``num`` filled in."""
    if i18n.select_language() == "id":
        return gettext(plural, num=num, **variables)
    return gettext(singular if num == 1 else plural, num=num, **variables)


def template_helpers() -> dict:
    return {"_": gettext, "ngettext": ngettext}
