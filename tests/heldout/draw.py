#!/usr/bin/env python3
"""Draw the held-out set (and the extra dev articles drawn with it) from the BBC corpus.

Usage: python3 tests/heldout/draw.py [CORPUS_DIR]   (default ../shared/corpus/bbc)

Prints `set category/num` lines. Articles already annotated in tests/gold/ (the dev set,
which since 2026-12-03 also holds the earlier held-out set) are never drawn. The seed and
the per-category sizes are fixed here so that the draw can be repeated.
"""
import glob
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "corpus", "bbc")
SEED = 20261203
# Held-out sizes: weighted towards politics and business, where the meetings are.
HELDOUT = [("politics", 10), ("business", 8), ("entertainment", 4), ("sport", 4), ("tech", 4)]
# Extra dev articles, drawn after the held-out set from what is left.
DEV = [("entertainment", 2), ("sport", 2), ("tech", 2), ("politics", 1), ("business", 1)]

taken = {os.path.basename(p)[: -len(".facts.json")] for p in glob.glob(os.path.join(HERE, "..", "gold", "bbc-*.facts.json"))}
rng = random.Random(SEED)
for label, plan in (("heldout", HELDOUT), ("dev", DEV)):
    for cat, n in plan:
        stems = sorted(p[:-4] for p in os.listdir(os.path.join(CORPUS, cat)) if p.endswith(".txt"))
        cands = [s for s in stems if f"bbc-{cat}-{s}" not in taken]
        for s in sorted(rng.sample(cands, n)):
            taken.add(f"bbc-{cat}-{s}")
            print(label, f"{cat}/{s}")
