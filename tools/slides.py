"""Slide metadata for every notebook, by rule, so that each one renders as a reveal.js deck.

``python tools/sync_notebooks.py`` calls :func:`assign_slide_types` on every notebook (00-08 and the
solutions) and writes the result into each cell's ``metadata.slideshow.slide_type``; then
``jupyter nbconvert --to slides`` (or ``python tools/instructor_kit.py slides``) renders the decks.
notebooks/INSTRUCTORS.md says how to present from them. The rules, applied to each cell in order:

1. the generated header cells (Colab badge, setup cell) are ``skip``: they are for Colab, not for a
   projector; so is every cell of an optional section (tagged ``optional``): a deck shows the core path;
2. an exercise's solution stays off the screen: a code cell that defines ``expected_answer_*`` or calls
   ``nercourse.check`` (which computes the expected value in its arguments) is ``skip``;
3. a markdown cell with a ``#`` or ``##`` heading starts a ``slide``: one per section;
4. a markdown cell with a ``###`` heading starts a ``subslide`` (below the section's slide);
5. a cell that is long by itself (more than :data:`LINES_PER_SLIDE` lines) or a code cell that shows a
   figure or a table (``nercourse.plots``, ``figure =``, ``display(``, or a bare expression last, such as a
   DataFrame) starts a ``subslide``, so that it gets the screen to itself once executed;
6. any other cell is a ``fragment`` of the current (sub)slide, revealed step by step, as long as the
   (sub)slide stays within :data:`LINES_PER_SLIDE` lines; the cell that would overflow it starts a
   ``subslide`` instead.

Everything depends on the cells' sources and their order only, so the same notebook always gets the
same metadata and ``sync_notebooks.py --check`` stays clean.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable

from notebook_cells import HEADER_TAG, heading_level, is_optional, tags  # tools/, beside this script

SLIDE, SUBSLIDE, FRAGMENT, SKIP = "slide", "subslide", "fragment", "skip"
LINES_PER_SLIDE = 18
"""How many lines of text or code fit one slide of nbconvert's reveal.js template at its default size."""
MARKDOWN_WIDTH = 100  # characters per rendered line of prose
IMAGE_LINES = 12  # an embedded figure takes about this many lines of a slide

_IMAGE = re.compile(r"!\[[^\]]*\]\(")
_SHOWS = re.compile(r"nercourse\.plots\.|^figure\s*=|\bdisplay\(", re.M)


def cell_lines(cell) -> int:
    """About how many lines the cell takes on a slide: wrapped prose, code lines, figures."""
    source = cell.source
    if cell.cell_type != "markdown":
        return max(1, len(source.splitlines()))
    lines = sum(max(1, math.ceil(len(line) / MARKDOWN_WIDTH)) for line in source.splitlines() if line.strip())
    return max(1, lines + IMAGE_LINES * len(_IMAGE.findall(source)))


def shows_exercise_solution(source: str) -> bool:
    """A code cell that computes an exercise's expected answer: the helper cell or a check cell."""
    return ("expected_answer" in source and "def " in source) or "nercourse.check(" in source


def shows_figure_or_table(source: str) -> bool:
    """A code cell whose output is a figure or a table (its last statement a bare expression, e.g. a DataFrame)."""
    if _SHOWS.search(source):
        return True
    try:
        body = ast.parse(source).body
    except SyntaxError:  # cell magics and the like: no guess
        return False
    last = body[-1] if body else None
    return isinstance(last, ast.Expr) and not isinstance(last.value, (ast.Call, ast.Constant))


def slide_types(cells: Iterable) -> list[str]:
    """The slide type of every cell, by the rules of the module docstring."""
    types, used = [], 0  # used: lines on the current (sub)slide so far
    for cell in cells:
        lines = cell_lines(cell)
        level = heading_level(cell.source) if cell.cell_type == "markdown" else None
        if HEADER_TAG in tags(cell) or is_optional(cell):
            kind = SKIP
        elif cell.cell_type == "code" and shows_exercise_solution(cell.source):
            kind = SKIP
        elif level is not None and level <= 2:
            kind = SLIDE
        elif level == 3:
            kind = SUBSLIDE
        elif lines > LINES_PER_SLIDE or (cell.cell_type == "code" and shows_figure_or_table(cell.source)):
            kind = SUBSLIDE
        elif used + lines > LINES_PER_SLIDE:
            kind = SUBSLIDE
        else:
            kind = FRAGMENT
        if kind in (SLIDE, SUBSLIDE):
            used = lines
        elif kind == FRAGMENT:
            used += lines
        types.append(kind)
    return types


def assign_slide_types(cells: list) -> None:
    """Write ``metadata.slideshow.slide_type`` into every cell (what ``jupyter nbconvert --to slides`` reads)."""
    for cell, kind in zip(cells, slide_types(cells), strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
