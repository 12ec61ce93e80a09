"""What the course's tools know about notebook cells: tags, headings, the core path, and the names code cells bind and read.

Shared by tools/slides.py, tools/instructor_kit.py and the tests of the course's rules (tests/test_course_rules.py).

**The core path.** Every cell of an optional section carries the cell tag ``optional`` and the section's heading
says "(optional)"; the section runs until the next heading of the same or a higher level. The core path is every
other cell (the generated header cells included). Slides and clean copies leave optional cells out, so no core
cell may read a name that only an optional cell binds: :func:`optional_section_problems` and
:func:`names_optional_cells_lend` check both rules.

**Names.** :func:`names_in_order` lists the names a cell binds and reads in its own scope, in the order Python
evaluates them (an assignment's value before its targets, a loop's iterable before its variable). A function,
class or lambda binds its name and reads its *free* names (what its body reads from the cell's scope) where it
is defined; its parameters, loop variables and other locals are its own, and so are a comprehension's variables.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Sequence

HEADER_TAG = "nercourse-header"
"""The two generated cells at the top of every notebook (tools/sync_notebooks.py)."""
OPTIONAL_TAG = "optional"
PARAMETERS_TAG = "parameters"
OPTIONAL_MARK = "(optional)"
"""What the heading of an optional section says."""

_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


def is_optional(cell) -> bool:
    """A cell of an optional section: slides and clean copies leave it out."""
    return OPTIONAL_TAG in tags(cell)


def core_cells(cells: Iterable) -> list:
    """The cells of the core path: every cell without the ``optional`` tag."""
    return [cell for cell in cells if not is_optional(cell)]


def headings(source: str) -> list[tuple[int, str]]:
    """(level, text) of every Markdown heading (``#`` to ``######``) outside code fences, in order."""
    found, fenced = [], False
    for line in source.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            found.append((len(match.group(1)), match.group(2).strip()))
    return found


def heading_level(source: str, deepest: int = 3) -> int | None:
    """The highest heading level (1 to ``deepest``) in a markdown cell, outside code fences; None without one."""
    levels = [level for level, _ in headings(source) if level <= deepest]
    return min(levels) if levels else None


def says_optional(heading: str) -> bool:
    return OPTIONAL_MARK in heading.lower()


def _describe(index: int, cell) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {index} ({cell.get('id', 'no id')}: {first[:60]!r})"


def optional_section_problems(cells: Sequence) -> list[str]:
    """How the cells break the optional-section rule (empty when they keep it).

    Every cell from a heading that says "(optional)" to the next heading of the same or a higher level is
    tagged ``optional``; a tagged cell sits in such a section (so a tagged heading says "(optional)", unless it
    is a subsection of an optional section); a heading that opens or closes an optional section starts its cell.
    """
    problems: list[str] = []
    open_headings: dict[int, str] = {}  # level -> the heading in force at that level

    def section() -> str | None:
        """The optional heading the current position is under, if any."""
        return next((text for _, text in sorted(open_headings.items()) if says_optional(text)), None)

    for index, cell in enumerate(cells):
        before = section()
        states = []
        if cell.cell_type == "markdown":
            for level, text in headings(cell.source):
                for deeper in [k for k in open_headings if k >= level]:
                    del open_headings[deeper]
                open_headings[level] = text
                states.append(section())
        starts_with_heading = bool(states) and bool(_HEADING.match(cell.source.lstrip().splitlines()[0]))
        state = states[0] if starts_with_heading else before
        if any((s is None) != (state is None) for s in states):
            problems.append(
                f"{_describe(index, cell)}: a heading that opens or closes an optional section must start its own "
                "markdown cell"
            )
        if state is not None and not is_optional(cell):
            problems.append(f"{_describe(index, cell)} is in the optional section {state!r} but is not tagged optional")
        if state is None and is_optional(cell):
            problems.append(
                f"{_describe(index, cell)} is tagged optional outside any section whose heading says {OPTIONAL_MARK}"
            )
    return problems


def names_optional_cells_lend(cells: Sequence) -> list[str]:
    """Each name an optional code cell binds that a later core cell reads before binding it itself.

    An optional cell that imports a module a core cell before it already imported lends nothing new.
    Returns one line per problem: the optional cell, the name, the core cell that reads it.
    """
    problems = []
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or not is_optional(cell):
            continue
        tree = parse(cell.source)
        bound_before = {
            name
            for earlier in core_cells(cells[:index])
            if earlier.cell_type == "code"
            for name in defined_names(parse(earlier.source))
        }
        imported = {name for name, _ in _import_bindings(tree)}
        names = [name for name in defined_names(tree) if not (name in imported and name in bound_before)]
        later = [(i, c) for i, c in enumerate(cells) if i > index and not is_optional(c)]
        for name in needed_later(names, [c for _, c in later]):
            reader = next(i for i, c in later if c.cell_type == "code" and name in reads(parse(c.source)))
            problems.append(
                f"{_describe(index, cell)} is optional but binds {name!r}, which the core {_describe(reader, cells[reader])} "
                "reads: bind it in a core cell, or make the reader optional too"
            )
    return problems


# --------------------------------------------------------------------------------------- names in code


def parse(source: str) -> ast.Module:
    """A cell's syntax tree; an empty module for a cell magic or shell line (nothing to learn from it)."""
    try:
        return ast.parse(source)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (*_FUNCTIONS, ast.Lambda, ast.ClassDef, *_COMPREHENSIONS)


def _import_bindings(node: ast.AST) -> list[tuple[str, ast.AST]]:
    found = []
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        found += [(alias.asname or alias.name.split(".")[0], node) for alias in node.names if alias.name != "*"]
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, _SCOPES):
            found += _import_bindings(child)
    return found


def _evaluated_outside(scope: ast.AST) -> list[ast.AST]:
    """What a nested scope evaluates in the enclosing scope where it is defined: decorators, defaults, bases."""
    if isinstance(scope, (*_FUNCTIONS, ast.Lambda)):
        parts = list(getattr(scope, "decorator_list", []))
        return parts + scope.args.defaults + [default for default in scope.args.kw_defaults if default is not None]
    if isinstance(scope, ast.ClassDef):
        return [*scope.decorator_list, *scope.bases, *(keyword.value for keyword in scope.keywords)]
    return []


def _scope_body(scope: ast.AST) -> list[ast.AST]:
    if isinstance(scope, (*_FUNCTIONS, ast.ClassDef)):
        return scope.body
    if isinstance(scope, ast.Lambda):
        return [scope.body]
    if isinstance(scope, ast.DictComp):
        return [scope.key, scope.value, *scope.generators]
    return [scope.elt, *scope.generators]


def _parameters(scope: ast.AST) -> list[str]:
    if not isinstance(scope, (*_FUNCTIONS, ast.Lambda)):
        return []
    arguments = scope.args
    names = [a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]
    return names + [a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None]


def free_names(scope: ast.AST) -> list[str]:
    """The names a function, lambda, class or comprehension reads from the scope around it, in source order."""
    local, declared, used = set(_parameters(scope)), set(), []

    def visit(node: ast.AST) -> None:
        if isinstance(node, _SCOPES):
            for part in _evaluated_outside(node):
                visit(part)
            if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
                local.add(node.name)
            used.extend(free_names(node))
            return
        if isinstance(node, ast.Name):
            (used.append if isinstance(node.ctx, ast.Load) else local.add)(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            local.update(name for name, _ in _import_bindings(node))
        elif isinstance(node, ast.ExceptHandler) and node.name:
            local.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for part in _scope_body(scope):
        visit(part)
    return list(dict.fromkeys(name for name in used if name not in local or name in declared))


def names_in_order(node: ast.AST) -> list[tuple[str, bool]]:
    """(name, is_store) for the names a cell (or statement) reads and binds in its own scope, in evaluation order."""
    found: list[tuple[str, bool]] = []

    def visit(child: ast.AST) -> None:
        if isinstance(child, _SCOPES):
            for part in _evaluated_outside(child):
                visit(part)
            # a function body reads these when it is called, later; the course counts them where it is defined
            found.extend((name, False) for name in free_names(child))
            if isinstance(child, (*_FUNCTIONS, ast.ClassDef)):
                found.append((child.name, True))
        elif isinstance(child, ast.Name):
            if not isinstance(child.ctx, ast.Del):
                found.append((child.id, isinstance(child.ctx, ast.Store)))
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            found.extend((name, True) for name, _ in _import_bindings(child))
        elif isinstance(child, (ast.Assign, ast.NamedExpr)):
            visit(child.value)
            for target in getattr(child, "targets", [getattr(child, "target", None)]):
                visit(target)
        elif isinstance(child, ast.AugAssign):
            if isinstance(child.target, ast.Name):
                found.append((child.target.id, False))  # total += 1 reads total first
            visit(child.value)
            visit(child.target)
        elif isinstance(child, ast.AnnAssign):
            if child.value is not None:  # a bare annotation binds nothing
                visit(child.value)
                visit(child.target)
        elif isinstance(child, (ast.For, ast.AsyncFor)):
            for part in (child.iter, child.target, *child.body, *child.orelse):
                visit(part)
        elif isinstance(child, ast.ExceptHandler):
            if child.type is not None:
                visit(child.type)
            if child.name:
                found.append((child.name, True))
            for part in child.body:
                visit(part)
        elif not isinstance(child, (ast.Global, ast.Nonlocal)):
            for grandchild in ast.iter_child_nodes(child):
                visit(grandchild)

    visit(node)
    return found


def defined_names(tree: ast.AST) -> list[str]:
    """Names a cell binds in its own scope (assignments, loops, functions, imports), in order."""
    return list(dict.fromkeys(name for name, store in names_in_order(tree) if store))


def reads(tree: ast.AST) -> set[str]:
    """Names a cell reads in its own scope (free names of its functions included)."""
    return {name for name, store in names_in_order(tree) if not store}


def needed_later(names: Sequence[str], later_cells: Sequence) -> list[str]:
    """Those of ``names`` that a later code cell reads before it binds them itself, in the order of ``names``."""
    needed, pending = set(), set(names)
    for cell in later_cells:
        if cell.cell_type != "code" or not pending:
            continue
        first_use: dict[str, bool] = {}
        for name, store in names_in_order(parse(cell.source)):
            first_use.setdefault(name, store)
        for name in pending & set(first_use):
            pending.discard(name)
            if not first_use[name]:
                needed.add(name)
    return [name for name in names if name in needed]
