"""The course's rules over all its notebooks: a core path a learner can finish (optional sections tagged and
never needed by it, a size budget) and multiple-choice questions whose right answer cannot be guessed from
their form. The cell logic is tools/notebook_cells.py's, the same the slides and clean copies use."""

from __future__ import annotations

import importlib
import itertools
import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from notebook_cells import core_cells, names_optional_cells_lend, optional_section_problems

pytestmark = (
    pytest.mark.newest_only
)  # the course's own rules (budget, optional sections, multiple choice) read the notebooks' text

ROOT = Path(__file__).resolve().parent.parent
COURSE = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))
CORE_BUDGET_NOTEBOOKS = ("00", "01", "02", "03", "04", "05")
MAX_CORE_CELLS, MAX_CORE_WORDS = 180, 9000

_ids = itertools.count()


def cell(kind: str, source: str, optional: bool = False):
    made = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
    made["id"] = f"c{next(_ids)}"
    if optional:
        made.metadata["tags"] = ["optional"]
    return made


def read(path: Path):
    return nbformat.read(path, as_version=4)


# --- optional sections


def test_the_optional_section_rule_on_made_up_cells():
    good = [
        cell("markdown", "## 1 · Core"),
        cell("code", "x = 1"),
        cell("markdown", "## 2 · Deeper (optional)", optional=True),
        cell("markdown", "### 2.1 · A detail", optional=True),  # a subsection of an optional section
        cell("code", "y = x + 1", optional=True),
        cell("markdown", "### An aside (optional)", optional=True),
        cell("markdown", "## 3 · Core again"),
        cell("code", "print(x)"),
    ]
    assert optional_section_problems(good) == []

    untagged = [cell("markdown", "## 2 · Deeper (optional)", optional=True), cell("code", "y = 2")]
    assert "is not tagged optional" in " ".join(optional_section_problems(untagged))
    unmarked = [cell("markdown", "## 1 · Core"), cell("markdown", "### A detail", optional=True)]
    assert "outside any section whose heading says (optional)" in " ".join(optional_section_problems(unmarked))
    straddling = [cell("markdown", "## 1 · Core"), cell("markdown", "Core text.\n\n## 2 · More (optional)")]
    assert "must start its own markdown cell" in " ".join(optional_section_problems(straddling))


def test_optional_cells_lend_no_name_to_the_core_path_on_made_up_cells():
    cells = [
        cell("code", "import torch\nbase = 1"),
        cell("code", "import torch\nfrom math import pi\nextra = base + pi\nbase = 2", optional=True),
        cell("code", "print(torch.zeros(1), extra, base)"),
        cell("code", "def f():\n    return pi"),
    ]
    problems = names_optional_cells_lend(cells)
    assert [re.search(r"binds '(\w+)'", p).group(1) for p in problems] == ["pi", "extra", "base"]


@pytest.mark.parametrize("path", COURSE + SOLUTIONS, ids=[p.name for p in COURSE + SOLUTIONS])
def test_optional_sections_are_tagged_and_the_core_path_needs_none_of_them(path):
    cells = read(path).cells
    problems = optional_section_problems(cells) + names_optional_cells_lend(cells)
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_the_core_path_of_00_to_05_fits_the_budget():
    cells = words = 0
    for path in COURSE:
        if path.name[:2] in CORE_BUDGET_NOTEBOOKS:
            core = core_cells(read(path).cells)
            cells += len(core)
            words += sum(len(c.source.split()) for c in core if c.cell_type == "markdown")
    assert cells <= MAX_CORE_CELLS and words <= MAX_CORE_WORDS, (
        f"core path of 00-05: {cells} cells (at most {MAX_CORE_CELLS}), {words:,} words of markdown "
        f"(at most {MAX_CORE_WORDS:,}); move what is not about NER to optional sections"
    )


# --- multiple-choice questions

OPTION = re.compile(r"^- \(([a-z])\) (\S.*)$")
QUESTION_CALL = re.compile(r"\banswers\.(question_\d+)\(\)")


def options(markdown: str) -> dict[str, str]:
    """The options of a question, ``- (a) text`` with continuation lines indented by two spaces: letter -> text."""
    found: dict[str, str] = {}
    current = None
    for line in markdown.splitlines():
        if match := OPTION.match(line):
            current = match.group(1)
            found[current] = match.group(2).strip()
        elif current and line.startswith("  ") and line.strip():
            found[current] += " " + line.strip()
        else:
            current = None
    return found


def course_questions() -> tuple[list[dict], list[str]]:
    """Every multiple-choice question of notebooks 00-08: its options (from the markdown cell) and its Choice
    (``nercourse.answers.notebook_NN.question_K()``, from the check cell that follows); and what does not pair up."""
    questions, problems = [], []
    for path in COURSE:
        answers = importlib.import_module(f"nercourse.answers.notebook_{path.name[:2]}")
        statement = None
        for index, current in enumerate(read(path).cells):
            if current.cell_type == "markdown":
                if statement is not None:
                    problems.append(
                        f"{path.name}: the options in cell {statement[0]} have no answers.question_K() check"
                    )
                statement = (index, options(current.source)) if options(current.source) else None
                continue
            calls = QUESTION_CALL.findall(current.source) if current.cell_type == "code" else []
            if calls and statement is None:
                problems.append(f"{path.name}: cell {index} checks {calls[0]}() but no `- (a) ...` options precede it")
            elif calls:
                choice = getattr(answers, calls[0])()
                questions.append({"where": f"{path.name} {calls[0]}", "options": statement[1], "choice": choice})
                statement = None
        if statement is not None:
            problems.append(f"{path.name}: the options in cell {statement[0]} have no answers.question_K() check")
    return questions, problems


def test_options_are_read_with_their_continuation_lines():
    text = "Why?\n\n- (a) One.\n- (b) Two,\n  continued.\n- (c) Three.\n\n- (d) Four.\nAnswer with one letter."
    assert options(text) == {"a": "One.", "b": "Two, continued.", "c": "Three.", "d": "Four."}
    assert options("- **a)** the old format") == {}


def test_every_question_has_four_options_and_its_right_answer_among_them():
    questions, problems = course_questions()
    for question in questions:
        letters = sorted(question["options"])
        if letters != list("abcd"):
            problems.append(f"{question['where']}: options {letters}, expected (a)-(d)")
        if question["choice"].right not in question["options"]:
            problems.append(f"{question['where']}: the right letter {question['choice'].right!r} is not an option")
    assert questions and not problems, "\n".join(problems)


def guess_problems(questions: list[dict]) -> list[str]:
    """How the right answers could be guessed without reading: one letter right too often (over 40 %), fewer
    than three letters ever right, the right option the (strictly) longest in more than a third."""
    problems = []
    rights = Counter(question["choice"].right for question in questions)
    letter, most = rights.most_common(1)[0]
    if most > 0.4 * len(questions):
        problems.append(f"({letter}) is right in {most} of {len(questions)} questions: {dict(sorted(rights.items()))}")
    if len(rights) < 3:
        problems.append(f"only the letters {sorted(rights)} are ever right")
    longest = [
        question["where"]
        for question in questions
        if all(
            len(question["options"].get(question["choice"].right, "")) > len(text)
            for other, text in question["options"].items()
            if other != question["choice"].right
        )
    ]
    if len(longest) > len(questions) / 3:
        problems.append(f"the right option is the longest in {len(longest)} of {len(questions)}: {longest}")
    return problems


def test_the_guessing_rules_on_made_up_questions():
    from nercourse import Choice

    def question(right: str, long: str) -> dict:
        texts = {letter: "x" * (30 if letter == long else 20) for letter in "abcd"}
        return {"where": f"{right}/{long}", "options": texts, "choice": Choice(right, "why")}

    spread = [question(r, long) for r, long in ["ab", "ba", "cd", "dc", "ab", "ca", "ba", "aa", "dd"]]
    assert guess_problems(spread) == []
    same = [question("b", "b"), question("b", "a"), question("c", "c")]
    found = " ".join(guess_problems(same))
    assert "(b) is right in 2 of 3" in found and "only the letters" in found and "longest in 2 of 3" in found


def test_the_right_answer_cannot_be_guessed_from_its_letter_or_its_length():
    questions, _ = course_questions()
    assert questions and not guess_problems(questions), "\n".join(guess_problems(questions))
