"""Every notebook and every solution notebook runs top to bottom from a fresh kernel, in smoke
mode: the tiny BERT, the mini corpus, no network. Each runs in a new, empty working directory, as on
a fresh Colab runtime: notebooks 04-08 are handed no fine-tuned model and must find or train one
themselves. The execution is tools/run_notebooks.py's, the same code that times the whole course."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import run_notebooks  # tools/, on pytest's pythonpath (pyproject.toml)

ROOT = Path(__file__).resolve().parent.parent


NOTEBOOKS = run_notebooks.notebook_paths()
STAND_ALONE = ("04", "05", "06", "07", "08")  # they need a fine-tuned model and are given none
NO_MODEL_NEEDED = ("08_document_context_solutions.ipynb",)  # its exercises use the data and a tokenizer only
# The course notebooks run in both CI passes; their solutions (the same code paths, the exercises
# filled in) in the newest pass only.
CASES = [
    pytest.param(path, id=path.name, marks=[pytest.mark.newest_only] if path.parent.name == "solutions" else [])
    for path in NOTEBOOKS
]


@pytest.mark.slow
@pytest.mark.parametrize("path", CASES)
def test_notebook_runs_top_to_bottom(path, tiny_bert, mini_corpus, tmp_path):
    env = run_notebooks.notebook_environment(
        model=tiny_bert, data_dir=mini_corpus, profile="smoke", output_dir=tmp_path / "outputs"
    )
    assert "NERCOURSE_FINETUNED" not in env
    workdir = tmp_path / "runtime"
    record = run_notebooks.run_notebook(path, env, workdir, timeout=600)

    assert record["status"] == "ok", f"{record['notebook']} failed in cell {record['failed_cell']}:\n{record['error']}"
    if path.name == "03_fine_tuning.ipynb":  # saved where 04-08 look first when run on the same runtime
        from nercourse.finetuned import NOTEBOOK_DIR

        assert (workdir / NOTEBOOK_DIR / "config.json").is_file()
    if path.name[:2] in STAND_ALONE and path.name not in NO_MODEL_NEEDED:
        assert record["figures"].get("model_source") == "trained now", record["figures"]
    if path.parent.name == "notebooks":  # the figures the course report shows must still be there
        missing = [name for name in run_notebooks.KEY_FIGURES.get(path.name[:2], {}) if record["figures"][name] is None]
        assert not missing, (
            f"{path.name} no longer computes {missing} under the names tools/run_notebooks.py reads "
            f"(KEY_FIGURES): {record['notes']}"
        )


@pytest.mark.newest_only  # tools/run_notebooks.py itself
@pytest.mark.slow
def test_run_notebook_reports_the_failing_cell_and_never_writes_the_notebook(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# a notebook with a mistake"),
        nbformat.v4.new_code_cell("PROFILE = 'smoke'\nopen('written-here.txt', 'w').close()"),
        nbformat.v4.new_code_cell("1 / 0"),
        nbformat.v4.new_code_cell("print('never reached')"),
    ]
    path = tmp_path / "03_broken.ipynb"
    nbformat.write(notebook, path)
    before = path.read_bytes()
    workdir = tmp_path / "fresh"

    record = run_notebooks.run_notebook(
        path, run_notebooks.notebook_environment(model=None, data_dir=None, profile=None), workdir, timeout=60
    )

    assert record["status"] == "error" and record["failed_cell"] == 2
    assert "ZeroDivisionError" in record["error"] and "\x1b[" not in record["error"]
    # the probe still ran in the same kernel after the failure: it read PROFILE, and 03's figures are absent
    assert record["figures"]["profile"] == "smoke"
    assert record["figures"]["train_seconds"] is None and any("train_seconds" in note for note in record["notes"])
    assert record["peak_gpu_memory_mib"] is None or record["peak_gpu_memory_mib"] >= 0
    assert path.read_bytes() == before
    assert [p.name for p in workdir.iterdir()] == ["written-here.txt"]  # the kernel's working directory


@pytest.mark.newest_only  # tools/run_notebooks.py itself
@pytest.mark.slow
def test_run_notebook_stops_a_cell_at_the_timeout(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("import time\ntime.sleep(120)")]
    path = tmp_path / "05_slow.ipynb"
    nbformat.write(notebook, path)
    env = run_notebooks.notebook_environment(model=None, data_dir=None, profile=None)

    record = run_notebooks.run_notebook(path, env, tmp_path / "fresh", timeout=3)

    assert record["status"] == "error" and record["failed_cell"] == 1 and "--timeout" in record["error"]
    assert record["seconds"] < 60  # the sleeping kernel was stopped, not waited for


@pytest.mark.newest_only  # tools/run_notebooks.py itself
def test_help_says_how_to_run_it():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_notebooks.py"), "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    for flag in ("--mode", "--model", "--data-dir", "--profile", "--only", "--no-solutions", "--json", "--installed"):
        assert flag in result.stdout


@pytest.mark.newest_only  # tools/run_notebooks.py itself
def test_bad_command_lines_are_refused_with_a_reason():
    tool = [sys.executable, str(ROOT / "tools" / "run_notebooks.py")]
    for arguments, reason in (
        (["--mode", "real"], "needs --model"),
        (["--mode", "real", "--model", "some-folder"], "needs --data-dir"),
        (["--only", "99"], "no notebook matches"),
        (["--only", "zero"], "notebook numbers"),
    ):
        result = subprocess.run([*tool, *arguments], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and reason in result.stderr, (arguments, result.stderr)


@pytest.mark.newest_only  # tools/run_notebooks.py itself
def test_notebook_selection_and_environment():
    names = [run_notebooks.display_name(p) for p in run_notebooks.notebook_paths(["0", "04"])]
    assert names == [
        "00_welcome.ipynb",
        "04_evaluation.ipynb",
        "solutions/00_welcome_solutions.ipynb",
        "solutions/04_evaluation_solutions.ipynb",
    ]
    assert all(p.parent.name == "notebooks" for p in run_notebooks.notebook_paths(solutions=False))

    inherited = {"NERCOURSE_FINETUNED": "/somewhere/else", "NERCOURSE_OUTPUT_DIR": "/old", "PYTHONPATH": "/extra"}
    env = run_notebooks.notebook_environment(model="m", data_dir=Path("d"), profile="lite", base=inherited)
    assert "NERCOURSE_FINETUNED" not in env and "NERCOURSE_OUTPUT_DIR" not in env  # not inherited by accident
    assert (env["NERCOURSE_MODEL"], env["NERCOURSE_DATA_DIR"], env["NERCOURSE_PROFILE"]) == ("m", "d", "lite")
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(ROOT / "notebooks") and env["PYTHONPATH"].endswith("/extra")
    assert env["HF_HUB_OFFLINE"] == "1" and env["NERCOURSE_IF_NO_MODEL"] == "train"
    installed = run_notebooks.notebook_environment(
        model="m", data_dir=None, profile="full", finetuned="ft", installed=True, base=inherited
    )
    assert installed["PYTHONPATH"] == "/extra" and installed["NERCOURSE_FINETUNED"] == "ft"
    assert "NERCOURSE_DATA_DIR" not in installed


@pytest.mark.newest_only  # tools/run_notebooks.py itself
def test_report_table_and_json(tmp_path):
    records = [
        {
            "notebook": "03_fine_tuning.ipynb",
            "status": "ok",
            "seconds": 75.0,
            "error": None,
            "failed_cell": None,
            "peak_gpu_memory_mib": 1536.0,
            "figures": {
                "train_seconds": 61.25,
                "train_samples_per_second": 230.0,
                "dev_f1": 0.91234,
                "profile": "full",
            },
            "notes": [],
        },
        {
            "notebook": "solutions/05_inference_solutions.ipynb",
            "status": "error",
            "seconds": 4.5,
            "error": "ValueError: a | b",
            "failed_cell": 7,
            "peak_gpu_memory_mib": None,
            "figures": {"sentences_per_second": None, "model_source": "trained now"},
            "notes": ["sentences_per_second: not computed by this notebook"],
        },
    ]
    table = run_notebooks.markdown_table(records).splitlines()
    assert len(table) == 2 + len(records) + 1  # header, separator, one row each, the total
    assert all(line.count("|") - line.count("\\|") == 6 for line in table)  # five columns in every row
    first, second, total = table[2], table[3], table[4]
    assert "1 min 15 s" in first and "1,536 MiB" in first
    assert "train 61.2 s" in first and "230.0 samples/s" in first and "dev F1 0.9123" in first
    assert "error (cell 7)" in second and "no GPU" in second and "model trained now" in second
    assert "sentences/s" not in second  # a figure that is None is left out, not printed as "None"
    assert "all 2" in total and "1 failed" in total and "1 min 20 s" in total

    path = tmp_path / "report" / "run.json"
    written = run_notebooks.write_report(
        path, records, machine={"device": "CPU test"}, settings={"NERCOURSE_PROFILE": "full"}, command="run it"
    )
    report = json.loads(path.read_text())
    assert report == written
    assert report["notebooks"] == records and report["failed"] == ["solutions/05_inference_solutions.ipynb"]
    assert report["total_seconds"] == 79.5 and report["machine"] == {"device": "CPU test"}
    assert report["command"] == "run it" and report["settings"] == {"NERCOURSE_PROFILE": "full"}
    assert report["date"][:4].isdigit() and "T" in report["date"]
