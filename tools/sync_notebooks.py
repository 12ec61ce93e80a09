"""Keep every notebook's generated parts in sync; ``--check`` only reports (the tests use it).

For each notebook in notebooks/ and notebooks/solutions/ it
1. writes the two header cells: an "Open in Colab" badge with previous/next links and a three-line Colab
   checklist (runtime type, the setup cell, where the notebook's model comes from: :data:`MODEL_SOURCE`),
   and the setup cell that, on Colab only, installs seqeval and the helper package at the published ref
   (without dependencies, so nothing Colab ships is upgraded), then prints versions and the GPU;
2. embeds every image a markdown cell references as ``../img/NAME.png`` (or already as
   ``attachment:NAME.png``) as a cell attachment, from img/, so that it renders on GitHub, in
   Jupyter and on Colab, where the img/ folder is not next to the notebook;
3. removes outputs and execution counts;
4. sets each cell's slide metadata by the rules of tools/slides.py (``jupyter nbconvert --to slides``);
and points README.md's Colab badges at the same repository and ref.

Where the course is published lives in tools/publish.json alone: the GitHub repository (``OWNER/NAME``)
and the ref that Colab opens and installs, a tag or a commit, never a branch head (a branch moves under
the learners). Without a ref there, the ref is the tag of the package's version, ``v`` + pyproject.toml's
version. ``--repository`` and ``--ref`` write that file, then sync.

usage: python tools/sync_notebooks.py [--check] [--repository OWNER/NAME] [--ref TAG_OR_COMMIT]
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
from pathlib import Path

import nbformat
from slides import assign_slide_types  # tools/slides.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
IMAGES = ROOT / "img"
README = ROOT / "README.md"
PUBLISH = Path(__file__).resolve().parent / "publish.json"
HEADER_TAG = "nercourse-header"
IMAGE_LINK = re.compile(r"\]\((?:\.\./)*(?:img/|attachment:)([A-Za-z0-9_.-]+\.png)\)")
COLAB_LINK = re.compile(r"https://colab\.research\.google\.com/github/[^/\s)]+/[^/\s)]+/blob/[^/\s)]+/")
SLUG = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
BRANCH_HEADS = ("main", "master", "HEAD")

_THEIRS = "the one you trained in 03 (`models/bert-ner`, or your Google Drive with `MOUNT_DRIVE = True`), else a public model (with a banner) or a quick training run"
MODEL_SOURCE = {
    "00": "a public CoNLL-2003 model from the Hugging Face Hub; without the Hub, the course's small offline model",
    "01": "none (data only)",
    "02": "only the tokenizer of `NERCOURSE_MODEL` (`bert-base-cased`)",
    "03": "this notebook fine-tunes `bert-base-cased` and saves it to `models/bert-ner` (and to Drive with `SAVE_TO_DRIVE = True`)",
    "04": _THEIRS,
    "05": _THEIRS,
    "06": _THEIRS,
    "07": _THEIRS,
    "08": _THEIRS + "; it also trains models when asked (`TRAIN_BOTH`)",
}
"""Where each notebook gets its model, as its Colab checklist says it (notebook number -> Markdown)."""


def package_version() -> str:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version = "([^"]+)"$', pyproject, re.M)
    if not match:
        raise SystemExit('pyproject.toml: no version = "..." line in [project]')
    return match.group(1)


def check_slug(slug: str) -> str:
    if not SLUG.fullmatch(slug):
        raise SystemExit(f"--repository {slug!r}: expected OWNER/NAME as on GitHub")
    return slug


def check_ref(ref: str) -> str:
    """A tag (``v1.1.0``) or a commit (7 to 40 hex digits); never a branch head, which moves under the learners."""
    if ref in BRANCH_HEADS or not REF.fullmatch(ref) or ".." in ref or ref.endswith((".", ".lock")):
        raise SystemExit(
            f"--ref {ref!r}: expected a tag or a commit (e.g. v{package_version()} or 3f2a9c1); a branch head such "
            f"as {', '.join(BRANCH_HEADS)} moves under the learners, so the course installs a fixed ref"
        )
    return ref


def published() -> tuple[str, str]:
    """(repository, ref) from tools/publish.json; the ref defaults to the tag of the package's version."""
    settings = json.loads(PUBLISH.read_text(encoding="utf-8"))
    return check_slug(settings["repository"]), check_ref(settings.get("ref") or f"v{package_version()}")


def publish(repository: str | None, ref: str | None) -> None:
    """Write tools/publish.json with the given repository and/or ref (the other stays as it is)."""
    settings = json.loads(PUBLISH.read_text(encoding="utf-8"))
    if repository is not None:
        settings["repository"] = check_slug(repository)
    if ref is not None:
        settings["ref"] = check_ref(ref)
    PUBLISH.write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) + sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*.ipynb"))


def colab_checklist(path: Path) -> str:
    """Three lines for a Colab user (the runtime, the setup cell, the model); a solution notebook's is short."""
    gpu = "Runtime → Change runtime type → T4 GPU"
    if path.parent.name == "solutions":
        main = path.name.replace("_solutions", "")
        return f"**On Colab:** {gpu}; run the setup cell below first. Model: as in [{main}](../{main})."
    return (
        f"**On Colab:**\n1. Runtime type: a GPU, via {gpu}.\n2. Run the setup cell below first.\n"
        f"3. Model: {MODEL_SOURCE[path.name[:2]]}."
    )


def header_cells(path: Path, slug: str, ref: str) -> list:
    relative = path.relative_to(ROOT).as_posix()
    badge = (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        f"(https://colab.research.google.com/github/{slug}/blob/{ref}/{relative})"
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
# package at a fixed version (without dependencies, so nothing Colab ships is upgraded). Elsewhere: nothing to do.
import subprocess
import sys

if "google.colab" in sys.modules:
    for what in (["seqeval>=1.2.2"], ["--no-deps", "git+https://github.com/{slug}.git@{ref}"]):
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", *what], capture_output=True, text=True)
        if pip.returncode != 0:
            raise SystemExit(
                f"Could not install {{what[-1]}} (pip said: {{pip.stderr.strip()[-600:]}})\\n"
                "What to do: check that this runtime is connected to the internet and run the cell again. If the "
                "course's repository {slug} has no tag or commit {ref}, or is not on GitHub (a copy published "
                "elsewhere), open the notebook from the copy's own 'Open in Colab' badge, or ask its author to run "
                "python tools/sync_notebooks.py --repository OWNER/NAME --ref TAG."
            )

import nercourse

print(nercourse.environment.summary())"""
    markdown = nbformat.v4.new_markdown_cell(f"{badge}  \n{links}\n\n{colab_checklist(path)}")
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


def synced(path: Path, slug: str, ref: str, problems: list[str]):
    notebook = nbformat.read(path, as_version=4)
    body = [c for c in notebook.cells if HEADER_TAG not in c.metadata.get("tags", [])]
    for cell in body:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            embed_images(cell, problems, path)
    headers = header_cells(path, slug, ref)
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


def synced_readme(slug: str, ref: str) -> str:
    """README.md with its Colab badges opening the published repository at the published ref."""
    return COLAB_LINK.sub(f"https://colab.research.google.com/github/{slug}/blob/{ref}/", README.read_text("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report notebooks that are out of sync, change nothing")
    parser.add_argument(
        "--repository",
        metavar="OWNER/NAME",
        help="publish the course under another GitHub repository: write it to tools/publish.json, then every "
        "Colab badge and install cell",
    )
    parser.add_argument(
        "--ref",
        metavar="TAG_OR_COMMIT",
        help="the tag or commit (7-40 hex digits) that Colab opens and installs; never a branch such as main "
        "(default: what tools/publish.json says, else v + the version in pyproject.toml)",
    )
    args = parser.parse_args()
    if args.repository is not None or args.ref is not None:
        publish(args.repository, args.ref)
    (slug, ref), problems, stale = published(), [], []
    outputs = [(path, nbformat.writes(synced(path, slug, ref, problems)) + "\n") for path in notebook_paths()]
    outputs.append((README, synced_readme(slug, ref)))
    for path, text in outputs:
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
