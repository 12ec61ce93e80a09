"""Keep every notebook's generated parts in sync; ``--check`` only reports (the tests use it).

For each notebook in notebooks/ and notebooks/solutions/ it
1. writes the two header cells: an "Open in Colab" badge with previous/next links, and the setup
   cell that, on Colab only, installs seqeval and the helper package (without dependencies, so
   nothing Colab ships is upgraded), then prints versions and the GPU;
2. embeds every image a markdown cell references as ``../img/NAME.png`` (or already as
   ``attachment:NAME.png``) as a cell attachment, from img/, so that it renders on GitHub, in
   Jupyter and on Colab, where the img/ folder is not next to the notebook;
3. removes outputs and execution counts;
4. sets each cell's slide metadata by the rules of tools/slides.py (``jupyter nbconvert --to slides``).

The repository slug comes from ``nercourse.environment.REPOSITORY`` alone.

usage: python tools/sync_notebooks.py [--check] [--repository OWNER/NAME]
"""

from __future__ import annotations

import argparse
import ast
import base64
import re
import sys
from pathlib import Path

import nbformat
from slides import assign_slide_types  # tools/slides.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
IMAGES = ROOT / "img"
HEADER_TAG = "nercourse-header"
IMAGE_LINK = re.compile(r"\]\((?:\.\./)*(?:img/|attachment:)([A-Za-z0-9_.-]+\.png)\)")


def repository() -> str:
    source = (NOTEBOOKS / "nercourse" / "environment.py").read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "REPOSITORY":
            return node.value.value
    raise SystemExit("REPOSITORY not found in notebooks/nercourse/environment.py")


def set_repository(slug: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", slug):
        raise SystemExit(f"--repository {slug!r}: expected OWNER/NAME as on GitHub")
    path = NOTEBOOKS / "nercourse" / "environment.py"
    source = path.read_text()
    updated, count = re.subn(r'^REPOSITORY = "[^"]*"$', f'REPOSITORY = "{slug}"', source, count=1, flags=re.M)
    if count != 1:
        raise SystemExit(f'REPOSITORY = "..." not found in {path}')
    path.write_text(updated)


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*.ipynb"))


def header_cells(path: Path, slug: str) -> list:
    relative = path.relative_to(ROOT).as_posix()
    badge = (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{slug}/blob/main/{relative})"
    )
    if path.parent.name == "solutions":
        main = path.name.replace("_solutions", "")
        links = f"Worked solutions for [{main}](../{main}) · [course map](../../README.md)"
    else:
        siblings = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
        i = siblings.index(path)
        parts = []
        if i > 0:
            parts.append(f"← [{siblings[i - 1].stem}]({siblings[i - 1].name})")
        parts.append("[course map](../README.md)")
        if i + 1 < len(siblings):
            parts.append(f"[{siblings[i + 1].stem}]({siblings[i + 1].name}) →")
        parts.append(f"[solutions](solutions/{path.stem}_solutions.ipynb)")
        links = " · ".join(parts)
    setup = f"""# Setup. On Google Colab only, install what Colab lacks: seqeval and this course's helper
# package (without dependencies, so nothing Colab ships is upgraded). Elsewhere: nothing to do.
import subprocess
import sys

if "google.colab" in sys.modules:
    for what in (["seqeval>=1.2.2"], ["--no-deps", "git+https://github.com/{slug}.git"]):
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", *what], capture_output=True, text=True)
        if pip.returncode != 0:
            raise SystemExit(
                f"Could not install {{what[-1]}} (pip said: {{pip.stderr.strip()[-600:]}})\\n"
                "What to do: check that this runtime is connected to the internet and run the cell again. If the "
                "course's repository {slug} is not on GitHub (a copy published elsewhere), open the notebook "
                "from the copy's own 'Open in Colab' badge, or ask its author to run "
                "python tools/sync_notebooks.py --repository OWNER/NAME."
            )

import nercourse

print(nercourse.environment.summary())"""
    markdown = nbformat.v4.new_markdown_cell(f"{badge}  \n{links}")
    code = nbformat.v4.new_code_cell(setup)
    for cell in (markdown, code):
        cell.metadata["tags"] = [HEADER_TAG]
        cell.pop("id", None)
    return [markdown, code]


def embed_images(cell, problems: list[str], path: Path) -> None:
    names = IMAGE_LINK.findall(cell.source)
    if not names:
        cell.pop("attachments", None)
        return
    attachments = {}
    for name in names:
        image = IMAGES / name
        if not image.is_file():
            problems.append(f"{path.relative_to(ROOT)}: image img/{name} does not exist")
            continue
        attachments[name] = {"image/png": base64.b64encode(image.read_bytes()).decode()}
    cell.source = IMAGE_LINK.sub(lambda m: f"](attachment:{m.group(1)})", cell.source)
    cell.attachments = attachments


def synced(path: Path, slug: str, problems: list[str]):
    notebook = nbformat.read(path, as_version=4)
    body = [c for c in notebook.cells if HEADER_TAG not in c.metadata.get("tags", [])]
    for cell in body:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            embed_images(cell, problems, path)
    headers = header_cells(path, slug)
    # keep the header cells' ids stable, so a sync does not rewrite them every time
    old = [c for c in notebook.cells if HEADER_TAG in c.metadata.get("tags", [])]
    for new, previous in zip(headers, old):
        if "id" in previous:
            new["id"] = previous["id"]
    for i, cell in enumerate(headers):
        cell.setdefault("id", f"header-{i}")
    notebook.cells = headers + body
    assign_slide_types(notebook.cells)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report notebooks that are out of sync, change nothing")
    parser.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="publish the course under another GitHub repository: rewrite REPOSITORY in "
        "notebooks/nercourse/environment.py, then every Colab badge and install cell",
    )
    args = parser.parse_args()
    if args.repository:
        set_repository(args.repository)
    slug, problems, stale = repository(), [], []
    for path in notebook_paths():
        text = nbformat.writes(synced(path, slug, problems)) + "\n"
        if text != path.read_text(encoding="utf-8"):
            stale.append(str(path.relative_to(ROOT)))
            if not args.check:
                path.write_text(text, encoding="utf-8")
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check and stale:
        print("out of sync (run python tools/sync_notebooks.py):\n  " + "\n  ".join(stale), file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
