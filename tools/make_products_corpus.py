#!/usr/bin/env python3
"""Generate the nercourse products corpus: synthetic sentences with the labels COMPANY and PRODUCT.

Notebook 07's optional section "Your own labels" trains on it: a label set that is not CoNLL-2003's, in
the two formats a learner brings, with the same sentences in both:

    notebooks/nercourse/products_corpus/conll/{train,validation,test}.txt   two columns, 'word tag', IOB2
    notebooks/nercourse/products_corpus/jsonl/{train,validation,test}.jsonl one record per sentence:
        train and validation as doccano exports them: {"id": N, "text": "...", "label": [[start, end, "TYPE"]]}
        test in the other form the course reads:      {"text": "...", "spans": [{"start", "end", "label"}]}
    notebooks/nercourse/products_corpus/README.md

Every template, company and product name below was invented for the course (CC0-1.0). Sentences are made
as text with character spans; the words and their tags come from the course's own reader
(``nercourse.spans_to_tags``, which splits with ``nercourse.split_words``), so the two formats agree word
for word. Deterministic (a fixed seed): ``tests/test_own_data.py`` checks that rerunning it reproduces the
committed files byte for byte. Usage, from the repository root::

    python tools/make_products_corpus.py                   # rewrites the corpus, prints its statistics
    python tools/make_products_corpus.py --output-dir DIR  # writes it somewhere else

Design: about a fifth of the templates and of the names appear only in validation and test (validation
and test draw a held-out name half of the time), so test scores measure more than memorised names.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "notebooks"))  # the course's package, from this checkout

import nercourse  # noqa: E402

SEED = 2718
DEFAULT_OUT = ROOT / "notebooks" / "nercourse" / "products_corpus"
SIZES = {"train": 320, "validation": 80, "test": 80}
DOCCANO_SPLITS = ("train", "validation")  # test.jsonl uses the {"spans": [...]} form

COMPANIES = [
    "Norvale Systems", "Brightwater Labs", "Kestrel Audio", "Quillon", "Tessaro Motors", "Halvard Electronics",
    "Orrin & Pike", "Veloce Robotics", "Marlowe Foods", "Sundara Telecom", "Pellucid", "Ashgrove Games",
    "Corvid Networks", "Lindqvist Appliances", "Mirabel Cosmetics", "Ostara Bikes", "Tamsin Software",
    "Verdant Home", "Brisa Mobile", "Calder & Finch", "Nimbuso", "Greyfield Instruments", "Rookwood Toys",
    "Zephyrine Air", "Halcyon Optics", "Bramble Kitchenware", "Solenne", "Aldermoor Tools", "Kinnear Sound",
    "Vantaro",
]  # fmt: skip
PRODUCTS = [
    "Lumen X2", "AeroBook Pro 14", "Kestrel Buds", "Orbit Watch 3", "Quill Pad", "Tessaro Volt",
    "Halo Speaker Mini", "Veloce Arm 2", "Crisp Oat Bars", "Sundara Max", "Pellucid Lens", "Starfall Legends",
    "Corvid Mesh", "Frostline 500", "Glow Serum", "Ridgeback 29", "Ledger Cloud", "Nestwarm Thermostat",
    "Brisa Fold", "Finch Kettle", "Nimbuso Drive", "Tempo Scale", "Rookwood Racer", "Zephyr Drone 4",
    "Pixelon 7", "Mistral Fan", "Cobalt Keyboard", "Juniper Tablet", "Lark Phone 9", "Saffron Blender",
    "Halcyon Zoom", "Bramble Pan", "Solenne Night Cream", "Kinnear One", "Vantaro Edge", "Granite Hub",
]  # fmt: skip
HELD_OUT_SHARE = 0.2

TEMPLATES = [
    "{C} unveiled the {P} at its annual event on Tuesday.",
    "The {P} from {C} goes on sale next month for $499.",
    "Shares of {C} rose 4% after strong sales of the {P}.",
    "Reviewers praised the battery life of the {P}.",
    "{C} said it would stop making the {P} by the end of the year.",
    "I returned my {P} because the screen cracked after a week.",
    "{C} and {C2} announced a partnership on Monday.",
    "The new {P} is lighter than the {P2}, but it costs more.",
    "A spokesperson for {C} declined to comment on the delay.",
    "Customers in three countries reported problems with the {P}.",
    "{C} recalled 20,000 units of the {P} over a faulty charger.",
    "After the update, my {P} finally connects to the {P2}.",
    "{C} bought {C2} for an undisclosed sum.",
    "The {P} ranked first in our test of budget models.",
    "Is the {P} worth the upgrade from the {P2}?",
    "{C} cut the price of the {P} by 15%.",
    "Engineers at {C} spent two years designing the {P}.",
    "Supply problems at {C} delayed the {P} until spring.",
    "The {P} comes in black, white and green.",
    "{C} opened a new factory near the coast to build the {P}.",
    "Our favourite accessory for the {P} is made by {C}.",
    "{C} reported higher profits for the third quarter.",
    "The warranty on the {P} covers two years of repairs.",
    "Sales were flat in the third quarter.",
    "The store opens at nine on weekdays.",
    "Prices for memory chips fell again this month.",
    "Delivery took longer than promised.",
]
HELD_OUT_TEMPLATES = [
    "Owners of the {P} can now download the update from {C}.",
    "{C} confirmed that the {P} will not launch in Europe.",
    "We compared the {P} with three rivals from {C}.",
    "Nobody expected {C} to enter the market so quickly.",
    "The battery in the {P} lasted eleven hours in our test.",
    "The weather stayed dry all week.",
]
SLOTS = {"C": "COMPANY", "C2": "COMPANY", "P": "PRODUCT", "P2": "PRODUCT"}
_SLOT = re.compile(r"\{(C2?|P2?)\}")


def split_names(names: list[str], rng: random.Random) -> dict[str, list[str]]:
    """Names for train, and the held-out names that only validation and test use."""
    shuffled = sorted(names)
    rng.shuffle(shuffled)
    held = round(HELD_OUT_SHARE * len(shuffled))
    return {"train": shuffled[held:], "held_out": shuffled[:held]}


def fill(template: str, names: dict[str, dict[str, list[str]]], split: str, rng: random.Random):
    """The template's text with names in its slots, and the names' character spans ``[start, end, TYPE]``."""
    text, spans, used, position = "", [], set(), 0
    for match in _SLOT.finditer(template):
        text += template[position : match.start()]
        kind = SLOTS[match.group(1)]
        pool = names[kind]["train"]
        if split != "train" and rng.random() < 0.5:
            pool = names[kind]["held_out"]
        name = rng.choice([n for n in pool if n not in used])
        used.add(name)
        spans.append([len(text), len(text) + len(name), kind])
        text += name
        position = match.end()
    return text + template[position:], spans


def build(rng: random.Random) -> dict[str, list[tuple[str, list]]]:
    names = {"COMPANY": split_names(COMPANIES, rng), "PRODUCT": split_names(PRODUCTS, rng)}
    records = {}
    for split, size in SIZES.items():
        templates = TEMPLATES if split == "train" else TEMPLATES + HELD_OUT_TEMPLATES * 3
        records[split] = [fill(rng.choice(templates), names, split, rng) for _ in range(size)]
    return records


def jsonl_line(split: str, number: int, text: str, spans: list) -> str:
    if split in DOCCANO_SPLITS:
        record = {"id": number, "text": text, "label": spans}
    else:
        record = {"text": text, "spans": [{"start": s, "end": e, "label": kind} for s, e, kind in spans]}
    return json.dumps(record, ensure_ascii=False) + "\n"


def write_corpus(out: Path) -> dict[str, Counter]:
    """Write conll/, jsonl/ and README.md into ``out``; return each split's counts."""
    records = build(random.Random(SEED))
    (out / "conll").mkdir(parents=True, exist_ok=True)
    (out / "jsonl").mkdir(parents=True, exist_ok=True)
    stats = {}
    for split, pairs in records.items():
        conll, jsonl, counts = [], [], Counter()
        for number, (text, spans) in enumerate(pairs, start=1):
            words, tags = nercourse.spans_to_tags(text, spans)  # the course's reader: strict word boundaries
            conll.append("".join(f"{word} {tag}\n" for word, tag in zip(words, tags)) + "\n")
            jsonl.append(jsonl_line(split, number, text, spans))
            counts.update({"sentences": 1, "words": len(words)} | Counter(kind for _, _, kind in spans))
        (out / "conll" / f"{split}.txt").write_text("".join(conll), encoding="utf-8", newline="\n")
        (out / "jsonl" / f"{split}.jsonl").write_text("".join(jsonl), encoding="utf-8", newline="\n")
        stats[split] = counts
    (out / "README.md").write_text(readme_text(stats), encoding="utf-8", newline="\n")
    return stats


COLUMNS = ("sentences", "words", "COMPANY", "PRODUCT")


def readme_text(stats: dict[str, Counter]) -> str:
    lines = [
        "# nercourse products corpus",
        "",
        "A small synthetic NER corpus with labels of its own, **COMPANY** and **PRODUCT**, for notebook 07's "
        'optional section "Your own labels" and for the tests. It is synthetic: sentences built from '
        f"{len(TEMPLATES) + len(HELD_OUT_TEMPLATES)} templates and {len(COMPANIES)} company and {len(PRODUCTS)} "
        "product names, all invented for the course; any likeness to real companies or products is chance. "
        "Licence: CC0-1.0.",
        "",
        "The same sentences come in the two formats `python -m nercourse train --data-dir` reads:",
        "",
        "- `conll/`: `train.txt`, `validation.txt`, `test.txt`, one `word tag` line per word (IOB2), a blank "
        "line after each sentence, no `-DOCSTART-` lines;",
        "- `jsonl/`: `train.jsonl`, `validation.jsonl` (doccano's export: "
        '`{"id": 1, "text": "...", "label": [[start, end, "TYPE"]]}`) and `test.jsonl` (the other form: '
        '`{"text": "...", "spans": [{"start": 0, "end": 5, "label": "TYPE"}]}`), one sentence per record.',
        "",
        "The words are what `nercourse.split_words` makes of each text, so both folders load to the same "
        "splits. Generated by `python tools/make_products_corpus.py` (seed "
        f"{SEED}); do not edit these files by hand: edit the script and rerun it, which rewrites this README too. "
        f"{len(HELD_OUT_TEMPLATES)} templates and a fifth of the names appear only in validation and test.",
        "",
        "| split | " + " | ".join(COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    lines += [f"| {split} | " + " | ".join(str(row[c]) for c in COLUMNS) + " |" for split, row in stats.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUT, help=f"where to write (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    for split, row in write_corpus(args.output_dir).items():
        print(f"{split:<11}" + "".join(f"{c} {row[c]:>5}   " for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
