#!/usr/bin/env python3
"""Check a hand-written newsgraph facts file against its seed article (no cargo needed).

Usage: python3 seeds/check_spans.py [FACTS_JSON [ARTICLE_TXT]]
Checks: JSON parses; keys and enum values match src/facts/model.rs (deny_unknown_fields);
article metadata equals the TOML front matter and article.text equals the text exactly;
every span quotes text[start:end]; references resolve; kinds fit (post holders are
persons, event places are places, place_kind only and always on places); ids are unique;
time values agree with their precision and resolution.
"""
import collections, datetime, json, re, sys, tomllib
from pathlib import Path

here = Path(__file__).resolve().parent
facts_path = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "000_43bfa79b2a45682c.facts.json"
art_path = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "000_43bfa79b2a45682c.txt"

raw = art_path.read_text(encoding="utf-8")
_, front, text = raw.split("+++\n", 2)
meta = tomllib.loads(front)
F = json.loads(facts_path.read_text(encoding="utf-8"))
problems = []
def bad(at, msg): problems.append(f"{at}: {msg}")

def keys(at, obj, required, optional=()):
    if not isinstance(obj, dict):
        bad(at, "not an object"); return False
    for k in obj:
        if k not in required and k not in optional: bad(at, f"unknown key {k!r}")
    for k in required:
        if k not in obj: bad(at, f"missing key {k!r}")
    return True

ENTITY_KIND = {"person", "organisation", "place"}
PLACE_KIND = {"country", "city", "region", "other"}
POST_STATUS = {"incumbent", "incoming", "former", "acting"}
EVENT_KIND = {"meeting", "talks", "visit", "briefing", "call", "announcement", "mediation",
              "agreement", "publication", "other"}
ROLE = {"host", "guest", "participant", "mediator", "party", "speaker", "audience", "author", "publisher"}
EVENT_STATUS = {"occurred", "planned"}
PRECISION = {"day", "month", "year"}
NAMED_EVENTS = {"us-presidential-inauguration-2025": datetime.date(2025, 1, 20)}

nspans = 0
def span(at, s):
    global nspans
    nspans += 1
    if not keys(at, s, ("start", "end", "text")): return
    a, b = s["start"], s["end"]
    if not (isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= len(text)):
        bad(at, f"span {a}..{b} outside text ({len(text)} chars)"); return
    if text[a:b] != s["text"]:
        bad(at, f"span {a}..{b} quotes {s['text']!r} but text is {text[a:b]!r}")

def evidence(at, e):
    if not keys(at, e, ("spans", "confidence"), ("rule", "annotator")): return
    if not e["spans"]: bad(at, "no spans")
    for i, s in enumerate(e["spans"]): span(f"{at}.spans[{i}]", s)
    if not (0 <= e["confidence"] <= 1): bad(at, "confidence outside [0,1]")
    if not e.get("rule") and not e.get("annotator"): bad(at, "neither rule nor annotator")

# top level and article
keys("$", F, ("format", "article", "generated_by"), ("entities", "posts", "events"))
if F.get("format") != "newsgraph-facts/1": bad("format", F.get("format"))
A = F["article"]
keys("article", A, ("id", "text"), ("headline", "subtitle", "publisher", "author", "url", "published", "based_on"))
if A["text"] != text: bad("article.text", "differs from the article text")
for k, v in meta.items():
    if k == "based_on":
        keys("article.based_on", A.get("based_on", {}), (), ("headline", "author", "publisher", "url"))
        if A.get("based_on") != v: bad("article.based_on", f"{A.get('based_on')!r} != {v!r}")
    elif A.get(k) != v: bad(f"article.{k}", f"{A.get(k)!r} != front matter {v!r}")
for k in A:
    if k not in ("text",) and k not in meta: bad(f"article.{k}", "not in front matter")
keys("generated_by", F["generated_by"], ("tool",), ("version", "annotator", "at"))

ents, evs = {}, {}
for i, e in enumerate(F.get("entities", [])):
    at = f"entities[{i}]"
    keys(at, e, ("id", "kind", "name", "mentions", "evidence"), ("place_kind", "aliases"))
    if e["id"] in ents: bad(at, f"duplicate id {e['id']}")
    ents[e["id"]] = e
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", e["id"]): bad(at, f"id {e['id']!r} not a slug")
    if e["kind"] not in ENTITY_KIND: bad(at, f"kind {e['kind']}")
    if e["kind"] == "place":
        if e.get("place_kind") not in PLACE_KIND: bad(at, "place needs valid place_kind")
    elif "place_kind" in e: bad(at, "non-place has place_kind")
    if not e["mentions"]: bad(at, "no mentions")
    for j, m in enumerate(e["mentions"]): span(f"{at}.mentions[{j}]", m)
    if len({(m["start"], m["end"]) for m in e["mentions"]}) != len(e["mentions"]): bad(at, "duplicate mention")
    forms = {e["name"], *e.get("aliases", [])}
    for j, m in enumerate(e["mentions"]):
        if m["text"] not in forms: bad(f"{at}.mentions[{j}]", f"{m['text']!r} is neither name nor alias")
    evidence(f"{at}.evidence", e["evidence"])
# a mention must not be claimed by two entities
owner = {}
for e in F.get("entities", []):
    for m in e["mentions"]:
        k = (m["start"], m["end"])
        if k in owner: bad(e["id"], f"mention {k} also belongs to {owner[k]}")
        owner[k] = e["id"]

for i, ev in enumerate(F.get("events", [])):
    if ev["id"] in evs: bad(f"events[{i}]", f"duplicate id {ev['id']}")
    evs[ev["id"]] = ev
ids = collections.Counter(list(ents) + list(evs))
for k, n in ids.items():
    if n > 1: bad(k, "id used by an entity and an event")

def ref(at, eid, kind=None):
    if eid not in ents: bad(at, f"unknown entity {eid!r}")
    elif kind and ents[eid]["kind"] != kind: bad(at, f"{eid} is a {ents[eid]['kind']}, expected {kind}")

def time(at, t):
    keys(at, t, ("phrase", "resolution"), ("value", "precision", "span"))
    if "span" in t:
        span(f"{at}.span", t["span"])
        if t["span"]["text"] != t["phrase"]: bad(at, "phrase differs from its span")
    r = t["resolution"]; m = r.get("method")
    req = {"explicit": (), "publication_date": (), "unresolved": (),
           "relative_to_event": ("event", "offset_days"), "named_event": ("name", "offset_days")}
    if m not in req: bad(at, f"unknown resolution {m!r}"); return
    keys(f"{at}.resolution", r, ("method",) + req[m])
    v, p = t.get("value"), t.get("precision")
    if m == "unresolved":
        if v is not None: bad(at, "unresolved with a value")
        return
    if v is None: bad(at, "resolved without value"); return
    fmt = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}.get(p)
    if not fmt or not re.fullmatch(fmt, v): bad(at, f"value {v!r} vs precision {p!r}"); return
    if m == "relative_to_event":
        tgt = evs.get(r["event"])
        if tgt is None: bad(at, f"unknown event {r['event']}")
        elif p == "day" and tgt.get("time", {}).get("precision") == "day":
            want = datetime.date.fromisoformat(tgt["time"]["value"]) + datetime.timedelta(days=r["offset_days"])
            if want.isoformat() != v: bad(at, f"{v} != {want} (from {r['event']})")
    if m == "named_event":
        d = NAMED_EVENTS.get(r["name"])
        if d is None: bad(at, f"named event {r['name']} not known to this script")
        elif p == "day" and (d + datetime.timedelta(days=r["offset_days"])).isoformat() != v:
            bad(at, f"{v} != {r['name']} + {r['offset_days']}")

for i, p in enumerate(F.get("posts", [])):
    at = f"posts[{i}]"
    keys(at, p, ("holder", "title", "status", "evidence"), ("of", "as_of"))
    ref(f"{at}.holder", p["holder"], "person")
    if "of" in p: ref(f"{at}.of", p["of"])
    if p["status"] not in POST_STATUS: bad(at, f"status {p['status']}")
    if not p["title"].strip() or p["title"] != p["title"].lower(): bad(at, f"title {p['title']!r}")
    if "as_of" in p: time(f"{at}.as_of", p["as_of"])
    evidence(f"{at}.evidence", p["evidence"])

for i, ev in enumerate(F.get("events", [])):
    at = f"events[{i}]"
    keys(at, ev, ("id", "kind", "participants", "status", "evidence"), ("place", "time", "topics"))
    if ev["kind"] not in EVENT_KIND: bad(at, f"kind {ev['kind']}")
    if ev["status"] not in EVENT_STATUS: bad(at, f"status {ev['status']}")
    if not ev["participants"]: bad(at, "no participants")
    for j, pa in enumerate(ev["participants"]):
        keys(f"{at}.participants[{j}]", pa, ("entity", "role"))
        ref(f"{at}.participants[{j}].entity", pa["entity"])
        if pa["role"] not in ROLE: bad(f"{at}.participants[{j}]", f"role {pa['role']}")
    if "place" in ev: ref(f"{at}.place", ev["place"], "place")
    if "time" in ev: time(f"{at}.time", ev["time"])
    for tp in ev.get("topics", []):
        if tp not in text: bad(f"{at}.topics", f"{tp!r} not in text")
    evidence(f"{at}.evidence", ev["evidence"])

kinds = collections.Counter(e["kind"] for e in ents.values())
pk = collections.Counter(e["place_kind"] for e in ents.values() if e["kind"] == "place")
print(f"entities: {len(ents)} ({dict(kinds)}; places {dict(pk)})")
print(f"mentions: {sum(len(e['mentions']) for e in ents.values())}; spans checked: {nspans}")
print(f"posts: {len(F.get('posts', []))}; events: {len(evs)} {dict(collections.Counter(e['kind'] for e in evs.values()))}")
if problems:
    print(f"{len(problems)} problem(s):"); [print("  -", p) for p in problems]; sys.exit(1)
print("OK")
