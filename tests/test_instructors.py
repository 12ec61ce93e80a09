"""notebooks/INSTRUCTORS.md cites the notebooks in one syntax, and every citation must still be true.

The syntax (INSTRUCTORS.md states it at the top):

- a section: ``03 §6 (Trainer)``, the heading ``## 6 · `Trainer`: train`` of notebook 03;
- an exercise: ``04 Exercise 3 (drop a type)`` or ``06 Question 1 (which window)``, the heading
  ``### Exercise 3 · ...`` or ``### Question 1 · ...``, as the notebook titles it;
- ``optional`` before ``§`` or ``Exercise`` / ``Question`` when the section or exercise is optional:
  ``03 optional §9 (the collator)``.

The words in parentheses are the topic: every word of three or more letters must appear in the heading
(a plural may stand for a singular), or the topic must be a part of the heading. The teaching plans
schedule only the core path (an optional section is named only after "for those who want more"), no
section or exercise number is written outside the syntax, and the page names the real number of notebooks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.newest_only  # INSTRUCTORS.md's references read the notebooks' text

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
INSTRUCTORS = NOTEBOOKS / "INSTRUCTORS.md"
COURSE = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

CITATION = re.compile(
    r"\b(?P<notebook>\d\d)\s+(?P<optional>optional\s+)?"
    r"(?:§(?P<section>\d+)|(?P<kind>Exercise|Question)\s+(?P<number>\d+))\s+\((?P<topic>[^()]+)\)"
)
SECTION_HEADING = re.compile(r"^## (\d+)(?: ·|\.) (.+)$", re.M)
EXERCISE_HEADING = re.compile(r"^### (Exercise|Question) (\d+)(?: ·|\.) (.+)$", re.M)
# A section or exercise number written any other way: "section 7", "Exercises 2", "§4", "05 · 2".
UNCITED = re.compile(r"§\s*\d|\b(?:[Ss]ections?|Exercises?|Questions?)\s+\d|\b\d\d\s*·\s*\d")
NUMBER_WORDS = dict(
    zip(
        "one two three four five six seven eight nine ten eleven twelve".split(),
        range(1, 13),
        strict=True,
    )
)
COUNTED = re.compile(r"\b(\d+|[A-Za-z]+)\s+(?:notebooks|decks|slide decks|clean copies)\b")
WANT_MORE = re.compile(r"for\s+those\s+who\s+want\s+more", re.I)
MINIMUM_CITATIONS = 80


@dataclass(frozen=True)
class Heading:
    title: str
    optional: bool


def _headings(path: Path) -> dict[tuple[str, int], Heading]:
    """("§", 6) or ("Exercise", 3) / ("Question", 1) -> the heading's title and whether it is optional."""
    found = {}
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        tagged = "optional" in cell.get("metadata", {}).get("tags", [])
        for number, title in SECTION_HEADING.findall(source):
            found["§", int(number)] = Heading(title, tagged or "(optional)" in title)
        for kind, number, title in EXERCISE_HEADING.findall(source):
            found[kind, int(number)] = Heading(title, tagged or "(optional)" in title)
    return found


HEADINGS = {path.name[:2]: _headings(path) for path in COURSE}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def topic_matches(topic: str, title: str) -> bool:
    """Every word of 3+ letters of the topic is in the title (plural or singular), or the topic is part of it."""
    if " ".join(_words(topic)) in " ".join(_words(title)):
        return True
    in_title = {word.rstrip("s") for word in _words(title)}
    return all(word.rstrip("s") in in_title for word in _words(topic) if len(word) >= 3)


def _text() -> str:
    return INSTRUCTORS.read_text(encoding="utf-8")


def _chapters(text: str) -> dict[str, str]:
    """The page's ``## `` chapters, by heading."""
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _plans(text: str) -> dict[str, str]:
    return {name: body for name, body in _chapters(text).items() if "90-minute" in name}


def test_the_topic_rule():
    assert topic_matches("Trainer", "`Trainer`: train")
    assert topic_matches("drop a type", "Change it: drop a type (predict, then run)")
    assert topic_matches("names never seen", "Names never seen in training (optional)")
    assert topic_matches("the collator", "Inside the collator and `build_trainer` (optional)")
    assert topic_matches("word_ids", "Words in, subwords out: `word_ids()`")
    assert not topic_matches("drop MISC", "Change it: drop a type (predict, then run)")
    assert not topic_matches("the best epoch", "Labels on every subword")


def test_the_page_cites_enough_to_be_checked():
    """So that the other tests cannot pass on a page that cites nothing in the syntax."""
    citations = list(CITATION.finditer(_text()))
    assert len(citations) >= MINIMUM_CITATIONS, f"only {len(citations)} citations in the syntax of {INSTRUCTORS.name}"
    assert {match["notebook"] for match in citations} == set(HEADINGS), "every notebook is cited"
    for name, plan in _plans(_text()).items():
        cited = {match["notebook"] for match in CITATION.finditer(plan)}
        assert {"00", "01", "02", "03", "04", "05"} <= cited, (name, sorted(cited))
    assert len(_plans(_text())) == 2, "a 90-minute plan and a 3 x 90-minute plan"


def test_every_citation_names_a_heading_with_that_number_and_topic():
    wrong = []
    for match in CITATION.finditer(_text()):
        notebook, topic = match["notebook"], match["topic"]
        key = ("§", int(match["section"])) if match["section"] else (match["kind"], int(match["number"]))
        heading = HEADINGS.get(notebook, {}).get(key)
        if heading is None:
            wrong.append(f"{match[0]!r}: notebook {notebook} has no {' '.join(map(str, key))}")
        elif not topic_matches(topic, heading.title):
            wrong.append(f"{match[0]!r}: the heading is {heading.title!r}")
        elif heading.optional != bool(match["optional"]):
            state = "optional" if heading.optional else "on the core path"
            wrong.append(f"{match[0]!r}: {heading.title!r} is {state}; write 'optional' exactly when it is")
    assert not wrong, "\n".join(wrong)


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items; every table row on its own."""
    blocks = [""]
    for line in text.splitlines():
        if line.startswith("|") or not line.strip() or line.lstrip().startswith(("- ", "1. ", "2. ", "3. ")):
            blocks.append("")
        blocks[-1] += line + "\n"
        if line.startswith("|"):
            blocks.append("")
    return blocks


def test_the_plans_schedule_only_the_core_path():
    """In a plan, optional material comes only after "for those who want more", in the same paragraph."""
    scheduled = []
    for name, plan in _plans(_text()).items():
        for block in _blocks(plan):
            want_more = WANT_MORE.search(block)
            allowed_from = want_more.start() if want_more else len(block)
            scheduled += [
                f"{name}: {' '.join(match[0].split())!r}"
                for match in CITATION.finditer(block)
                if match["optional"] and match.start() < allowed_from
            ]
    assert not scheduled, "optional material is named only after 'for those who want more':\n" + "\n".join(scheduled)


def test_no_section_or_exercise_number_outside_the_syntax():
    rest = CITATION.sub(lambda match: re.sub(r"\S", "~", match[0]), _text())  # keeps line numbers
    stray = [
        f"line {rest[: match.start()].count(chr(10)) + 1}: {rest[max(0, match.start() - 30) : match.end() + 20]!r}"
        for match in UNCITED.finditer(rest)
    ]
    assert not stray, "write these as citations (NN §K (topic), NN Exercise K (topic)):\n" + "\n".join(stray)


def test_the_page_names_the_real_number_of_notebooks():
    counts = {}
    for match in COUNTED.finditer(_text()):
        word = match[1].lower()
        number = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        if number is not None:
            counts[match[0]] = number
    assert len(COURSE) in counts.values(), f"the page never says that the course has {len(COURSE)} notebooks"
    wrong = [named for named, number in counts.items() if number != len(COURSE)]
    assert not wrong, f"the course has {len(COURSE)} notebooks: {wrong}"


@pytest.mark.parametrize("path", COURSE, ids=lambda path: path.name[:2])
def test_every_notebook_has_headings_to_cite(path):
    headings = HEADINGS[path.name[:2]]
    assert sum(key[0] == "§" for key in headings) >= 4, path.name
    assert any(key[0] != "§" for key in headings), path.name
