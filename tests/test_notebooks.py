"""Every notebook and every solution notebook runs top to bottom from a fresh kernel, in smoke
mode: the tiny BERT, the mini corpus, no network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")) + sorted(
    (ROOT / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb")
)


def smoke_environment(tiny_bert, mini_corpus, finetuned, tmp_path) -> dict:
    env = dict(os.environ)
    env.update(
        NERCOURSE_MODEL=tiny_bert,
        NERCOURSE_DATA_DIR=str(mini_corpus),
        NERCOURSE_PROFILE="smoke",
        NERCOURSE_FINETUNED=finetuned,
        NERCOURSE_OUTPUT_DIR=str(tmp_path / "outputs"),
        HF_HUB_OFFLINE="1",
        MPLBACKEND="Agg",
        PYTHONPATH=os.pathsep.join([str(ROOT / "notebooks"), env.get("PYTHONPATH", "")]),
        TQDM_DISABLE="1",
    )
    return env


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path, tiny_bert, mini_corpus, finetuned_tiny, tmp_path, monkeypatch):
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    # Notebooks that train write their model to a fresh folder, never over the shared one.
    trains = "03_" in path.name
    finetuned = str(tmp_path / "finetuned") if trains else finetuned_tiny
    for key, value in smoke_environment(tiny_bert, mini_corpus, finetuned, tmp_path).items():
        monkeypatch.setenv(key, value)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
