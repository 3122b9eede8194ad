"""Word lists the entity tagger's features and the name normaliser read (pure data, hand-written).

Why lists and not a learned gazetteer: entity names collected from the training split would match every
training sentence and teach the CRF to trust them blindly; these lists instead carry what a reader of
Indonesian news knows before reading (the words that announce a person, an office or an institution, and
the provinces and large cities), and the CRF learns how much each is worth. All entries are lower case.
"""

from __future__ import annotations

# Offices and honorifics written before a name. Kept apart from the name as its role ("Gubernur Jawa
# Barat Ridwan Kamil" → name "Ridwan Kamil", role "Gubernur"). Multi-word roles are matched first.
ROLES = (
    "presiden",
    "wakil presiden",
    "wapres",
    "menteri",
    "menko",
    "mendagri",
    "wamen",
    "gubernur",
    "wakil gubernur",
    "wagub",
    "bupati",
    "wakil bupati",
    "wabup",
    "wali kota",
    "walikota",
    "wakil wali kota",
    "wawali",
    "sekda",
    "sekretaris daerah",
    "sekjen",
    "sekretaris jenderal",
    "sekretaris",
    "camat",
    "lurah",
    "kepala desa",
    "kades",
    "kapolri",
    "kapolda",
    "kapolres",
    "kapolsek",
    "panglima",
    "jenderal",
    "kolonel",
    "letkol",
    "mayjen",
    "brigjen",
    "kombes",
    "irjen",
    "kepala",
    "ketua",
    "wakil ketua",
    "direktur",
    "dirut",
    "direktur utama",
    "anggota",
    "juru bicara",
    "jubir",
    "kabag",
    "kabid",
    "kadis",
    "plt",
    "pj",
    "pj.",
    "plh",
    "bapak",
    "pak",
    "ibu",
    "bu",
    "saudara",
    "sdr",
    "dr",
    "dr.",
    "prof",
    "prof.",
    "ir",
    "ir.",
    "h.",
    "hj.",
    "kh",
    "k.h.",
    "ustaz",
    "ustadz",
)

# Words that begin institution names (Kementerian Dalam Negeri, Badan Pusat Statistik, Dinas Kesehatan…).
ORG_HEADS = frozenset(
    """kementerian kementrian badan dinas komisi partai universitas institut politeknik akademi yayasan
    lembaga dewan majelis mahkamah pengadilan kejaksaan kepolisian pemerintah direktorat sekretariat
    asosiasi himpunan ikatan persatuan serikat organisasi komite biro""".split()  # noqa: SIM905
)

# Institutions' short names, each an organisation on its own.
ORG_NAMES = frozenset(
    """kemendagri kemenkes kemenkeu kemendikbud kemenpan kemenpan-rb kemenpanrb kemenag kemensos kemenkumham
    kemenhub kemenlu kemenperin kemendag kominfo kemenkominfo kemenristek kemnaker kemenaker kementan bappenas
    polri polda polres polsek tni kodam korem kodim pemprov pemkab pemkot dprd dpr dpd mpr kpu kpud bawaslu
    panwaslu kpk bpk bpbd bnpb bpjs bps bkn bumn ojk pln pertamina telkom bulog basarnas bmkg bnn bnpt lipi
    brin ipdn unesco pbb asean""".split()  # noqa: SIM905
)

# Words that begin or end organisation names: a CRF feature, so exactly the list the shipped model was
# trained with (changing it needs a new model).
ORG_WORDS = frozenset(
    """kementerian kementrian kemendagri kemenkes kemenkeu kemendikbud kemenpan kemenpan-rb kemenag kemensos
    kemenkumham kemenhub kemenlu kemenperin kemendag kominfo kemenkominfo badan dinas komisi partai
    universitas institut sekolah politeknik akademi bank pt cv tbk persero perum perumda yayasan lembaga
    dewan majelis mahkamah pengadilan kejaksaan kejati kejari kepolisian polri polda polres polsek tni
    kodam korem kodim pemerintah pemprov pemkab pemkot pemda dprd dpr dpd mpr kpu kpud bawaslu panwaslu kpk
    bpk bpbd bnpb bpjs bps bkn bumn ojk bi pln pertamina telkom garuda asosiasi himpunan ikatan persatuan
    serikat organisasi komite kantor direktorat ditjen biro sekretariat rumah rsud rs puskesmas klub fc
    united corporation company inc ltd group grup""".split()  # noqa: SIM905 (a word list reads better as prose)
)

# Words that begin place names.
PLACE_WORDS = frozenset(
    """provinsi kabupaten kab kota kecamatan kelurahan desa dusun kampung pulau gunung sungai danau
    selat teluk jalan jl""".split()  # noqa: SIM905 (a word list reads better as prose)
)

# Provinces, their capitals, large cities and the countries Indonesian news names most (lower case;
# multi-word names matched as whole sequences).
PLACES = frozenset(
    """indonesia aceh sumatera sumatra medan padang riau pekanbaru jambi bengkulu palembang lampung
    bandar bangka belitung pangkalpinang batam tanjungpinang jakarta bogor depok tangerang bekasi banten
    serang cilegon bandung cimahi cirebon sukabumi tasikmalaya garut karawang purwakarta subang
    jawa semarang solo surakarta yogyakarta jogja sleman bantul magelang purwokerto tegal pekalongan
    kudus surabaya malang sidoarjo gresik kediri madiun jember banyuwangi probolinggo pasuruan mojokerto
    madura bali denpasar badung gianyar lombok mataram ntb ntt kupang flores sumba timor kalimantan
    pontianak palangkaraya banjarmasin banjarbaru samarinda balikpapan tarakan sulawesi makassar manado
    palu kendari gorontalo mamuju maluku ambon ternate papua jayapura manokwari sorong merauke timika
    diy dki jabar jateng jatim kalbar kalteng kalsel kaltim kaltara sulut sulteng sulsel sultra sulbar
    sumut sumbar sumsel malaysia singapura thailand filipina vietnam brunei australia jepang tiongkok
    china cina korea india amerika inggris belanda jerman prancis perancis rusia arab saudi mesir turki
    iran irak afghanistan pakistan""".split()  # noqa: SIM905 (a word list reads better as prose)
)

PLACE_PHRASES = frozenset(
    {
        "jawa barat",
        "jawa tengah",
        "jawa timur",
        "sumatera utara",
        "sumatera barat",
        "sumatera selatan",
        "nusa tenggara barat",
        "nusa tenggara timur",
        "kalimantan barat",
        "kalimantan tengah",
        "kalimantan selatan",
        "kalimantan timur",
        "kalimantan utara",
        "sulawesi utara",
        "sulawesi tengah",
        "sulawesi selatan",
        "sulawesi tenggara",
        "sulawesi barat",
        "maluku utara",
        "papua barat",
        "bangka belitung",
        "kepulauan riau",
        "daerah istimewa yogyakarta",
        "dki jakarta",
        "jakarta pusat",
        "jakarta selatan",
        "jakarta timur",
        "jakarta barat",
        "jakarta utara",
        "bandar lampung",
        "amerika serikat",
        "korea selatan",
        "arab saudi",
    }
)

# Words that announce a person next to them (besides ROLES): verbs of speech and kinship.
PERSON_CUES = frozenset(
    """kata ujar ucap tutur jelas ungkap menurut mengatakan menyatakan menjelaskan mengungkapkan
    menegaskan menekankan menyampaikan berharap mengingatkan putra putri istri suami anak""".split()  # noqa: SIM905 (a word list reads better as prose)
)
