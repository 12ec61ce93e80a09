"""The benchmark scripts still run (on the tiny model, for a moment): timings are measured on a
GPU and recorded in benchmarks/RESULTS.md, never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_train_benchmark_compares_both_recipes(tiny_bert, mini_corpus, tmp_path):
    out = tmp_path / "train.json"
    command = [sys.executable, "benchmarks/train_benchmark.py", "--model", tiny_bert, "--data-dir", str(mini_corpus)]
    command += ["--profile", "smoke", "--max-train-sentences", "64", "--epochs", "1", "--json", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(out.read_text())
    assert [r["recipe"] for r in report["runs"]] == ["hf_course", "course"]
    hf = report["runs"][0]
    assert (hf["batch"], hf["lr"], hf["precision"]) == (8, 2e-5, "fp32")
    assert report["summary"]["speed_ratio"] > 0 and "transformers" in report["machine"]


@pytest.mark.slow
def test_inference_benchmark_times_three_paths(finetuned_tiny, mini_corpus, tmp_path):
    out = tmp_path / "inference.json"
    command = [
        sys.executable,
        "benchmarks/inference_benchmark.py",
        "--model",
        finetuned_tiny,
        "--data-dir",
        str(mini_corpus),
    ]
    command += ["--limit", "40", "--json", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = json.loads(out.read_text())["rows"]
    assert [r["path"] for r in rows][-1] == "nercourse.NerTagger.predict_words"
    assert all(r["sentences_per_s"] > 0 for r in rows)
