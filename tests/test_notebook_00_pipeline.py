"""Notebook 00 opens with the library's ``pipeline``: its cells tagged ``welcome-pipeline`` run on the
course's offline model (``nercourse.welcome_model``, as in CI: no Hub) and tag the sentence a learner
edits, with entities whose character offsets index that sentence."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest
from helpers import tagged_cells

import nercourse

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "00_welcome.ipynb"
TAG = "welcome-pipeline"
KEYS = {"entity_group", "word", "start", "end", "score"}
SENTENCE = re.compile(r'^sentence = "([^"]*)"', re.M)
EDITED = "Beatriz Popescu flew from Poland to Melbourne for talks with the World Food Programme ."
"""A learner's edit, with names of the mini corpus's training split: the offline model has seen them."""


def pipeline_cells() -> list[str]:
    return [cell.source for cell in tagged_cells(NOTEBOOK.name, TAG, count=2)]  # the pipeline, the sentence


def test_the_pipeline_is_the_first_code_cell_after_the_settings():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code" and "nercourse-header" not in c.metadata.get("tags", [])]
    assert "parameters" in code[0].metadata.get("tags", []) and "nercourse.welcome_model(" in code[0].source
    assert TAG in code[1].metadata.get("tags", []) and 'pipeline("token-classification"' in code[1].source
    assert "aggregation_strategy=" in code[1].source and "model=WELCOME_MODEL" in code[1].source
    assert "try" not in code[1].source and "hub" not in code[1].source.lower()  # the fallback lives in the package


def run(cells: list[str], sentence: str | None = None) -> dict:
    namespace = {"nercourse": nercourse, "WELCOME_MODEL": nercourse.welcome_model("smoke")}
    sources = list(cells)
    if sentence is not None:
        sources[1], count = SENTENCE.subn(f'sentence = "{sentence}"', sources[1])
        assert count == 1, 'the sentence a learner edits must be one line: sentence = "..."'
    with contextlib.redirect_stdout(io.StringIO()):
        for i, source in enumerate(sources):
            exec(compile(source, f"{NOTEBOOK.name}[{TAG} {i}]", "exec"), namespace)
    return namespace


def assert_tagged(namespace: dict) -> list[dict]:
    sentence, entities = namespace["sentence"], namespace["entities"]
    assert isinstance(entities, list)
    for entity in entities:
        assert isinstance(entity, dict) and KEYS <= set(entity), entity
        assert entity["entity_group"] in nercourse.ENTITY_TYPES, entity
        assert 0 <= entity["start"] < entity["end"] <= len(sentence), entity
        assert sentence[entity["start"] : entity["end"]] == entity["word"], (sentence, entity)
        assert 0.0 <= float(entity["score"]) <= 1.0
    return entities


@pytest.mark.slow
def test_the_pipeline_cells_tag_the_notebooks_sentence_offline():
    namespace = run(pipeline_cells())
    assert namespace["sentence"] == SENTENCE.search(pipeline_cells()[1]).group(1)
    assert_tagged(namespace)


@pytest.mark.slow
def test_an_edited_sentence_is_tagged_and_its_entities_found():
    entities = assert_tagged(run(pipeline_cells(), EDITED))
    assert entities, "the offline model, trained on the mini corpus, finds no entity in a sentence of its names"
    assert {"PER", "LOC"} & {entity["entity_group"] for entity in entities}


def test_offline_the_welcome_model_is_the_local_tiny_model(capsys):
    """The tests run with HF_HUB_OFFLINE=1 (conftest): no Hub, so the local model, whatever the profile."""
    for profile in ("smoke", "lite"):
        folder = nercourse.welcome_model(profile)
        assert (Path(folder) / "config.json").is_file()
        printed = capsys.readouterr().out
        assert nercourse.finetuned.PUBLIC_MODEL in printed and "tiny" in printed
    assert nercourse.welcome_model("smoke") == folder  # built once, then cached


def test_with_the_hub_reachable_the_welcome_model_is_the_public_checkpoint(monkeypatch, capsys):
    monkeypatch.setattr("nercourse.finetuned.hub_unreachable_reason", lambda timeout=3.0: None)
    assert nercourse.welcome_model("lite") == nercourse.finetuned.PUBLIC_MODEL
    assert "from the Hugging Face Hub" in capsys.readouterr().out
    assert nercourse.welcome_model("smoke") != nercourse.finetuned.PUBLIC_MODEL  # smoke stays offline


@pytest.mark.slow
def test_the_tiny_ner_model_is_the_same_every_time(tmp_path):
    first = Path(nercourse.tiny.tiny_ner_model())  # the copy the notebook uses, built once per machine
    second = Path(nercourse.tiny.tiny_ner_model(tmp_path / "again"))
    for name in ("model.safetensors", "tokenizer.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
