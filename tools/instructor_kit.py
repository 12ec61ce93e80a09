"""The instructor's kit: clean copies for live coding, slide decks, and the list of live-coding cells.

notebooks/INSTRUCTORS.md is the teaching plan that goes with it. Three commands, from the repository root:

- ``python tools/instructor_kit.py clean [--out DIR]`` writes, for every notebook notebooks/NN_*.ipynb, a
  **clean copy** (default DIR: build/instructor/clean): the notebook's core path (its optional cells left
  out), its markdown whole (figures and tables included), exercise answers blank (``answer = ...``), and the
  **live-coding cells** emptied. Each hole keeps a comment: its section, the signature of every course helper
  (``nercourse.*``) and every new library call it makes, the functions to write out by hand, its imports, the
  names it must define (those a later core cell reads before binding them itself), and whether it silences
  library noise with ``nercourse.quiet()``. Every other core cell (settings, loading, printing, plots, exercise
  helpers and checks) stays as it is, so the copy runs once the holes are typed. The copies are generated,
  never edited, and not committed: one command (seconds) makes them from the notebooks as they are now.
- ``python tools/instructor_kit.py slides [--out DIR] [--execute]`` renders every notebook as a reveal.js
  deck with ``jupyter nbconvert --to slides`` (default DIR: build/instructor/slides; reveal.js comes from
  a CDN). The slide metadata comes from tools/slides.py, written into the notebooks by
  ``python tools/sync_notebooks.py``. ``--execute`` runs each notebook first, so the deck shows outputs.
- ``python tools/instructor_kit.py plan`` lists the live-coding cells of every notebook and why.

**Which cells are live-coding cells** (the rule; :func:`live_cells` applies it). Reading the course's core
path in order (00 to 08, cell by cell, optional cells left out), a code cell is a live-coding cell when

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
import importlib
import inspect
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
from notebook_cells import (  # tools/, beside this script
    HEADER_TAG,
    PARAMETERS_TAG,
    core_cells,
    defined_names,
    needed_later,
    parse,
    tags,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CLEAN_DIR = ROOT / "build" / "instructor" / "clean"
SLIDES_DIR = ROOT / "build" / "instructor" / "slides"
LIVE_TAG = "live-coding"
NOTE_ID = "live-coding-note"

TAUGHT_LIBRARIES = frozenset(
    {"nercourse", "transformers", "datasets", "seqeval", "torch", "tokenizers", "accelerate", "huggingface_hub"}
)
"""Top-level packages whose calls the course teaches (NumPy and pandas are tools, not the subject)."""
QUIET = "nercourse.quiet"
NOT_TAUGHT = ("nercourse.plots.", QUIET, "nercourse.answers.", "nercourse.check")
"""Calls that only draw, silence noise or check an exercise (an exercise may sit mid-notebook, "predict,
then run"): a cell is not a live-coding cell because of them."""
MAX_LIVE_LINES = 25
"""A longer cell is walked through, not typed, in class."""
LINE_LENGTH = 120
MAX_SIGNATURE = 100
"""A longer signature shows its required parameters and those the call passes, then ``...``."""
MAX_DEFAULT = 24

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
    calls: list[str] = field(default_factory=list)  # signatures: new library calls and every helper it calls
    comment: str = ""


def is_exercises_heading(cell) -> bool:
    """The markdown cell that opens a notebook's exercises (``## Exercises``)."""
    return cell.cell_type == "markdown" and bool(re.search(r"^##\s+Exercises\b", cell.source, re.M | re.I))


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


def _call_chain(node: ast.Call) -> tuple[ast.AST, list[str]]:
    """What a call is made on and the attributes after it: ``tokenizer.pad(...)`` -> (``tokenizer``, ["pad"])."""
    parts, target = [], node.func
    while isinstance(target, ast.Attribute):
        parts.append(target.attr)
        target = target.value
    return target, parts[::-1]


def _calls(tree: ast.Module, imports: dict[str, str], defined: set[str], methods: frozenset[str]):
    """(key, call node) for every call that counts under rule 1 of the module docstring."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target, parts = _call_chain(node)
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
    return f"{_shown_name(node)}({', '.join(arguments)})"


def _shown_name(node: ast.Call) -> str:
    """The called name as the cell writes it; a method on a computed value by its method name: ``(...).numpy``."""
    receiver = node.func
    while isinstance(receiver, ast.Attribute):
        receiver = receiver.value
    if isinstance(receiver, ast.Name):
        return ast.unparse(node.func)
    return f"(...).{node.func.attr}" if isinstance(node.func, ast.Attribute) else "(...)"


def _resolve(key: str):
    """The object a dotted call name stands for (``transformers.AutoConfig.for_model``), or None."""
    if str(NOTEBOOKS) not in sys.path:  # the helper package, when it is not installed
        sys.path.append(str(NOTEBOOKS))
    parts = key.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            target = getattr(target, part, None)
        return target
    return None


class _Elided:
    """A default value too long for a comment (or without a stable repr) shows as ``...``."""

    def __repr__(self) -> str:
        return "..."


def _signature_text(key: str, node: ast.Call) -> str:
    """``name(parameters)`` from ``inspect.signature``, without annotations and long defaults; the call's shape
    when the name is not importable. A long signature keeps its required parameters and the ones the call passes
    (by position or keyword), then ``...``."""
    target = _resolve(key) if not key.startswith(".") and not key.endswith("()") else None
    try:
        signature = inspect.signature(target) if callable(target) else None
    except (TypeError, ValueError):  # a built-in without signature metadata
        signature = None
    if signature is None:
        return _call_text(node)
    parameters = []
    for parameter in signature.parameters.values():
        default = parameter.default
        if default is not parameter.empty and (len(repr(default)) > MAX_DEFAULT or " at 0x" in repr(default)):
            default = _Elided()
        parameters.append(parameter.replace(annotation=parameter.empty, default=default))
    shown = _shown_name(node)
    full = f"{shown}{signature.replace(parameters=parameters, return_annotation=signature.empty)}"
    if len(full) <= MAX_SIGNATURE:
        return full
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    positional = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    positional = [name for name in positional if name not in ("self", "cls")]
    used = {keyword.arg for keyword in node.keywords} | set(positional[: len(node.args)])  # what the call fills
    kept = [
        str(p)
        for p in parameters
        if p.name in used or (p.default is p.empty and p.kind not in variadic and p.name not in ("self", "cls"))
    ]
    return f"{shown}({', '.join([*kept, '...'])})"


def _helper_calls(tree: ast.Module, imports: dict[str, str], methods: frozenset[str]):
    """(key, call node) for every call of the course's helper package (``nercourse.X``, ``nercourse.plots.Y``)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target, parts = _call_chain(node)
        if not (isinstance(target, ast.Name) and imports.get(target.id, "").split(".")[0] == "nercourse"):
            continue
        if any(part.startswith("_") for part in parts) or (len(parts) > 1 and parts[-1] in methods):
            continue  # private, or a method of a value the package holds: nercourse.PROFILES.items()
        found.append((".".join([*imports[target.id].split("."), *parts]), node))
    return sorted(found, key=lambda item: (item[1].lineno, item[1].col_offset))


def given_lines(source: str, tree: ast.Module) -> tuple[list[str], list[str]]:
    """The statements of a live cell that only write data down (``words = ["Angela", ...]``: a name bound
    to a literal text, list, tuple, dict or set), as they stand in the cell, and the names they bind. The clean copy keeps them: they are
    the example, not the lesson, and no prompt could ask for them to the last character."""
    lines, names = [], []
    for statement in tree.body:
        if not isinstance(statement, ast.Assign) or not all(isinstance(t, ast.Name) for t in statement.targets):
            continue
        if not isinstance(statement.value, (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.Constant)) or (
            isinstance(statement.value, ast.Constant) and not isinstance(statement.value.value, str)
        ):
            continue  # a counter's start (total = 0) is part of the code to write; texts and lists are data
        try:
            ast.literal_eval(statement.value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        lines.append(ast.get_source_segment(source, statement))
        names += [target.id for target in statement.targets]
    return lines, names


def _comment(
    notebook_name: str, section: str, tree: ast.Module, calls: list[str], quiet: bool, needed: list[str], given=()
):
    lines = [f"# LIVE CODING ({section}): write this cell in class; {notebook_name} has it in full."]
    if calls:
        lines.append("# Calls: " + "; ".join(calls))
    inline = [s.name for s in tree.body if isinstance(s, ast.FunctionDef) and s.name.endswith("_inline")]
    if inline:
        lines.append("# Write out by hand: " + ", ".join(f"{name}()" for name in inline))
    imports = [ast.unparse(s) for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    if imports:
        lines.append("# Imports: " + "; ".join(imports))
    if needed:
        lines.append("# Must define (later cells read them): " + ", ".join(needed))
    if quiet:
        lines.append("# Also silences library noise with nercourse.quiet().")
    wrapped = []
    for line in lines:
        wrapped += textwrap.wrap(
            line, LINE_LENGTH, subsequent_indent="#   ", break_on_hyphens=False, break_long_words=False
        )
    if given:
        wrapped += ["# Given (the example's data, typed for you):", *given]
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
        core = core_cells(notebook.cells)  # optional cells are neither holes nor what makes a call new
        for index, cell in enumerate(core):
            if cell.cell_type == "markdown":
                in_exercises = in_exercises or is_exercises_heading(cell)
                headings = re.findall(r"^#{2,3}\s+(.+)$", cell.source, re.M)
                section = f"section {headings[-1].strip()}" if headings else section
                continue
            if cell.cell_type != "code":
                continue
            tree = parse(cell.source)
            _imports(tree, imports)
            defined |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
            if HEADER_TAG in tags(cell):
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
            elif PARAMETERS_TAG in tags(cell) or in_exercises:
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
            new_calls = [_signature_text(key, node) + " [new]" for key, node in first_node.items()]
            helpers = _helper_calls(tree, imports, methods)
            quiet = any(key == QUIET for key, _ in helpers)
            calls = [_signature_text(key, node) for key, node in helpers if key not in first_node and key != QUIET]
            calls = list(dict.fromkeys(new_calls + calls))
            given, given_names = given_lines(cell.source, tree)
            needed = [name for name in needed_later(defined_names(tree), core[index + 1 :]) if name not in given_names]
            live[cell["id"]] = LiveCell(
                cell["id"], why, calls, _comment(path.name, section, tree, calls, quiet, needed, given)
            )
        result[path.stem] = live
    return result


def blank_answers(source: str) -> str:
    """Every top-level ``answer = <value>`` becomes ``answer = ...``, so no exercise arrives answered."""
    tree = parse(source)
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
    """The clean copy of one notebook (an nbformat notebook; nothing is written): its core path, with the
    markdown whole, the live-coding cells emptied and the exercises' answers blank."""
    notebook = nbformat.read(path, as_version=4)
    note = nbformat.v4.new_markdown_cell(
        f"**Clean copy for live coding** of `{path.name}`, generated by `python tools/instructor_kit.py clean`; "
        f"do not edit it. The {len(live)} cells that start with `# LIVE CODING` are yours to type in class; the "
        "full notebook has them, and its optional sections, and notebooks/INSTRUCTORS.md has the plan."
    )
    note["id"] = NOTE_ID
    cells: list = []
    for cell in map(copy.deepcopy, core_cells(notebook.cells)):
        if HEADER_TAG not in tags(cell) and NOTE_ID not in (c.get("id") for c in cells):
            cells.append(note)  # right after the header cells
        if cell.cell_type == "code":
            if cell.get("id") in live:
                cell.source = live[cell["id"]].comment
                cell.metadata["tags"] = [*tags(cell), LIVE_TAG]
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
        if LIVE_TAG in tags(cell):
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
