"""What the query parser says about the parts of a query it ignores or reads differently than typed.

One ``QueryWarning`` per such part: a stable code (clients may key on it), the text exactly as typed, and
a message in English and Indonesian that names only syntax the user typed. The catalogue is here, apart
from the parser, so the wording can be reviewed (and translated) in one place; docs/query_syntax.md has
the table with an example of each.
"""

from __future__ import annotations

from dataclasses import dataclass

WARNING_MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_date": (
        "“{text}” is not a valid date (use YYYY, YYYY-MM or YYYY-MM-DD), so no date filter was applied "
        "for it.",
        "“{text}” bukan tanggal yang sah (gunakan YYYY, YYYY-MM, atau YYYY-MM-DD), jadi filter tanggal ini "
        "tidak diterapkan.",
    ),
    "date_not_excludable": (
        "Dates cannot be excluded, so “{text}” was ignored; use from: and to: to limit the dates.",
        "Tanggal tidak dapat dikecualikan, jadi “{text}” diabaikan; gunakan from: dan to: untuk membatasi "
        "tanggal.",
    ),
    "date_range_reversed": (
        "In “{text}” the start date is after the end date, so no document can match; swap the dates.",
        "Pada “{text}” tanggal awal jatuh setelah tanggal akhir, jadi tidak ada dokumen yang cocok; tukar "
        "kedua tanggal.",
    ),
    "empty_filter": (
        "“{text}” has no value, so no filter was applied; write the value right after the colon, e.g. "
        "{example}.",
        "“{text}” tidak memiliki nilai, jadi tidak ada filter yang diterapkan; tulis nilainya langsung "
        "setelah titik dua, misalnya {example}.",
    ),
    "unknown_field": (
        "“{key}:” is not a filter (the filters are source, collection, lang, person, org, place, title, "
        "author, date, from and to), so “{text}” was searched as the plain words “{words}”.",
        "“{key}:” bukan filter (filter yang ada: source, collection, lang, person, org, place, title, "
        "author, date, from, dan to), jadi “{text}” dicari sebagai kata biasa “{words}”.",
    ),
    "dangling_minus": (
        "A “-” excludes a word only when written right before it (e.g. -hoaks); the lone “-” was ignored.",
        "Tanda “-” mengecualikan kata hanya jika ditulis menempel di depannya (misalnya -hoaks); tanda “-” "
        "yang berdiri sendiri diabaikan.",
    ),
    "unbalanced_quote": (
        "The quotation mark in “{text}” has no closing partner, so its words were searched as separate "
        "words, not as a phrase.",
        "Tanda kutip pada “{text}” tidak memiliki pasangan penutup, jadi kata-katanya dicari sebagai kata "
        "terpisah, bukan sebagai frasa.",
    ),
    "dangling_operator": (
        "“{text}” works only between two words or phrases (e.g. banjir OR longsor), so it was ignored.",
        "“{text}” hanya berlaku di antara dua kata atau frasa (misalnya banjir OR longsor), jadi diabaikan.",
    ),
    "dangling_not": (
        "“NOT” leaves out the word or phrase right after it (e.g. pilkada NOT hoaks); nothing followed it "
        "here, so it was ignored.",
        "“NOT” mengecualikan kata atau frasa tepat sesudahnya (misalnya pilkada NOT hoaks); di sini tidak "
        "ada yang mengikutinya, jadi diabaikan.",
    ),
    "lowercase_operator": (
        "“{text}” in lower case is searched as a word, which passages rarely contain; write {operator} in "
        "capitals to use it as an operator (e.g. banjir OR longsor, pilkada NOT hoaks).",
        "“{text}” dalam huruf kecil dicari sebagai kata, yang jarang ada dalam teks; tulis {operator} "
        "dengan huruf kapital untuk memakainya sebagai operator (misalnya banjir OR longsor, pilkada NOT "
        "hoaks).",
    ),
    "stop_words_exact": (
        "“{text}” has only very common words, which the search otherwise ignores; they were searched "
        "exactly as written (as if in quotation marks).",
        "“{text}” hanya berisi kata yang sangat umum, yang biasanya diabaikan pencarian; kata-kata itu "
        "dicari persis seperti ditulis (seperti di dalam tanda kutip).",
    ),
    "unknown_filter_value": (
        "No document has {facet} “{text}”, so this filter matches nothing; did you mean {closest}?",
        "Tidak ada dokumen dengan {facet} “{text}”, jadi filter ini tidak cocok dengan apa pun; mungkin "
        "maksud Anda {closest}?",
    ),
    "unknown_filter_value_far": (
        "No document has {facet} “{text}”, so this filter matches nothing; the archive has, e.g., {known}.",
        "Tidak ada dokumen dengan {facet} “{text}”, jadi filter ini tidak cocok dengan apa pun; arsip ini "
        "memiliki, misalnya, {known}.",
    ),
    "operator_ignored": (
        "Brackets and the signs + ^ & | ! \\ are not part of the search syntax; they were ignored in "
        "“{text}”.",
        "Tanda kurung dan tanda + ^ & | ! \\ bukan bagian dari sintaks pencarian; tanda itu diabaikan pada "
        "“{text}”.",
    ),
    "no_searchable_text": (
        "“{text}” contains no letters or digits, so it was ignored.",
        "“{text}” tidak mengandung huruf atau angka, jadi diabaikan.",
    ),
    "wildcard_alone": (
        "“{text}” alone matches nothing: a wildcard needs at least {limit} letters before it (e.g. "
        "pemilu*). To list everything, leave the search box empty and choose filters.",
        "“{text}” saja tidak cocok dengan apa pun: wildcard memerlukan paling sedikit {limit} huruf "
        "sebelumnya (misalnya pemilu*). Untuk menampilkan semuanya, kosongkan kotak pencarian dan pilih "
        "filter.",
    ),
    "query_truncated": (
        "The query is longer than {limit} characters; the rest, starting with “{text}”, was ignored.",
        "Kueri lebih panjang dari {limit} karakter; sisanya, mulai dari “{text}”, diabaikan.",
    ),
    "too_many_terms": (
        "Only the first {limit} words and phrases are used; “{text}” was ignored.",
        "Hanya {limit} kata dan frasa pertama yang digunakan; “{text}” diabaikan.",
    ),
    "wildcard_too_short": (
        "A wildcard needs at least {limit} letters before * or ? (e.g. pemilu*), so “{text}” was searched "
        "as the plain words “{words}”.",
        "Wildcard memerlukan paling sedikit {limit} huruf sebelum * atau ? (misalnya pemilu*), jadi “{text}” "
        "dicari sebagai kata biasa “{words}”.",
    ),
    "wildcard_unsupported": (
        "Wildcards work only in a single word of letters and digits, so “{text}” was searched as the plain "
        "words “{words}”.",
        "Wildcard hanya berlaku pada satu kata yang terdiri dari huruf dan angka, jadi “{text}” dicari "
        "sebagai kata biasa “{words}”.",
    ),
    "wildcard_too_long": (
        "A wildcard word can be at most {limit} characters long, so “{text}” was searched as plain words.",
        "Kata dengan wildcard paling panjang {limit} karakter, jadi “{text}” dicari sebagai kata biasa.",
    ),
    "wildcard_in_phrase": (
        "Wildcards do not work inside quotation marks, so “{text}” was searched as an exact phrase.",
        "Wildcard tidak berlaku di dalam tanda kutip, jadi “{text}” dicari sebagai frasa persis.",
    ),
    "fuzziness_capped": (
        "At most {limit} typing differences are allowed, so “{text}” was searched with ~{limit}.",
        "Paling banyak {limit} perbedaan ketik diizinkan, jadi “{text}” dicari dengan ~{limit}.",
    ),
    "invalid_fuzziness": (
        "After ~ write 1, 2 or nothing, so “{text}” was searched with a tolerance set by the word's length.",
        "Setelah ~ tulis 1, 2, atau tidak ada apa-apa, jadi “{text}” dicari dengan toleransi menurut "
        "panjang kata.",
    ),
    "proximity_capped": (
        "The words of a phrase can be at most {limit} positions apart, so “{text}” was searched with "
        "~{limit}.",
        "Kata-kata dalam frasa paling jauh berjarak {limit} posisi, jadi “{text}” dicari dengan ~{limit}.",
    ),
    "invalid_proximity": (
        'After a phrase, ~ takes a number of words (e.g. "dana desa"~3), so “{text}” was searched as an '
        "exact phrase.",
        'Setelah frasa, ~ diikuti jumlah kata (misalnya "dana desa"~3), jadi “{text}” dicari sebagai frasa '
        "persis.",
    ),
}
"""Warning code → (English, Indonesian) message templates. Codes are stable: clients may key on them."""


@dataclass(frozen=True)
class QueryWarning:
    """A part of the query that was ignored or read differently than typed, said in both UI languages."""

    code: str
    text: str
    message_en: str
    message_id: str

    def message(self, language: str) -> str:
        """The message in ``language`` ("id" or anything else: English)."""
        return self.message_id if language == "id" else self.message_en

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "text": self.text,
            "message_en": self.message_en,
            "message_id": self.message_id,
        }


def make_warning(code: str, text: str, **details: object) -> QueryWarning:
    """Fill the code's templates with ``text`` and ``details`` (``limit``, ``words``, ``key``, ...)."""
    en, id_ = WARNING_MESSAGES[code]
    return QueryWarning(code, text, en.format(text=text, **details), id_.format(text=text, **details))
