"""The instructor's kit (tools/instructor_kit.py, tools/slides.py, notebooks/INSTRUCTORS.md): clean copies
for live coding that follow their notebooks and run once the live cells are typed back, and slide decks
that render from every notebook."""

from __future__ import annotations

import ast
import functools
import itertools
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.newest_only  # clean copies and slide decks: one pass covers them

ROOT = Path(__file__).resolve().parent.parent
COURSE = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))


import instructor_kit as kit  # noqa: E402  (tools/, on pytest's pythonpath: pyproject.toml)
import slides  # noqa: E402


def code(source: str, cell_id: str, tags=()):
    cell = nbformat.v4.new_code_cell(source)
    cell["id"] = cell_id
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


_markdown_ids = itertools.count()


def markdown(source: str, tags=()):
    cell = nbformat.v4.new_markdown_cell(source)
    cell["id"] = f"markdown-{next(_markdown_ids)}"
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def write(path: Path, cells) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    path.write_text(nbformat.writes(notebook), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    kit.write_clean(out)
    return out


# --- which cells are live-coding cells: the rule on notebooks made for the test


def test_a_call_is_live_only_where_the_course_meets_it_first(tmp_path):
    long_cell = "import transformers\n" + "\n".join(
        f"x{i} = transformers.AutoConfig.for_model('bert')" for i in range(30)
    )
    first = write(
        tmp_path / "00_first.ipynb",
        [
            code("import nercourse\nPROFILE = nercourse.default_profile()", "settings", tags=["parameters"]),
            code("spans = nercourse.tag_spans(['B-PER'])", "first-call"),
            code("print(len(spans), sorted(spans))\n{'a': 1}.items()", "only-prints"),
            code("import numpy as np\nrows = np.zeros(3).tolist()", "numpy-plumbing"),
            code("def iob_inline(tags):\n    return list(tags)", "inline"),
            markdown("## Exercises"),
            code("answer = nercourse.tag_names([0])", "exercise"),
        ],
    )
    second = write(
        tmp_path / "01_second.ipynb",
        [
            code("import nercourse\nfrom transformers import pipeline", "imports"),
            code("again = nercourse.tag_spans(['O'])", "seen-before"),
            code("ner = pipeline('token-classification', model='m')", "new-here"),
            code(long_cell, "too-long"),
            code("nercourse.read_conll('x.txt')", "overridden"),
        ],
    )
    overrides = {"01_second": {"overridden": (False, "a reason")}}
    live = kit.live_cells([first, second], overrides=overrides)

    assert set(live["00_first"]) == {"first-call", "inline"}
    assert set(live["01_second"]) == {"new-here"}
    assert "nercourse.tag_spans" in live["00_first"]["first-call"].why
    comment = live["01_second"]["new-here"].comment
    assert "pipeline(" in comment and "model=" in comment and "Must define" not in comment
    assert all(line.startswith("#") for line in comment.splitlines())
    assert _must_define(live["00_first"]["first-call"].comment) == ["spans"]  # read by a later cell


def _comment_line(comment: str, start: str) -> str:
    """One line of a hole's comment, its wrapped continuation lines ("#   ...") joined back."""
    found, lines = [], comment.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(f"# {start}"):
            found.append(line[2:])
            found += [more[4:] for more in itertools.takewhile(lambda x: x.startswith("#   "), lines[index + 1 :])]
    return " ".join(found)


def _must_define(comment: str) -> list[str]:
    """The names a hole's comment says the cell must define, in order."""
    line = _comment_line(comment, "Must define")
    return line.split(": ", 1)[1].split(", ") if line else []


def test_a_hole_must_define_only_what_a_later_cell_reads_before_binding_it(tmp_path):
    live_cell = (
        "import nercourse\n"
        "total = 0\n"
        "for word in ['EU', 'rejects']:\n"
        "    total += len(word)\n"
        "tags = [tag for tag in nercourse.tag_names([0, 1])]\n"
        "count = 1\n"
        "i = 0\n"
        "label = 'O'"
    )
    path = write(
        tmp_path / "00_names.ipynb",
        [
            code(live_cell, "live"),
            # a function's parameters, locals and loop variables are its own, not the cell before's
            code("def show(words):\n    for word in words:\n        print(word, [i for i in range(3)])", "local"),
            code("for i, word in enumerate(tags):\n    print(i, word)", "rebinds-loop-variables"),
            code("count = count + 1", "reads-then-binds"),  # Python reads count first
            code("label = 'B-PER'\nprint(label)", "binds-then-reads"),
            code("print(total, show, tag)", "reads"),
        ],
    )
    live = kit.live_cells([path], overrides={})
    assert _must_define(live["00_names"]["live"].comment) == ["total", "tags", "count"]


def test_a_hole_keeps_the_examples_data_and_asks_only_for_the_code(tmp_path):
    live_cell = (
        "import nercourse\n"
        'words = ["Angela", "Merkel", "visited", "Wolfsburg", "."]\n'
        "word_tags = ['B-PER', 'I-PER', 'O', 'B-LOC', 'O']\n"
        "total = 0\n"
        "spans = nercourse.tag_spans(word_tags)\n"
        "total = len(spans)"
    )
    path = write(
        tmp_path / "00_given.ipynb", [code(live_cell, "live"), code("print(words, word_tags, spans, total)", "reads")]
    )
    comment = kit.live_cells([path], overrides={})["00_given"]["live"].comment
    given = comment.split("# Given (the example's data, typed for you):\n", 1)[1].splitlines()
    assert given == [
        'words = ["Angela", "Merkel", "visited", "Wolfsburg", "."]',
        "word_tags = ['B-PER', 'I-PER', 'O', 'B-LOC', 'O']",
    ]
    assert _must_define(comment) == ["total", "spans"]  # a counter's start is code to write, not data
    namespace = {}
    exec(comment, namespace)  # the hole runs as it stands: the data is there, nothing else
    assert namespace["word_tags"][3] == "B-LOC" and "spans" not in namespace


def test_a_hole_gives_the_signatures_of_the_helpers_and_new_calls_it_makes(tmp_path):
    path = write(
        tmp_path / "00_signatures.ipynb",
        [
            code("import nercourse\nfrom transformers import AutoConfig\nnercourse.quiet()", "setup"),
            code("spans = nercourse.tag_spans(['B-PER'])", "first"),
            code(
                "nercourse.quiet()\n"
                "again = nercourse.tag_spans(['O'])\n"  # met before: still a course helper of this hole
                "config = AutoConfig.for_model('bert', num_labels=3)\n"
                "ids = config.to_diff_dict()\n"
                "names = nercourse.tag_names([0])",
                "hole",
            ),
        ],
    )
    comment = kit.live_cells([path], overrides={})["00_signatures"]["hole"].comment
    calls = _comment_line(comment, "Calls")
    assert "nercourse.tag_spans(tags)" in calls and "nercourse.tag_names(tag_ids, label_names=" in calls
    assert "AutoConfig.for_model(model_type, *args, **kwargs) [new]" in calls  # from inspect.signature
    assert "config.to_diff_dict() [new]" in calls  # not importable: the call's shape
    assert "nercourse.quiet" not in calls
    assert _comment_line(comment, "Also silences") == "Also silences library noise with nercourse.quiet()."
    assert _must_define(comment) == []


def test_a_long_signature_keeps_the_parameters_the_call_fills_by_position(tmp_path):
    path = write(
        tmp_path / "04_positional.ipynb",
        [
            code("import nercourse", "setup"),
            code("found = nercourse.resolve_finetuned(None, if_missing='train', profile='smoke')", "hole"),
        ],
    )
    comment = kit.live_cells([path], overrides={})["04_positional"]["hole"].comment
    calls = _comment_line(comment, "Calls")
    # the first argument (the FINETUNED setting) is passed by position: a learner must see it
    assert "nercourse.resolve_finetuned(setting=None, if_missing=None, profile=None, ...) [new]" in calls


def test_optional_cells_are_no_holes_and_lend_no_names(tmp_path):
    path = write(
        tmp_path / "00_optional.ipynb",
        [
            code("import nercourse", "imports"),
            markdown("## 7 · Deeper (optional)", tags=["optional"]),
            code("deep = nercourse.tag_spans(['B-PER'])", "optional-call", tags=["optional"]),
            markdown("## 8 · Core again"),
            code("spans = nercourse.tag_spans(['O'])\nprint(deep)", "core-call"),
        ],
    )
    live = kit.live_cells([path], overrides={})["00_optional"]
    assert list(live) == ["core-call"]  # new on the core path, though an optional cell called it before


def test_an_override_must_name_a_cell_that_exists(tmp_path):
    path = write(tmp_path / "00_only.ipynb", [code("nercourse.tag_spans([])", "a")])
    with pytest.raises(SystemExit, match="not there"):
        kit.live_cells([path], overrides={"00_only": {"gone": (False, "renamed cell")}})


def test_the_overrides_name_cells_of_the_course():
    live = kit.live_cells()  # raises if an override names a cell that is no longer there
    for stem, cells in kit.OVERRIDES.items():
        for cell_id, (is_live, _) in cells.items():
            assert (cell_id in live[stem]) == is_live


def test_the_rule_finds_the_cells_the_course_is_about():
    live = kit.live_cells()
    by_name = {path.stem: nbformat.read(path, as_version=4) for path in COURSE}

    def cell_with(stem: str, text: str):
        return next(c for c in by_name[stem].cells if c.cell_type == "code" and text in c.source)

    assert cell_with("02_wordpiece_alignment", "is_split_into_words=True)")["id"] in live["02_wordpiece_alignment"]
    assert cell_with("02_wordpiece_alignment", "def align_labels_inline")["id"] in live["02_wordpiece_alignment"]
    assert cell_with("03_fine_tuning", "trainer.train()")["id"] in live["03_fine_tuning"]
    assert cell_with("00_welcome", 'pipeline("token-classification"')["id"] in live["00_welcome"]  # its first call
    assert cell_with("05_inference", "def word_tags_by_hand")["id"] in live["05_inference"]
    assert cell_with("06_long_texts", "sentence_windows(tagger")["id"] in live["06_long_texts"]
    for stem, notebook in by_name.items():
        in_exercises = False
        for cell in notebook.cells:
            in_exercises = in_exercises or kit.is_exercises_heading(cell)
            tags = cell.metadata.get("tags", [])
            if in_exercises or "parameters" in tags or "nercourse-header" in tags:
                assert cell.get("id") not in live[stem], (stem, cell.source[:80])


# --- clean copies


def test_clean_copies_are_generated_the_same_every_time(clean_dir, tmp_path):
    again = tmp_path / "again"
    kit.write_clean(again)
    names = sorted(p.name for p in clean_dir.iterdir())
    assert names == [p.name for p in COURSE]
    for name in names:
        assert (again / name).read_bytes() == (clean_dir / name).read_bytes(), name


def test_a_clean_copy_keeps_every_core_code_cell_and_empties_only_the_live_ones(clean_dir):
    for path in COURSE:
        source = nbformat.read(path, as_version=4)
        clean = nbformat.read(clean_dir / path.name, as_version=4)
        clean_code = {c["id"]: c for c in clean.cells if c.cell_type == "code"}
        source_code = [
            c for c in source.cells if c.cell_type == "code" and "optional" not in c.metadata.get("tags", [])
        ]
        assert list(clean_code) == [c["id"] for c in source_code], path.name
        live = [c for c in clean_code.values() if kit.LIVE_TAG in c.metadata.get("tags", [])]
        assert live or path.name.startswith("07"), f"{path.name}: no live-coding cell"
        for cell in live:
            comment, _, given = cell.source.partition("# Given (the example's data, typed for you):\n")
            assert cell.source.startswith("# LIVE CODING") and all(
                line.startswith("#") for line in comment.splitlines()
            )
            assert "\n".join(kit.given_lines(given, ast.parse(given))[0]) == given, cell.source  # data only
        filled = kit.fill_back(clean, source)
        filled_code = [c.source for c in filled.cells if c.cell_type == "code"]
        assert filled_code == [c.source for c in source_code], f"{path.name}: typing the live cells back differs"


def test_a_clean_copy_keeps_the_core_markdown_whole_and_drops_optional_cells(tmp_path):
    figure = "![the figure](attachment:00_pipeline.png)"
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    prompt = "Tag the sentence. The helper's signature: `nercourse.tag_spans(tags)`. It returns (type, start, end)."
    cells = [
        markdown(f"## 1 · Core\n\n{prompt}\n\n{figure}\n\n{table}"),
        code("import nercourse\nspans = nercourse.tag_spans(['B-PER'])", "core"),
        markdown("## 2 · Deeper (optional)\n\nMore.", tags=["optional"]),
        code("print(spans)", "optional-code", tags=["optional"]),
        markdown("## Exercises"),
    ]
    cells[0]["attachments"] = {"00_pipeline.png": {"image/png": "iVBORw0KGgo="}}
    path = write(tmp_path / "00_whole.ipynb", cells)
    clean = kit.clean_notebook(path, kit.live_cells([path], overrides={})["00_whole"])
    assert [c.get("id") for c in clean.cells] == [kit.NOTE_ID, cells[0]["id"], "core", cells[4]["id"]]
    assert clean.cells[1].source == cells[0].source and clean.cells[1]["attachments"] == cells[0]["attachments"]


def test_the_clean_copies_of_the_course_keep_its_core_markdown(clean_dir):
    for path in COURSE:
        source = nbformat.read(path, as_version=4)
        clean = nbformat.read(clean_dir / path.name, as_version=4)
        core = [c for c in source.cells if "optional" not in c.metadata.get("tags", [])]
        kept_cells = [c for c in clean.cells if c.get("id") != kit.NOTE_ID]
        assert [c.get("id") for c in kept_cells] == [c.get("id") for c in core], path.name
        for kept, original in zip(kept_cells, core):
            if original.cell_type == "markdown":
                assert kept == original, (path.name, original.source[:80])


def _nercourse_helpers(source: str) -> set[str]:
    """``nercourse.X`` (or ``nercourse.plots.Y``) for every function or class of the package that a cell calls."""
    import nercourse

    found = set()
    for node in ast.walk(ast.parse(source)):
        name = ast.unparse(node.func) if isinstance(node, ast.Call) else ""
        if not name.startswith("nercourse."):
            continue
        target = nercourse
        for part in name.split(".")[1:]:
            target = getattr(target, part, None)
        if (getattr(target, "__module__", None) or "").startswith("nercourse"):
            found.add(name)
    return found


def test_every_hole_names_the_course_helpers_it_calls():
    for stem, cells in kit.live_cells().items():
        notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        by_id = {cell.get("id"): cell for cell in notebook.cells}
        for cell_id, live in cells.items():
            comment = " ".join(line.removeprefix("#").strip() for line in live.comment.splitlines())
            for helper in _nercourse_helpers(by_id[cell_id].source):
                assert f"{helper}(" in comment, (stem, cell_id, helper, live.comment)


def test_answers_arrive_blank_even_from_a_solved_notebook(tmp_path):
    assert kit.blank_answers("answer = [1, 2]\nprint(answer)") == "answer = ...  # your answer\nprint(answer)"
    assert kit.blank_answers("answer = ...  # a list") == "answer = ...  # a list"
    for path in SOLUTIONS:  # the worked solutions, answers filled in
        solved = nbformat.read(path, as_version=4)
        answered = [
            c for c in solved.cells if c.cell_type == "code" and re.search(r"^answer = (?!\.\.\.)", c.source, re.M)
        ]
        assert answered, f"{path.name}: expected answered exercises to blank"
        clean = kit.clean_notebook(path, {})
        for cell in clean.cells:
            if cell.cell_type != "code":
                continue
            for statement in ast.parse(cell.source).body:
                if isinstance(statement, ast.Assign) and getattr(statement.targets[0], "id", None) == "answer":
                    assert isinstance(statement.value, ast.Constant) and statement.value.value is Ellipsis, path.name


@functools.cache
def course_live_cells():
    """The live cells of the whole course, found once per test process (the rule reads every notebook)."""
    return kit.live_cells()


@pytest.mark.slow
@pytest.mark.parametrize("path", COURSE, ids=[path.stem[:2] for path in COURSE])
def test_a_clean_copy_runs_once_its_holes_are_filled(path, tiny_bert, finetuned_tiny, mini_corpus, tmp_path):
    """The core path runs on its own: the clean copy (no optional cell) with every hole typed back in.
    04-08 are handed the fine-tuned tiny model, as in a class that prepared one (that they find or train
    one on their own is tests/test_notebooks.py's to show)."""
    import run_notebooks

    live = course_live_cells()[path.stem]
    clean = kit.clean_notebook(path, live)
    filled = kit.fill_back(clean, nbformat.read(path, as_version=4))
    typed = tmp_path / path.name
    typed.write_text(nbformat.writes(filled), encoding="utf-8")
    env = run_notebooks.notebook_environment(
        model=tiny_bert,
        data_dir=mini_corpus,
        profile="smoke",
        output_dir=tmp_path / "outputs",
        finetuned=finetuned_tiny if path.name[:2] >= "04" else None,  # 03 would save into it: not handed
    )
    record = run_notebooks.run_notebook(typed, env, tmp_path / "class", timeout=600)
    assert record["status"] == "ok", f"{path.name}, filled clean copy, cell {record['failed_cell']}:\n{record['error']}"


# --- slides


def test_slide_rules():
    cells = [
        markdown("[badge](x)", tags=["nercourse-header"]),
        code("import sys", "setup", tags=["nercourse-header"]),
        markdown("# 00 · Title\n\nWhat this is."),
        code("PROFILE = 1", "p"),
        markdown("Prose before a section.\n\n## 1. A section\n\nText."),
        code("x = 1", "a"),
        markdown("### A subsection"),
        code("\n".join(f"y{i} = {i}" for i in range(slides.LINES_PER_SLIDE + 1)), "long"),
        code("figure = nercourse.plots.plot_training_curves(history)", "plot"),
        code("table", "bare-expression"),
        code("z = 2\n" * (slides.LINES_PER_SLIDE - 2), "fills"),
        code("w = 3\nv = 4", "overflows"),
        markdown("## 9 · Deeper (optional)", tags=["optional"]),  # optional cells stay off the deck
        code("table", "optional-table", tags=["optional"]),
        markdown("## Exercises\n\n### Exercise 1"),
        code("answer = ...", "answer"),
        code("nercourse.check(answer, 3)", "check"),
        code("def expected_answer_2():\n    return 2", "helper"),
    ]
    assert slides.slide_types(cells) == [
        "skip",
        "skip",
        "slide",
        "fragment",
        "slide",
        "fragment",
        "subslide",
        "subslide",
        "subslide",
        "subslide",
        "fragment",
        "subslide",
        "skip",
        "skip",
        "slide",
        "fragment",
        "skip",
        "skip",
    ]


def test_the_notebooks_carry_the_slide_metadata_of_the_rules():
    for path in COURSE + SOLUTIONS:
        notebook = nbformat.read(path, as_version=4)
        written = [c.metadata.get("slideshow", {}).get("slide_type") for c in notebook.cells]
        assert written == slides.slide_types(notebook.cells), f"{path.name}: run python tools/sync_notebooks.py"


class _Sections(HTMLParser):
    """Counts reveal.js slides (top-level sections) and sub-slides (sections inside them)."""

    def __init__(self):
        super().__init__()
        self.depth = self.slides = self.subslides = self.fragments = 0

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.slides += self.depth == 0
            self.subslides += self.depth == 1
            self.depth += 1
        if "fragment" in (dict(attrs).get("class") or "").split():
            self.fragments += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1


@pytest.mark.slow
def test_every_notebook_renders_as_a_deck(tmp_path):
    decks = kit.render_slides(tmp_path)
    for path, deck in zip(COURSE, decks, strict=True):
        sections = _Sections()
        sections.feed(deck.read_text(encoding="utf-8"))
        notebook = nbformat.read(path, as_version=4)
        headed = sum(
            c.cell_type == "markdown"
            and "optional" not in c.metadata.get("tags", [])
            and bool(re.search(r"^#{1,2} ", c.source, re.M))
            for c in notebook.cells
        )
        assert sections.slides == headed >= 5, (path.name, sections.slides, headed)
        assert sections.subslides > sections.slides, path.name
        assert sections.fragments > 0, path.name
        assert "reveal.js" in deck.read_text(encoding="utf-8")


def test_the_teaching_plan_names_its_hardware_for_every_time():
    plan = (ROOT / "notebooks" / "INSTRUCTORS.md").read_text(encoding="utf-8")
    assert "python tools/instructor_kit.py clean" in plan and "python tools/instructor_kit.py slides" in plan
    assert "python -m nercourse train --output-dir models/bert-ner" in plan
    assert "NERCOURSE_FINETUNED" in plan
    # A run time names its hardware (or says it is not measured); a class time says it is a suggestion: in
    # the same paragraph or list item, or, in a table, in the row or the table's header row.
    blocks, header = [], ""
    for line in plan.splitlines():
        if line.startswith("|"):
            header = header or line
            blocks.append(line + " " + header)
            continue
        header = ""
        if not line.strip() or line.startswith(("#", "- ", "1. ", "2. ", "3. ", "4. ")) or not blocks:
            blocks.append("")
        blocks[-1] += " " + line
    time = re.compile(r"\b\d+(\.\d+)?\s*(s|min)\b|\b\d:\d\d\b")
    for block in blocks:
        if time.search(block):
            assert re.search(r"2-core|suggested|not measured", block, re.I), f"a time without its source: {block!r}"
