#!/usr/bin/env python3
"""Generate the nercourse mini corpus (synthetic, CoNLL-2003 *format* only).

The corpus in ``notebooks/nercourse/mini_corpus/`` is what the tests and the notebooks' ``smoke``
mode train and evaluate on (notebook 01 explains the file format). Its word lists and templates live
in ``tools/mini_corpus_data/``; this script holds only the logic that fills them in. Every sentence,
template and name there was written for the course: no text is taken from CoNLL-2003 or any other
corpus. The output is released under CC0-1.0.

Usage (from the repository root):

    python tools/make_mini_corpus.py                   # rewrites the corpus, prints its statistics
    python tools/make_mini_corpus.py --output-dir DIR  # writes it somewhere else

It is deterministic (fixed seeds, standard library only): running it twice, or on another machine,
writes byte-identical files, and ``tests/test_mini_corpus.py`` checks that it reproduces the committed
corpus. After editing the data, rerun it and commit the data and the corpus together.

Data files (UTF-8 text; ``#`` starts a comment line, ``[name]`` starts a section):

    names/<list>.txt     one name per line, in sections [train], [validation] and [test]
    slots.txt            entity slot -> name list, NER type, how the name is written
    templates.txt        sentence templates in sections [topic], [topic held-out], [topic_head], ...
    long_templates.txt   the pieces of the few 60-90 token sentences
    calendar.txt         [days] and [months]

Output, as in the CoNLL-2003 distribution files (four columns; the POS and chunk columns hold the
placeholder ``-X-``: the course reads only the words and the NER tags):

    -DOCSTART- -X- -X- O
    <blank>
    word -X- -X- NER          (one token per line, NER tags in IOB2)
    ...
    <blank>                   (after every sentence)

``test_corrected.txt`` is a copy of ``test.txt`` with the same words and the tags of a few sentences
changed by the rules in ``CORRECTIONS`` (an entity's boundaries or type, a spurious entity removed), the
kinds of change CoNLL++ made to the CoNLL-2003 test set; the README says how many. It is for the CoNLL++
lesson in notebook 04 and is not a split.

Design notes: about a fifth of the templates are held out (validation/test only). Every name list is
split three ways; train draws only from its own lists, test from the test lists 85% of the time and
validation from the validation lists 55% of the time, so most test entities were never seen in
training and scores measure generalisation rather than memorisation.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SEED = 1729
SPLITS = ("train", "validation", "test")
SPLIT_SEEDS = {"train": SEED, "validation": SEED + 1, "test": SEED + 2}
TARGET_SIZES = {"train": 600, "validation": 150, "test": 150}
# Sentence indices (0-based, per split) replaced by a long 60-90 token sentence, and which kinds
# (sections of long_templates.txt) they are, in order; "flood" is held out.
LONG_AT = {"train": (57, 263, 488), "validation": (), "test": (96,)}
LONG_KINDS = {"train": ("standings", "matches", "budget"), "validation": ("flood",), "test": ("flood",)}
# Probability that a filler is drawn from the split's *own* name list (otherwise from the train list).
OWN_POOL_P = {"train": 1.0, "validation": 0.55, "test": 0.85}
# Document topics and how often they come up; the order is part of the seeded draw.
TOPIC_WEIGHTS = [("sport", 36), ("politics", 20), ("business", 20), ("weather", 10), ("culture", 14)]
HELD_OUT_WEIGHT = 1.5  # held-out templates are drawn more often where they may appear
GENERAL_WEIGHT = 0.4  # [general] templates are shared by every topic, so keep them rarer
RENDERINGS = {"plain", "upper", "full", "sur", "sur_upper", "based", "born"}

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "mini_corpus_data"
DEFAULT_OUT = ROOT / "notebooks" / "nercourse" / "mini_corpus"

# ---------------------------------------------------------------------------
# Reading the data folder
# ---------------------------------------------------------------------------


def read_sections(path: Path) -> dict[str, list[str]]:
    """The ``[name]`` sections of a data file, each a list of its non-blank, non-comment lines in file
    order; lines before the first section header go under ``""``."""
    if not path.is_file():
        raise SystemExit(f"{path}: missing; the mini corpus data files live in {DATA_DIR}")
    sections: dict[str, list[str]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        else:
            if current is None:
                current = sections.setdefault("", [])
            current.append(line)
    return sections


@dataclass
class CorpusData:
    """Everything the generator reads from ``tools/mini_corpus_data/``."""

    pools: dict[str, tuple[list[str], ...]]  # name list -> (train, validation, test)
    slots: dict[str, tuple[str, str, str]]  # slot -> (name list, NER type, rendering)
    templates: list[tuple[str, bool, str]]  # (topic, held out, text), in file order
    dateline: str
    long: dict[str, list[str]]
    days: list[str]
    months: list[str]


def load_data(folder: Path = DATA_DIR) -> CorpusData:
    """Read and check the data folder; a malformed file stops the script with a message naming it."""
    pools = {}
    for path in sorted((folder / "names").glob("*.txt")):
        sections = read_sections(path)
        if sorted(sections) != sorted(SPLITS) or not all(sections.values()):
            raise SystemExit(f"{path}: needs non-empty [train], [validation] and [test] sections and nothing else")
        pools[path.stem] = tuple(sections[split] for split in SPLITS)
    if "city" in pools:  # one-word cities, for "X-based"
        pools["city1"] = tuple([c for c in lst if " " not in c and "." not in c] for lst in pools["city"])

    slots = {}
    for line in read_sections(folder / "slots.txt").get("", []):
        fields = line.split()
        if len(fields) != 4 or (fields[1] != "person" and fields[1] not in pools) or fields[3] not in RENDERINGS:
            raise SystemExit(
                f"{folder / 'slots.txt'}: {line!r}: expected 'SLOT list TYPE rendering' with a list in names/ "
                f"(or person) and a rendering among {sorted(RENDERINGS)}"
            )
        slots[fields[0]] = (fields[1], fields[2], fields[3])

    topics = {topic for topic, _ in TOPIC_WEIGHTS}
    topics |= {topic + "_head" for topic in topics} | {"general"}
    templates, dateline = [], None
    for header, lines in read_sections(folder / "templates.txt").items():
        topic, _, held = header.partition(" ")
        if header == "dateline" and len(lines) == 1:
            dateline = lines[0]
        elif topic in topics and held in {"", "held-out"}:
            templates += [(topic, held == "held-out", text) for text in lines]
        else:
            raise SystemExit(f"{folder / 'templates.txt'}: unknown section [{header}]; topics are {sorted(topics)}")
    if dateline is None:
        raise SystemExit(f"{folder / 'templates.txt'}: needs a [dateline] section with one template")

    long = read_sections(folder / "long_templates.txt")
    calendar = read_sections(folder / "calendar.txt")
    missing = {kind for kinds in LONG_KINDS.values() for kind in kinds} - set(long)
    if missing or not calendar.get("days") or not calendar.get("months"):
        raise SystemExit(f"{folder}: long_templates.txt needs {sorted(missing)}, calendar.txt [days] and [months]")
    return CorpusData(pools, slots, templates, dateline, long, calendar["days"], calendar["months"])


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------

SLOT_RE = re.compile(r"^\{([A-Z0-9_]+)(?:@(\w+))?\}$")


@dataclass
class Person:
    first: str
    last: str


class Renderer:
    """Fills templates for one split. Every draw goes through ``self.rng`` in a fixed order, so the
    sequence of calls below *is* the corpus: reorder them and every sentence after changes."""

    def __init__(self, split: str, rng: random.Random, data: CorpusData):
        self.split = split
        self.index = SPLITS.index(split)
        self.rng = rng
        self.data = data

    def _pool(self, category: str) -> list[str]:
        if self.index and self.rng.random() < OWN_POOL_P[self.split]:
            return self.data.pools[category][self.index]
        return self.data.pools[category][0]

    def draw(self, category: str) -> Person | str:
        pools = self.data.pools
        if category == "person":
            idx = self.index if self.rng.random() < OWN_POOL_P[self.split] else 0
            return Person(self.rng.choice(pools["first"][idx]), self.rng.choice(pools["last"][idx]))
        return self.rng.choice(self._pool(category))

    @staticmethod
    def render(base: Person | str, mode: str) -> str:
        if isinstance(base, Person):
            sur = base.last[0].upper() + base.last[1:]
            return {"full": f"{base.first} {base.last}", "sur": sur, "sur_upper": sur.upper()}[mode]
        return {"plain": base, "upper": base.upper(), "based": base + "-based", "born": base + "-born"}[mode]

    def literal_slot(self, name: str) -> str:
        """A number or date slot; each draws from the generator in exactly this way."""
        r = self.rng
        if name == "N":
            return str(r.randint(2, 9))
        if name == "N2":
            return str(r.randint(11, 95))
        if name == "N3":
            return str(r.randint(100, 450))
        if name == "G":
            return str(r.choice([0, 0, 1, 1, 1, 2, 2, 3, 4]))
        if name == "BIG":
            return f"{r.randint(1, 48)},{r.randint(0, 999):03d}"
        if name == "PCT":
            return f"{r.randint(0, 12)}.{r.randint(1, 9)}"
        if name == "SCORE":
            b = r.randint(0, 2)
            return f"{b + r.randint(1, 3)}-{b}"
        if name == "DSCORE":
            g = r.randint(0, 3)
            return f"{g}-{g}"
        if name == "TSCORE":
            return r.choice(["6-3", "6-4", "7-5", "6-2", "7-6", "6-1", "4-6", "3-6"])
        if name == "RANK":
            return f"{r.randint(1, 8)}."
        if name == "TIME":
            return f"{r.randint(1, 2)}:{r.randint(0, 59):02d}.{r.randint(0, 99):02d}"
        if name == "DAY":
            return r.choice(self.data.days)
        if name == "MONTH":
            return r.choice(self.data.months)
        if name == "YEAR":
            return str(r.randint(1968, 2023))
        if name == "DATE":
            return f"{r.randint(2021, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        if name == "AGE":
            return f"{r.randint(17, 39)}-year-old"
        raise SystemExit(f"unknown slot {{{name}}} in a template: add it to {DATA_DIR / 'slots.txt'}")

    def sentence(self, template: str) -> list[tuple[str, str]]:
        """``(word, IOB2 tag)`` pairs for one template."""
        for _attempt in range(50):
            toks = self._try(template)
            if toks is not None:
                return toks
        raise RuntimeError(f"could not fill template: {template}")

    def _try(self, template: str) -> list[tuple[str, str]] | None:
        bound: dict[str, Person | str] = {}
        used: set[str] = set()
        out: list[tuple[str, str]] = []
        for tok in template.split(" "):
            m = SLOT_RE.match(tok)
            if not m:
                out.append((tok, "O"))
                continue
            name, bind = m.group(1), m.group(2)
            if name not in self.data.slots:
                out.append((self.literal_slot(name), "O"))
                continue
            category, etype, mode = self.data.slots[name]
            if bind and bind in bound:
                base = bound[bind]
            else:
                # people are kept apart by surname, everything else by string
                for _ in range(40):
                    base = self.draw(category)
                    key = "last:" + base.last if isinstance(base, Person) else base
                    if key not in used:
                        break
                else:
                    return None
                used.add(key)
                if bind:
                    bound[bind] = base
            words = self.render(base, mode).split(" ")
            out += [(w, ("B-" if j == 0 else "I-") + etype) for j, w in enumerate(words)]
        # Capitalise the first word if a template started with a lowercase slot
        w0, n0 = out[0]
        if w0[0].islower():
            out[0] = (w0[0].upper() + w0[1:], n0)
        return out


def long_template(rng: random.Random, kind: str, pieces: list[str]) -> str:
    """One long (60-90 token) template of a kind from long_templates.txt; standings and match lists
    draw their length (and the points) from ``rng``."""
    if kind == "standings":
        head, row = pieces
        points = sorted((rng.randint(20, 99) for _ in range(rng.randint(7, 8))), reverse=True)
        parts = [head] + [row.replace("{rank}", str(i)).replace("{points}", str(p)) for i, p in enumerate(points, 1)]
        parts[-1] = parts[-1][:-2] + " ."
        return " ".join(parts)
    if kind == "matches":
        head, *games = pieces
        parts = [head] + [games[i % len(games)] for i in range(rng.randint(8, 9))]
        parts[-1] = "and " + parts[-1][:-2] + " ."
        return " ".join(parts)
    return pieces[0]


# ---------------------------------------------------------------------------
# Corpus assembly
# ---------------------------------------------------------------------------


def templates_for(data: CorpusData, topic: str, split: str, head: bool) -> list[tuple[str, float]]:
    key = topic + "_head" if head else topic
    out = []
    for t_topic, held, text in data.templates:
        if t_topic != key and (head or t_topic != "general"):
            continue
        if held and split == "train":
            continue
        weight = HELD_OUT_WEIGHT if held else 1.0
        if t_topic == "general":
            weight *= GENERAL_WEIGHT
        out.append((text, weight))
    return out


def _choose(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([t for t, _ in weighted], [w for _, w in weighted])[0]


def build_split(data: CorpusData, split: str) -> list[list[list[tuple[str, str]]]]:
    """The documents of one split: lists of sentences of ``(word, tag)`` pairs."""
    rng = random.Random(SPLIT_SEEDS[split])
    r = Renderer(split, rng, data)
    target = TARGET_SIZES[split]
    long_at = set(LONG_AT[split])
    long_kinds = list(LONG_KINDS[split])
    docs: list[list[list[tuple[str, str]]]] = []
    n_done = 0
    while n_done < target:
        remaining = target - n_done
        n = remaining if remaining <= 15 else rng.randint(5, min(15, remaining - 5))
        topic = _choose(rng, TOPIC_WEIGHTS)
        plan: list[str] = []
        if rng.random() < 0.6:
            plan.append(_choose(rng, templates_for(data, topic, split, head=True)))
        if rng.random() < 0.6 and len(plan) < n:
            plan.append(data.dateline)
        body = templates_for(data, topic, split, head=False)
        seen: set[str] = set()
        while len(plan) < n:
            t = _choose(rng, [(t, w) for t, w in body if t not in seen] or body)
            plan.append(t)
            seen.add(t)
        doc = []
        for t in plan:
            if n_done in long_at:
                kind = long_kinds.pop(0)
                while True:
                    toks = r.sentence(long_template(rng, kind, data.long[kind]))
                    if 60 <= len(toks) <= 90:
                        break
            else:
                toks = r.sentence(t)
            doc.append(toks)
            n_done += 1
        docs.append(doc)
    return docs


def serialise(docs: list[list[list[tuple[str, str]]]]) -> str:
    """CoNLL-2003 layout, four columns with ``-X-`` for POS and chunk."""
    lines: list[str] = []
    for doc in docs:
        lines += ["-DOCSTART- -X- -X- O", ""]
        for sent in doc:
            for word, tag in sent:
                if not word or " " in word:
                    raise SystemExit(f"a template or name makes the word {word!r}: words need no spaces")
                lines.append(f"{word} -X- -X- {tag}")
            lines.append("")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# The corrected test copy (the CoNLL++ lesson)
# ---------------------------------------------------------------------------

CORRECTED_TEST = "test_corrected.txt"
SCORE_RE = re.compile(r"^\d+-\d+$")


def _league_name(sent: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Boundary: a nationality followed by LEAGUE is the league's name, one MISC entity."""
    out = list(sent)
    for i in range(len(out) - 1):
        (_, tag), (after, after_tag) = out[i], out[i + 1]
        if tag == "B-MISC" and after.lower() == "league" and after_tag == "O":
            out[i + 1] = (after, "I-MISC")
    return out if out != sent else None


def _derived_adjective(sent: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Spurious entity: a word such as Belov-based or Dutch-born is derived from a name, not a name."""
    out = [
        (word, "O")
        if tag == "B-MISC" and word.endswith(("-based", "-born")) and not nxt.startswith("I-")
        else (word, tag)
        for (word, tag), nxt in zip(sent, [t for _, t in sent[1:]] + ["O"])
    ]
    return out if out != sent else None


def _country_as_team(sent: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    """Type: in a results line, "PLAYER ( COUNTRY )" names the team the player represents: ORG."""
    if not any(SCORE_RE.match(word) for word, _ in sent):
        return None
    out = list(sent)
    for i in range(1, len(out) - 2):
        if out[i][0] != "(" or not out[i - 1][1].endswith("-PER") or out[i + 1][1] != "B-LOC":
            continue
        end = i + 2
        while end < len(out) and out[end][1] == "I-LOC":
            end += 1
        if end < len(out) and out[end][0] == ")":
            for j in range(i + 1, end):
                out[j] = (out[j][0], out[j][1][:2] + "ORG")
    return out if out != sent else None


# Applied in this order; a sentence is changed by every rule that matches it.
CORRECTIONS = (
    ("entity boundary", _league_name),
    ("spurious entity removed", _derived_adjective),
    ("entity type", _country_as_team),
)


def corrected_copy(docs: list[list[list[tuple[str, str]]]]) -> tuple[list, list[tuple[int, list[str]]]]:
    """The test documents with the :data:`CORRECTIONS` applied, and for every changed sentence its
    index and the kinds of change. Deterministic (rules, no random draws): the words never change."""
    changed: list[tuple[int, list[str]]] = []
    out, index = [], 0
    for doc in docs:
        new_doc = []
        for sent in doc:
            kinds = []
            for kind, rule in CORRECTIONS:
                new = rule(sent)
                if new is not None:
                    sent, kinds = new, kinds + [kind]
            if kinds:
                changed.append((index, kinds))
            new_doc.append(sent)
            index += 1
        out.append(new_doc)
    return out, changed


# ---------------------------------------------------------------------------
# Statistics and the corpus README
# ---------------------------------------------------------------------------


def entity_spans(sent: list[tuple[str, str]]) -> list[tuple[str, str]]:
    spans, cur = [], None
    for w, tag in sent:
        if tag.startswith("B-"):
            if cur:
                spans.append(cur)
            cur = (tag[2:], [w])
        elif tag.startswith("I-") and cur:
            cur[1].append(w)
        else:
            if cur:
                spans.append(cur)
            cur = None
    if cur:
        spans.append(cur)
    return [(t, " ".join(ws)) for t, ws in spans]


def split_stats(all_docs: dict[str, list]) -> dict[str, dict[str, float]]:
    """Per split: documents, sentences, tokens, mentions per type, multi-word mentions, and (outside
    train) the percentage of entity mentions and of distinct entity strings never seen in train."""
    train_strings = {s for doc in all_docs["train"] for sent in doc for s in entity_spans(sent)}
    out = {}
    for split, docs in all_docs.items():
        sents = [s for d in docs for s in d]
        ents = [e for s in sents for e in entity_spans(s)]
        row = {"docs": len(docs), "sentences": len(sents), "tokens": sum(map(len, sents))}
        row.update(Counter(t for t, _ in ents))
        row["multi-word"] = sum(1 for _, s in ents if " " in s)
        if split != "train":
            uniq = set(ents)
            row["new mentions"] = 100 * sum(1 for e in ents if e not in train_strings) / len(ents)
            row["new strings"] = 100 * sum(1 for e in uniq if e not in train_strings) / len(uniq)
        out[split] = row
    return out


COLUMNS = ("docs", "sentences", "tokens", "PER", "ORG", "LOC", "MISC", "multi-word")


def stats_text(stats: dict[str, dict[str, float]]) -> str:
    rows = [f"{'split':<11}" + "".join(f"{c:>11}" for c in COLUMNS)]
    rows += [f"{split:<11}" + "".join(f"{row.get(c, 0):>11}" for c in COLUMNS) for split, row in stats.items()]
    rows += [
        f"{split}: {row['new mentions']:.1f}% of entity mentions and {row['new strings']:.1f}% of distinct "
        "entity strings never occur in train"
        for split, row in stats.items()
        if split != "train"
    ]
    return "\n".join(rows)


def readme_text(data: CorpusData, stats: dict[str, dict[str, float]], changed: list[tuple[int, list[str]]]) -> str:
    held = sum(held for _, held, _ in data.templates)
    lines = [
        "# nercourse mini corpus",
        "",
        "A small NER corpus written for this course, in the CoNLL-2003 file layout (`word POS chunk NER`, IOB2 "
        "tags PER/ORG/LOC/MISC, `-DOCSTART-` documents). It is used by the tests and by the notebooks' `smoke` "
        "mode. The POS and chunk columns hold the placeholder `-X-`: the course reads only the words and the "
        "NER tags, and keeping four columns means the corpus is read the same way as the real CoNLL-2003 files.",
        f"It is synthetic: invented news-style sentences built from {len(data.templates)} hand-written templates "
        "and invented or generic names. It contains no CoNLL-2003 text. Licence: CC0-1.0.",
        "Generated deterministically by `python tools/make_mini_corpus.py` from the word lists and templates in "
        "`tools/mini_corpus_data/` (standard library, fixed seeds); do not edit these files by hand: edit the "
        "data and rerun the script, which rewrites this README too.",
        f"{held} of the templates ({100 * held / len(data.templates):.0f}%) appear only in validation/test, and "
        f"most test names never occur in train ({stats['test']['new mentions']:.1f}% of test entity mentions, "
        f"{stats['validation']['new mentions']:.1f}% of validation mentions), so test scores measure "
        "generalisation, not memorisation.",
        "",
        "| split | " + " | ".join(COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    lines += [f"| {split} | " + " | ".join(str(row.get(c, 0)) for c in COLUMNS) + " |" for split, row in stats.items()]
    kinds = Counter(kind for _, sentence_kinds in changed for kind in sentence_kinds)
    lines += [
        "",
        f"`{CORRECTED_TEST}` is a corrected copy of `test.txt` for the CoNLL++ lesson (notebook 04): the same "
        f"sentences and words, with the tags of {len(changed)} of the {stats['test']['sentences']} test sentences "
        f"({100 * len(changed) / stats['test']['sentences']:.1f}%) changed by rules in the script, in the kinds of "
        "ways CoNLL++ corrected the CoNLL-2003 test set: "
        + ", ".join(f"{kind} ({kinds[kind]})" for kind, _ in CORRECTIONS)
        + ". In this synthetic corpus `test.txt` plays the original and "
        f"`{CORRECTED_TEST}` the corrected copy. The tags of `test.txt` follow the same conventions as "
        "`train.txt` throughout, so these changes are a device for the lesson, not fixes of real annotation "
        "mistakes. It is not a split: `load_conll2003` reads train, validation and test only.",
    ]
    return "\n".join(lines) + "\n"


def write_corpus(out: Path, data: CorpusData) -> dict[str, dict[str, float]]:
    """Write {train,validation,test}.txt, test_corrected.txt, splits.json and README.md into ``out``; return
    the statistics."""
    out.mkdir(parents=True, exist_ok=True)
    all_docs = {split: build_split(data, split) for split in SPLITS}
    for split, docs in all_docs.items():
        (out / f"{split}.txt").write_text(serialise(docs), encoding="utf-8", newline="\n")
    meta = {
        "name": "nercourse mini corpus",
        "licence": "CC0-1.0, written for this course",
        "sizes": {split: sum(len(d) for d in docs) for split, docs in all_docs.items()},
    }
    (out / "splits.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8", newline="\n")
    corrected, changed = corrected_copy(all_docs["test"])
    (out / CORRECTED_TEST).write_text(serialise(corrected), encoding="utf-8", newline="\n")
    stats = split_stats(all_docs)
    (out / "README.md").write_text(readme_text(data, stats, changed), encoding="utf-8", newline="\n")
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--output-dir", "--out", type=Path, default=DEFAULT_OUT, help=f"where to write (default: {DEFAULT_OUT})"
    )
    args = ap.parse_args(argv)
    print(stats_text(write_corpus(args.output_dir, load_data())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
