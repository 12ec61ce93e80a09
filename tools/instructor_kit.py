"""The instructor's kit: clean copies for live coding, slide decks, and the list of live-coding cells.

notebooks/INSTRUCTORS.md is the teaching plan that goes with it. Three commands, from the repository root:

- ``python tools/instructor_kit.py clean [--out DIR]`` writes, for every notebook notebooks/NN_*.ipynb, a
  **clean copy** (default DIR: build/instructor/clean): prose reduced to its headings and one-line prompts,
  exercise answers blank (``answer = ...``; exercise statements stay whole), and the **live-coding cells**
  emptied, each left with a comment that says what goes there. Every other cell (settings, loading,
  printing, plots, exercise helpers and checks) stays as it is, so the copy runs once the live cells are
  typed. The copies are generated, never edited, and not committed: one command (seconds) makes them
  from the notebooks as they are now.
- ``python tools/instructor_kit.py slides [--out DIR] [--execute]`` renders every notebook as a reveal.js
  deck with ``jupyter nbconvert --to slides`` (default DIR: build/instructor/slides; reveal.js comes from
  a CDN). The slide metadata comes from tools/slides.py, written into the notebooks by
  ``python tools/sync_notebooks.py``. ``--execute`` runs each notebook first, so the deck shows outputs.
- ``python tools/instructor_kit.py plan`` lists the live-coding cells of every notebook and why.

**Which cells are live-coding cells** (the rule; :func:`live_cells` applies it). Reading the course in
order (00 to 08, cell by cell), a code cell is a live-coding cell when

1. it calls something of the libraries the course teaches (:data:`TAUGHT_LIBRARIES`: the course's
   ``nercourse``, ``transformers``, ``datasets``, ``seqeval``, ``torch``, ``tokenizers``, ``accelerate``,
   ``huggingface_hub``) that no earlier code cell of the course has called. Calls are recognised by name:
   ``transformers.pipeline``, ``nercourse.tag_spans``, a method such as ``encoding.word_ids()`` by its
   method name, a called object such as ``tokenizer(...)`` by its variable name. Not counted: Python's
   built-ins and standard library, methods that Python's own types or NumPy arrays and pandas tables
   also have (``.items()``, ``.tolist()``), private methods (``_get_eval_sampler``), functions the notebooks
   define themselves, calls that only show something or silence noise (``nercourse.plots.*``,
   ``display``, ``nercourse.quiet``), and an exercise's expected answer (``nercourse.answers.*``: an
   exercise may sit mid-notebook). So a cell that only loads or prints with calls met before stays; or
2. it defines the inline version of what the notebook teaches: a function named ``*_inline``, the
   course's convention for "written out first, then the helper takes over".

Never a live-coding cell: the generated header cells, the settings cell (tagged ``parameters``), every cell
from the ``## Exercises`` heading on, and a cell longer than :data:`MAX_LIVE_LINES` lines (walk through it
instead of typing it). :data:`OVERRIDES` corrects the rule for a few cells by id, each with its reason.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import copy
import pathlib
import random
import re
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CLEAN_DIR = ROOT / "build" / "instructor" / "clean"
SLIDES_DIR = ROOT / "build" / "instructor" / "slides"
HEADER_TAG = "nercourse-header"
PARAMETERS_TAG = "parameters"
LIVE_TAG = "live-coding"
NOTE_ID = "live-coding-note"

TAUGHT_LIBRARIES = frozenset(
    {"nercourse", "transformers", "datasets", "seqeval", "torch", "tokenizers", "accelerate", "huggingface_hub"}
)
"""Top-level packages whose calls the course teaches (NumPy and pandas are tools, not the subject)."""
NOT_TAUGHT = ("nercourse.plots.", "nercourse.quiet", "nercourse.answers.")
"""Calls that only draw, silence noise or check an exercise (an exercise may sit mid-notebook, "predict,
then run"): a cell is not a live-coding cell because of them."""
MAX_LIVE_LINES = 25
"""A longer cell is walked through, not typed, in class."""
LINE_LENGTH = 120

OVERRIDES: dict[str, dict[str, tuple[bool, str]]] = {
    "03_fine_tuning": {
        "7e0d86a6": (False, "the Google Drive copy runs on Colab only; nothing to type in class"),
    },
    "07_going_further": {
        "17ddbf3c": (False, "the Hub upload stays off by default; show the switch, do not type it"),
    },
}
"""Per notebook, cell id -> (live?, why): where the rule alone would choose wrongly."""


def _python_method_names() -> frozenset[str]:
    """Methods of Python's own types and of NumPy arrays and pandas tables: plumbing, not the course's subject."""
    import numpy
    import pandas

    types = (str, bytes, list, dict, set, tuple, int, float, pathlib.Path, random.Random)
    names = {name for kind in (*types, numpy.ndarray, pandas.DataFrame) for name in dir(kind)}
    return frozenset(name for name in names if not name.startswith("_"))


def course_notebooks() -> list[Path]:
    """The course's notebooks in teaching order: notebooks/NN_*.ipynb."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@dataclass
class LiveCell:
    """A live-coding cell of a notebook, what it introduces, and the comment its clean copy carries."""

    cell_id: str
    why: str
    new_calls: list[str] = field(default_factory=list)
    comment: str = ""


def _tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def is_exercises_heading(cell) -> bool:
    """The markdown cell that opens a notebook's exercises (``## Exercises``)."""
    return cell.cell_type == "markdown" and bool(re.search(r"^##\s+Exercises\b", cell.source, re.M | re.I))


def _parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError:  # a cell magic or shell line: nothing to learn from it
        return ast.Module(body=[], type_ignores=[])


def _imports(tree: ast.Module, imports: dict[str, str]) -> None:
    """Record what each imported name refers to: ``np`` -> ``numpy``, ``pipeline`` -> ``transformers.pipeline``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"


def _calls(tree: ast.Module, imports: dict[str, str], defined: set[str], methods: frozenset[str]):
    """(key, call node) for every call that counts under rule 1 of the module docstring."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        parts, target = [], node.func
        while isinstance(target, ast.Attribute):
            parts.append(target.attr)
            target = target.value
        parts.reverse()
        if any(part.startswith("_") for part in parts):  # a private method, shown once, is not API to type
            continue
        if isinstance(target, ast.Name) and target.id in imports:
            key = ".".join([*imports[target.id].split("."), *parts])
            if key.split(".")[0] not in TAUGHT_LIBRARIES or key.startswith(NOT_TAUGHT):
                continue
            if len(parts) > 1 and parts[-1] in methods:  # nercourse.PROFILES.items(): a dict's method
                continue
        elif isinstance(target, ast.Name) and not parts:
            if target.id in defined or hasattr(builtins, target.id):
                continue
            key = target.id + "()"  # a called object: tokenizer(...), collator(...)
        elif parts:
            if parts[-1] in methods:
                continue
            key = "." + parts[-1]  # a method, known by its name: .word_ids(), .train()
        else:
            continue
        found.append((key, node))
    return found


def _call_text(node: ast.Call) -> str:
    """How a call looks, without its values: ``tokenizer(..., is_split_into_words=...)``."""
    arguments = ["..."] if node.args else []
    arguments += [f"{keyword.arg}=..." if keyword.arg else "**..." for keyword in node.keywords]
    name, receiver = node.func, node.func
    while isinstance(receiver, ast.Attribute):
        receiver = receiver.value
    if not isinstance(receiver, ast.Name):  # a method on a computed value: name the method only
        name = ast.Attribute(value=ast.Name(id="(...)"), attr=node.func.attr)
    return f"{ast.unparse(name)}({', '.join(arguments)})"


def _names_in_order(node: ast.AST):
    """(name, is_store) for the names a statement uses in its own scope, in source order."""
    found = []

    def visit(child: ast.AST) -> None:
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            for default in getattr(child.args, "defaults", []) if hasattr(child, "args") else []:
                visit(default)
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found.append((child.lineno, child.col_offset, child.name, True))
                # a function body reads names when it runs, later: count its reads, not its assignments
                found.extend(
                    (n.lineno, n.col_offset, n.id, False)
                    for n in ast.walk(child)
                    if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                )
            return
        if isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            local = {n.id for g in child.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
            found.extend(
                (n.lineno, n.col_offset, n.id, False)
                for n in ast.walk(child)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in local
            )
            return
        if isinstance(child, ast.Name):
            found.append((child.lineno, child.col_offset, child.id, isinstance(child.ctx, ast.Store)))
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            for alias in child.names:
                found.append((child.lineno, child.col_offset, alias.asname or alias.name.split(".")[0], True))
        for grandchild in ast.iter_child_nodes(child):
            visit(grandchild)

    visit(node)
    return [(name, store) for *_, name, store in sorted(found, key=lambda item: (item[0], item[1]))]


def _defined_names(tree: ast.Module) -> list[str]:
    """Names a cell binds in its own scope (assignments, loops, functions, imports), in order."""
    return list(dict.fromkeys(name for name, store in _names_in_order(tree) if store))


def _needed_later(names: list[str], later_cells: Sequence) -> list[str]:
    """Those of ``names`` that a later code cell reads before it binds them itself."""
    needed, pending = [], set(names)
    for cell in later_cells:
        if cell.cell_type != "code" or not pending:
            continue
        first_use: dict[str, bool] = {}
        for name, store in _names_in_order(_parse(cell.source)):
            first_use.setdefault(name, store)
        for name in list(pending):
            if name in first_use:
                pending.discard(name)
                if not first_use[name]:
                    needed.append(name)
    return [name for name in names if name in needed]


def _comment(notebook_name: str, section: str, tree: ast.Module, new_calls: list[str], needed: list[str]) -> str:
    lines = [f"# LIVE CODING ({section}): write this cell in class; {notebook_name} has it in full."]
    if new_calls:
        lines.append("# New in the course here: " + ", ".join(new_calls))
    inline = [s.name for s in tree.body if isinstance(s, ast.FunctionDef) and s.name.endswith("_inline")]
    if inline:
        lines.append("# Write out by hand: " + ", ".join(f"{name}()" for name in inline))
    imports = [ast.unparse(s) for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    if imports:
        lines.append("# Imports: " + "; ".join(imports))
    if needed:
        lines.append("# Later cells use: " + ", ".join(needed))
    wrapped = []
    for line in lines:
        wrapped += textwrap.wrap(line, LINE_LENGTH, subsequent_indent="#   ", break_on_hyphens=False)
    return "\n".join(wrapped)


def live_cells(paths: Sequence[Path] | None = None, overrides: dict | None = None) -> dict[str, dict[str, LiveCell]]:
    """Per notebook stem, the live-coding cells by cell id, by the rule of the module docstring.

    ``paths`` are the course's notebooks in teaching order (default: notebooks/NN_*.ipynb); the rule reads
    them all, because "new" means new in the course so far.
    """
    paths = course_notebooks() if paths is None else list(paths)
    overrides = OVERRIDES if overrides is None else overrides
    methods = _python_method_names()
    seen: set[str] = set()
    defined: set[str] = set()
    result: dict[str, dict[str, LiveCell]] = {}
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        wanted = overrides.get(path.stem, {})
        unknown = set(wanted) - {cell.get("id") for cell in notebook.cells}
        if unknown:
            raise SystemExit(f"{path.name}: OVERRIDES name cells that are not there: {sorted(unknown)}")
        imports: dict[str, str] = {}
        live: dict[str, LiveCell] = {}
        in_exercises, section = False, "the introduction"
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "markdown":
                in_exercises = in_exercises or is_exercises_heading(cell)
                headings = re.findall(r"^#{2,3}\s+(.+)$", cell.source, re.M)
                section = f"section {headings[-1].strip()}" if headings else section
                continue
            if cell.cell_type != "code":
                continue
            tree = _parse(cell.source)
            _imports(tree, imports)
            defined |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
            if HEADER_TAG in _tags(cell):
                continue
            calls = _calls(tree, imports, defined, methods)
            first_node: dict[str, ast.Call] = {}
            for key, node in calls:
                if key not in seen:
                    first_node.setdefault(key, node)
            seen.update(key for key, _ in calls)
            inline = [s.name for s in tree.body if isinstance(s, ast.FunctionDef) and s.name.endswith("_inline")]
            lines = len([line for line in cell.source.splitlines() if line.strip()])
            if cell.get("id") in wanted:
                is_live, why = wanted[cell["id"]]
                why = f"override: {why}"
            elif PARAMETERS_TAG in _tags(cell) or in_exercises:
                is_live, why = False, ""
            elif not (first_node or inline):
                is_live, why = False, ""
            elif lines > MAX_LIVE_LINES:
                is_live, why = False, ""
            else:
                is_live = True
                why = "first call of " + ", ".join(first_node) if first_node else "defines " + ", ".join(inline)
            if not is_live:
                continue
            new_calls = list(dict.fromkeys(_call_text(node) for node in first_node.values()))
            needed = _needed_later(_defined_names(tree), notebook.cells[index + 1 :])
            live[cell["id"]] = LiveCell(
                cell["id"], why, new_calls, _comment(path.name, section, tree, new_calls, needed)
            )
        result[path.stem] = live
    return result


_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-Z*`(\[_\"'])")
_NOT_AN_END = ("al.", "e.g.", "i.e.", "cf.", "vs.", "Mr.", "Dr.", "Fig.")


def one_line_prompt(paragraph: str, width: int = 160) -> str:
    """The first sentence of a paragraph, on one line, cut at a word if it is long."""
    text = " ".join(line.strip().removeprefix("- ").removeprefix("> ") for line in paragraph.splitlines()).strip()
    sentence = text
    for match in _SENTENCE_END.finditer(text):
        before = text[: match.start()]
        if before.endswith(_NOT_AN_END) or before.count("(") > before.count(")"):
            continue  # an abbreviation, or inside parentheses: not the end of the sentence
        sentence = before
        break
    if len(sentence) > width:
        sentence = sentence[: width - 1].rsplit(" ", 1)[0] + " …"
    return sentence


def reduce_markdown(source: str) -> str:
    """Headings, and after each heading (or at the top of a cell without one) a one-line prompt."""
    kept: list[str] = []
    want_prompt = True
    for paragraph in re.split(r"\n\s*\n", source):
        stripped = paragraph.strip()
        if not stripped:
            continue
        lines = stripped.splitlines()
        headings = [line for line in lines if re.match(r"^#{1,6}\s", line)]
        if headings:
            kept += headings
            want_prompt = True
            rest = "\n".join(line for line in lines if line not in headings).strip()
            if not rest:
                continue
            stripped, lines = rest, rest.splitlines()
        if not want_prompt or stripped.startswith(("|", "```", "![", "<")):
            continue
        prompt = one_line_prompt(stripped)
        if prompt:
            kept.append(prompt)
            want_prompt = False
    return "\n\n".join(kept)


def blank_answers(source: str) -> str:
    """Every top-level ``answer = <value>`` becomes ``answer = ...``, so no exercise arrives answered."""
    tree = _parse(source)
    lines = source.splitlines()
    for statement in reversed(tree.body):
        if (
            isinstance(statement, ast.Assign)
            and [getattr(t, "id", None) for t in statement.targets] == ["answer"]
            and not (isinstance(statement.value, ast.Constant) and statement.value.value is Ellipsis)
        ):
            lines[statement.lineno - 1 : statement.end_lineno] = ["answer = ...  # your answer"]
    return "\n".join(lines)


def clean_notebook(path: Path, live: dict[str, LiveCell]):
    """The clean copy of one notebook (an nbformat notebook; nothing is written)."""
    notebook = nbformat.read(path, as_version=4)
    cells, in_exercises, note_added = [], False, False
    for cell in notebook.cells:
        cell = copy.deepcopy(cell)
        if HEADER_TAG not in _tags(cell) and not note_added:
            note = nbformat.v4.new_markdown_cell(
                f"**Clean copy for live coding** of `{path.name}`, generated by `python tools/instructor_kit.py "
                f"clean`; do not edit it. The {len(live)} cells that start with `# LIVE CODING` are yours to "
                "type in class; the full notebook has them, and notebooks/INSTRUCTORS.md has the plan."
            )
            note["id"] = NOTE_ID
            cells.append(note)
            note_added = True
        if cell.cell_type == "markdown":
            if HEADER_TAG in _tags(cell) or in_exercises:
                cells.append(cell)
                continue
            if is_exercises_heading(cell):  # the prose before the heading is reduced, the exercises stay whole
                in_exercises = True
                start = re.search(r"^##\s+Exercises\b", cell.source, re.M | re.I).start()
                before, exercises = cell.source[:start], cell.source[start:]
                cell.source = "\n\n".join(filter(None, [reduce_markdown(before), exercises.strip()]))
                cell.pop("attachments", None)
                cells.append(cell)
                continue
            cell.source = reduce_markdown(cell.source)
            cell.pop("attachments", None)  # the figures stay in the full notebook
            if cell.source:
                cells.append(cell)
            continue
        if cell.cell_type == "code":
            if cell.get("id") in live:
                cell.source = live[cell["id"]].comment
                cell.metadata["tags"] = [*_tags(cell), LIVE_TAG]
            else:
                cell.source = blank_answers(cell.source)
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    notebook.cells = cells
    return notebook


def fill_back(clean, source):
    """A clean copy with its live-coding cells typed in from the full notebook (what happens in class)."""
    by_id = {cell.get("id"): cell for cell in source.cells}
    filled = copy.deepcopy(clean)
    for cell in filled.cells:
        if LIVE_TAG in _tags(cell):
            cell.source = by_id[cell["id"]].source
    return filled


def write_clean(out: Path, paths: Sequence[Path] | None = None) -> list[Path]:
    """Write every clean copy to ``out``; returns the files written."""
    paths = course_notebooks() if paths is None else list(paths)
    live = live_cells(paths)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out / path.name
        target.write_text(nbformat.writes(clean_notebook(path, live[path.stem])) + "\n", encoding="utf-8")
        written.append(target)
    return written


def render_slides(out: Path, paths: Sequence[Path] | None = None, execute: bool = False) -> list[Path]:
    """Render every notebook as a reveal.js deck with ``jupyter nbconvert --to slides``; returns the decks."""
    paths = course_notebooks() if paths is None else list(paths)
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "nbconvert", "--to", "slides", "--output-dir", str(out)]
    # Long cells scroll inside their slide instead of running off the bottom of the screen.
    command += ["--SlidesExporter.reveal_scroll=True", "--log-level=WARN"]
    if execute:
        command += ["--execute", "--ExecutePreprocessor.timeout=1800"]
    result = subprocess.run([*command, *map(str, paths)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"jupyter nbconvert --to slides failed:\n{result.stderr[-3000:]}")
    return [out / f"{path.stem}.slides.html" for path in paths]


def print_plan(paths: Sequence[Path] | None = None) -> None:
    for stem, cells in live_cells(paths).items():
        print(f"{stem}: {len(cells)} live-coding cells")
        for cell in cells.values():
            print(f"  {cell.cell_id}  {cell.why}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    clean = commands.add_parser("clean", help="write the clean copies for live coding")
    clean.add_argument("--out", type=Path, default=CLEAN_DIR, help=f"folder (default: {CLEAN_DIR.relative_to(ROOT)})")
    slides = commands.add_parser("slides", help="render every notebook as a reveal.js deck")
    slides.add_argument(
        "--out", type=Path, default=SLIDES_DIR, help=f"folder (default: {SLIDES_DIR.relative_to(ROOT)})"
    )
    slides.add_argument("--execute", action="store_true", help="run each notebook first, so the deck shows outputs")
    commands.add_parser("plan", help="list the live-coding cells of every notebook and why")
    args = parser.parse_args(argv)
    if args.command == "clean":
        for path in write_clean(args.out):
            print(path)
    elif args.command == "slides":
        for path in render_slides(args.out, execute=args.execute):
            print(path)
    else:
        print_plan()
    return 0


if __name__ == "__main__":
    sys.exit(main())
