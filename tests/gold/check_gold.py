#!/usr/bin/env python3
"""Validate the hand-annotated gold facts files in this folder.

Usage:  python3 check_gold.py [--corpus DIR] [--quiet] [FILE ...]

With no FILE arguments every `bbc-*.facts.json` next to this script is checked (the seed, linked here from seeds/, is checked by `newsgraph load`).
Checks (mirroring the serde types in src/facts/model.rs and src/article/meta.rs,
plus the rules in GUIDELINES.md):

* JSON shape: required fields, no unknown fields (serde `deny_unknown_fields`),
  value types, snake_case enum values, `Resolution` tagged by `method`;
* format tag `newsgraph-facts/1`, valid article id, file name = `<id>.facts.json`,
  headline = first line of the text, `generated_by.tool` = `hand`;
* every span (entity mentions, evidence spans, time spans) lies in the text and
  its `text` equals `article.text[start:end]` (Python str indices = code points);
* entity ids unique, event ids unique; every reference resolves (post holder /
  of, event participants / place, `relative_to_event` event);
* post holders are persons, event places are places; places have a
  `place_kind`, persons and organisations do not; every entity has a mention;
* mentions of different entities do not overlap; evidence has at least one span,
  a confidence in [0, 1] and names an annotator or rule;
* time values match their precision; unresolved times carry no value;
* for ids `bbc-<category>-<num>`, `article.text` equals the corpus file read as
  UTF-8 with CRLF -> LF and NFC normalisation.  The corpus folder is
  `--corpus`, else $NEWSGRAPH_BBC_CORPUS, else `../../../shared/corpus/bbc`
  relative to this folder (i.e. /work/shared/corpus/bbc); when it is missing
  that comparison is skipped with a note.

Exits 1 when any problem is found, 0 otherwise.
"""

import argparse
import datetime
import glob
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FORMAT = "newsgraph-facts/1"

ENTITY_KINDS = {"person", "organisation", "place"}
PLACE_KINDS = {"country", "city", "region", "other"}
POST_STATUS = {"incumbent", "incoming", "former", "acting"}
EVENT_KINDS = {"meeting", "talks", "visit", "briefing", "call", "announcement",
               "mediation", "agreement", "publication", "other"}
MEETING_LIKE = {"meeting", "talks", "visit", "call"}
ROLES = {"host", "guest", "participant", "mediator", "party", "speaker",
         "audience", "author", "publisher"}
EVENT_STATUS = {"occurred", "planned"}
PRECISIONS = {"day", "month", "year"}
RESOLUTION_FIELDS = {
    "explicit": {},
    "publication_date": {},
    "relative_to_event": {"event": str, "offset_days": int},
    "named_event": {"name": str, "offset_days": int},
    "unresolved": {},
}
ID_RE = re.compile(r"^[A-Za-z0-9._-]+$")
BBC_ID_RE = re.compile(r"^bbc-([a-z]+)-(\d+)$")


class Checker:
    def __init__(self, path, corpus):
        self.path = path
        self.corpus = corpus
        self.problems = []
        self.notes = []
        self.text = ""

    def problem(self, at, msg):
        self.problems.append(f"{at}: {msg}")

    # ---------- shape helpers ----------
    def obj(self, at, v, required, optional=()):
        """v must be an object with all `required` keys and no keys outside both sets."""
        if not isinstance(v, dict):
            self.problem(at, f"expected an object, found {type(v).__name__}")
            return False
        for k in required:
            if k not in v:
                self.problem(at, f"missing field {k!r}")
        allowed = set(required) | set(optional)
        for k in v:
            if k not in allowed:
                self.problem(f"{at}.{k}", "unknown field (deny_unknown_fields)")
        return True

    def string(self, at, v, nonempty=False):
        if not isinstance(v, str):
            self.problem(at, f"expected a string, found {type(v).__name__}")
            return False
        if nonempty and not v.strip():
            self.problem(at, "must not be empty")
            return False
        return True

    def opt_string(self, at, d, key):
        if key in d and d[key] is not None:
            self.string(f"{at}.{key}", d[key])

    def enum(self, at, v, allowed):
        if not isinstance(v, str) or v not in allowed:
            self.problem(at, f"{v!r} is not one of {sorted(allowed)}")
            return False
        return True

    def uint(self, at, v):
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            self.problem(at, f"expected a non-negative integer, found {v!r}")
            return False
        return True

    # ---------- model pieces ----------
    def span(self, at, s):
        if not self.obj(at, s, ("start", "end", "text")):
            return
        ok = self.uint(f"{at}.start", s.get("start")) & self.uint(f"{at}.end", s.get("end"))
        ok &= self.string(f"{at}.text", s.get("text"))
        if not ok:
            return
        a, b = s["start"], s["end"]
        if a > b or b > len(self.text):
            self.problem(at, f"span {a}..{b} lies outside the text ({len(self.text)} characters)")
            return
        if self.text[a:b] != s["text"]:
            self.problem(at, f"span {a}..{b} quotes {s['text']!r} but the text there is {self.text[a:b]!r}")

    def evidence(self, at, ev):
        if not self.obj(at, ev, ("spans", "confidence"), ("rule", "annotator")):
            return
        spans = ev.get("spans")
        if not isinstance(spans, list) or not spans:
            self.problem(f"{at}.spans", "evidence needs at least one span")
        else:
            for i, s in enumerate(spans):
                self.span(f"{at}.spans[{i}]", s)
        c = ev.get("confidence")
        if not isinstance(c, (int, float)) or isinstance(c, bool) or not (0.0 <= c <= 1.0):
            self.problem(f"{at}.confidence", f"confidence {c!r} is not a number in [0, 1]")
        self.opt_string(at, ev, "rule")
        self.opt_string(at, ev, "annotator")
        if ev.get("rule") is None and ev.get("annotator") is None:
            self.problem(at, "evidence names neither a rule nor an annotator")

    def time(self, at, t, event_ids):
        if not self.obj(at, t, ("phrase", "resolution"), ("value", "precision", "span")):
            return
        self.string(f"{at}.phrase", t.get("phrase"), nonempty=True)
        if t.get("span") is not None:
            self.span(f"{at}.span", t["span"])
            if isinstance(t["span"], dict) and t["span"].get("text") != t.get("phrase"):
                self.problem(f"{at}.span", "span text differs from the phrase")
        res = t.get("resolution")
        method = None
        if isinstance(res, dict):
            method = res.get("method")
            if method not in RESOLUTION_FIELDS:
                self.problem(f"{at}.resolution.method", f"{method!r} is not one of {sorted(RESOLUTION_FIELDS)}")
                method = None
            else:
                fields = RESOLUTION_FIELDS[method]
                self.obj(f"{at}.resolution", res, ("method",) + tuple(fields))
                for k, typ in fields.items():
                    if k in res and (not isinstance(res[k], typ) or isinstance(res[k], bool)):
                        self.problem(f"{at}.resolution.{k}", f"expected {typ.__name__}")
                if method == "relative_to_event" and res.get("event") not in event_ids:
                    self.problem(f"{at}.resolution.event", f"refers to unknown event {res.get('event')!r}")
        else:
            self.problem(f"{at}.resolution", "expected an object tagged by 'method'")
        value, prec = t.get("value"), t.get("precision")
        if prec is not None:
            self.enum(f"{at}.precision", prec, PRECISIONS)
        if method == "unresolved":
            if value is not None:
                self.problem(at, "an unresolved time must not have a value")
        elif method is not None:
            if value is None:
                self.problem(at, "a resolved time needs a value")
            elif self.string(f"{at}.value", value):
                fmt = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}.get(prec)
                good = False
                if fmt:
                    try:
                        datetime.datetime.strptime(value, fmt)
                        good = len(value) == {"day": 10, "month": 7, "year": 4}[prec]
                    except ValueError:
                        good = False
                if not good:
                    self.problem(f"{at}.value", f"{value!r} does not match precision {prec!r}")

    # ---------- whole document ----------
    def run(self):
        try:
            with open(self.path, encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError) as e:
            self.problem("file", f"cannot read JSON: {e}")
            return
        if not self.obj("$", doc, ("format", "article", "generated_by", "entities", "posts", "events")):
            return
        if doc.get("format") != FORMAT:
            self.problem("format", f"expected {FORMAT!r}, found {doc.get('format')!r}")

        art = doc.get("article")
        meta_opt = ("headline", "subtitle", "publisher", "author", "url", "published", "based_on")
        if self.obj("article", art, ("id", "text"), meta_opt):
            for k in ("headline", "subtitle", "publisher", "author", "url"):
                self.opt_string("article", art, k)
            if "published" in art and art["published"] is not None:
                p = art["published"]
                if not (isinstance(p, str) and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", p)):
                    self.problem("article.published", f"{p!r} is not YYYY-MM-DD or YYYY-MM")
            if art.get("based_on") is not None:
                self.obj("article.based_on", art["based_on"], (), ("headline", "author", "publisher", "url"))
            if self.string("article.text", art.get("text")):
                self.text = art["text"]
            aid = art.get("id")
            if self.string("article.id", aid):
                if not ID_RE.match(aid):
                    self.problem("article.id", f"{aid!r} is not a valid id")
                base = os.path.basename(self.path)
                if base != f"{aid}.facts.json":
                    self.problem("article.id", f"file name {base!r} does not match id {aid!r}")
                self.corpus_text(aid)
            if isinstance(art.get("headline"), str) and self.text:
                if art["headline"] != self.text.split("\n", 1)[0]:
                    self.problem("article.headline", "headline differs from the first line of the text")
            if self.text and self.text != unicodedata.normalize("NFC", self.text):
                self.problem("article.text", "text is not NFC-normalised")
            if "\r" in self.text:
                self.problem("article.text", "text contains carriage returns")

        gb = doc.get("generated_by")
        if self.obj("generated_by", gb, ("tool",), ("version", "annotator", "at")):
            self.string("generated_by.tool", gb.get("tool"), nonempty=True)
            for k in ("version", "annotator", "at"):
                self.opt_string("generated_by", gb, k)
            if gb.get("tool") != "hand":
                self.problem("generated_by.tool", "gold files are hand annotations: tool must be 'hand'")
            if isinstance(gb.get("at"), str):
                try:
                    datetime.datetime.fromisoformat(gb["at"].replace("Z", "+00:00"))
                except ValueError:
                    self.problem("generated_by.at", f"{gb['at']!r} is not an RFC 3339 timestamp")

        entities = doc.get("entities") if isinstance(doc.get("entities"), list) else []
        posts = doc.get("posts") if isinstance(doc.get("posts"), list) else []
        events = doc.get("events") if isinstance(doc.get("events"), list) else []
        for key in ("entities", "posts", "events"):
            if not isinstance(doc.get(key), list):
                self.problem(key, "expected a list")

        kinds = {}
        for i, e in enumerate(entities):
            eid = e.get("id") if isinstance(e, dict) else None
            if isinstance(eid, str):
                if eid in kinds:
                    self.problem(f"entities[{i}].id", f"duplicate entity id {eid!r}")
                kinds[eid] = e.get("kind")
        event_ids = set()
        for i, ev in enumerate(events):
            vid = ev.get("id") if isinstance(ev, dict) else None
            if isinstance(vid, str):
                if vid in event_ids:
                    self.problem(f"events[{i}].id", f"duplicate event id {vid!r}")
                if vid in kinds:
                    self.problem(f"events[{i}].id", f"event id {vid!r} is also an entity id")
                event_ids.add(vid)

        claimed = []  # (start, end, entity id, where)
        for i, e in enumerate(entities):
            at = f"entities[{i}]"
            if not self.obj(at, e, ("id", "kind", "name", "mentions", "evidence"), ("place_kind", "aliases")):
                continue
            self.string(f"{at}.id", e.get("id"), nonempty=True)
            self.enum(f"{at}.kind", e.get("kind"), ENTITY_KINDS)
            self.string(f"{at}.name", e.get("name"), nonempty=True)
            pk = e.get("place_kind")
            if e.get("kind") == "place":
                if pk is None:
                    self.problem(f"{at}.place_kind", "a place needs a place_kind")
                else:
                    self.enum(f"{at}.place_kind", pk, PLACE_KINDS)
            elif pk is not None:
                self.problem(f"{at}.place_kind", "only places have a place_kind")
            aliases = e.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                self.problem(f"{at}.aliases", "expected a list of non-empty strings")
                aliases = []
            elif len(set(aliases)) != len(aliases) or e.get("name") in aliases:
                self.problem(f"{at}.aliases", "aliases repeat each other or the name")
            ms = e.get("mentions")
            if not isinstance(ms, list) or not ms:
                self.problem(f"{at}.mentions", "an entity needs at least one mention")
                ms = []
            forms = {e.get("name")} | set(aliases)
            for j, m in enumerate(ms):
                self.span(f"{at}.mentions[{j}]", m)
                if isinstance(m, dict) and isinstance(m.get("start"), int) and isinstance(m.get("end"), int):
                    claimed.append((m["start"], m["end"], e.get("id"), f"{at}.mentions[{j}]"))
                    if m.get("text") not in forms:
                        self.problem(f"{at}.mentions[{j}]", f"mention {m.get('text')!r} is neither the name nor an alias")
            self.evidence(f"{at}.evidence", e.get("evidence"))
        claimed.sort()
        for (a1, b1, id1, w1), (a2, b2, id2, w2) in zip(claimed, claimed[1:]):
            if a2 < b1:
                self.problem(w2, f"overlaps {w1} ({id1!r} and {id2!r})")

        for i, p in enumerate(posts):
            at = f"posts[{i}]"
            if not self.obj(at, p, ("holder", "title", "status", "evidence"), ("of", "as_of")):
                continue
            self.ref(f"{at}.holder", p.get("holder"), kinds, want="person")
            self.string(f"{at}.title", p.get("title"), nonempty=True)
            if p.get("of") is not None:
                self.ref(f"{at}.of", p.get("of"), kinds)
                if p.get("of") == p.get("holder"):
                    self.problem(f"{at}.of", "a post cannot be of its own holder")
            self.enum(f"{at}.status", p.get("status"), POST_STATUS)
            if p.get("as_of") is not None:
                self.time(f"{at}.as_of", p["as_of"], event_ids)
            self.evidence(f"{at}.evidence", p.get("evidence"))

        for i, ev in enumerate(events):
            at = f"events[{i}]"
            if not self.obj(at, ev, ("id", "kind", "participants", "status", "evidence"), ("place", "time", "topics")):
                continue
            self.string(f"{at}.id", ev.get("id"), nonempty=True)
            self.enum(f"{at}.kind", ev.get("kind"), EVENT_KINDS)
            parts = ev.get("participants")
            if not isinstance(parts, list) or not parts:
                self.problem(f"{at}.participants", "an event needs at least one participant")
                parts = []
            seen = set()
            for j, pa in enumerate(parts):
                pat = f"{at}.participants[{j}]"
                if not self.obj(pat, pa, ("entity", "role")):
                    continue
                self.ref(f"{pat}.entity", pa.get("entity"), kinds)
                self.enum(f"{pat}.role", pa.get("role"), ROLES)
                if pa.get("entity") in seen:
                    self.problem(f"{pat}.entity", f"participant {pa.get('entity')!r} listed twice")
                seen.add(pa.get("entity"))
            if ev.get("place") is not None:
                self.ref(f"{at}.place", ev.get("place"), kinds, want="place")
            if ev.get("time") is not None:
                self.time(f"{at}.time", ev["time"], event_ids)
            self.enum(f"{at}.status", ev.get("status"), EVENT_STATUS)
            topics = ev.get("topics", [])
            if not isinstance(topics, list) or not all(isinstance(t, str) and t.strip() for t in topics):
                self.problem(f"{at}.topics", "expected a list of non-empty strings")
            if ev.get("kind") in MEETING_LIKE:
                # guideline: two named participants, or one named visitor and a named place
                if len(parts) < 2 and not (ev.get("kind") == "visit" and ev.get("place") is not None):
                    self.problem(at, "a meeting-like event needs two participants (or a visit with a place)")
            self.evidence(f"{at}.evidence", ev.get("evidence"))

        self.summary = {
            "persons": sum(1 for k in kinds.values() if k == "person"),
            "orgs": sum(1 for k in kinds.values() if k == "organisation"),
            "places": sum(1 for k in kinds.values() if k == "place"),
            "posts": len(posts),
            "meeting_like": sum(1 for e in events if isinstance(e, dict) and e.get("kind") in MEETING_LIKE),
            "events": len(events),
        }

    def ref(self, at, eid, kinds, want=None):
        if not isinstance(eid, str) or eid not in kinds:
            self.problem(at, f"refers to unknown entity {eid!r}")
        elif want and kinds[eid] != want:
            self.problem(at, f"entity {eid!r} is a {kinds[eid]}, expected a {want}")

    def corpus_text(self, aid):
        m = BBC_ID_RE.match(aid)
        if not m:
            self.notes.append(f"id {aid!r} is not bbc-<category>-<num>: corpus comparison skipped")
            return
        if self.corpus is None:
            return  # noted once by main()
        src = os.path.join(self.corpus, m.group(1), f"{m.group(2)}.txt")
        if not os.path.exists(src):
            self.problem("article.id", f"no corpus file {src}")
            return
        with open(src, encoding="utf-8") as fh:
            want = unicodedata.normalize("NFC", fh.read().replace("\r\n", "\n"))
        if self.text != want:
            self.problem("article.text", f"differs from the normalised corpus file {src}")


def find_corpus(arg):
    cands = [arg] if arg else []
    if os.environ.get("NEWSGRAPH_BBC_CORPUS"):
        cands.append(os.environ["NEWSGRAPH_BBC_CORPUS"])
    cands += [os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "corpus", "bbc")),
              "/work/shared/corpus/bbc"]
    for c in cands:
        if c and os.path.isdir(c):
            return c
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*")
    ap.add_argument("--corpus", help="BBC corpus folder (<category>/<num>.txt)")
    ap.add_argument("--quiet", action="store_true", help="print problems only")
    args = ap.parse_args()
    files = args.files or sorted(glob.glob(os.path.join(HERE, "bbc-*.facts.json")))
    if not files:
        print("no *.facts.json files found", file=sys.stderr)
        return 1
    corpus = find_corpus(args.corpus)
    if corpus is None:
        print("note: BBC corpus folder not found; skipping the text-vs-corpus comparison")
    total = 0
    for path in files:
        c = Checker(path, corpus)
        c.run()
        name = os.path.basename(path)
        for n in c.notes:
            print(f"note: {name}: {n}")
        for p in c.problems:
            print(f"{name}: {p}")
        total += len(c.problems)
        if not args.quiet and hasattr(c, "summary"):
            s = c.summary
            print(f"{'FAIL' if c.problems else 'ok  '} {name}: {s['persons']} persons, {s['orgs']} orgs, "
                  f"{s['places']} places, {s['posts']} posts, {s['meeting_like']} meeting-like events "
                  f"({s['events']} events)")
    print(f"{len(files)} file(s), {total} problem(s)" + ("" if corpus else " (corpus not checked)"))
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
