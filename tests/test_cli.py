"""``python -m nercourse``: train -> evaluate -> predict on the tiny model, torchrun, bad input."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, stdin=None, env=None, timeout=600):
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "notebooks"), HF_HUB_OFFLINE="1")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "nercourse", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
    )


@pytest.mark.slow
def test_train_saves_a_model_with_label_names(tiny_bert, mini_corpus, tmp_path):
    result = run(
        "train",
        "--model",
        tiny_bert,
        "--data-dir",
        str(mini_corpus),
        "--output-dir",
        str(tmp_path / "m"),
        "--profile",
        "smoke",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout[result.stdout.index("{\n") :])
    assert summary["validation"]["f1"] >= 0 and summary["train_samples_per_second"] > 0
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    assert config["id2label"] == {str(i): n for i, n in enumerate(__import__("nercourse").LABEL_NAMES)}
    assert (tmp_path / "m" / "tokenizer.json").is_file() and (tmp_path / "m" / "model.safetensors").is_file()


@pytest.mark.slow
def test_train_under_torchrun_with_two_cpu_processes(tiny_bert, mini_corpus, tmp_path):
    torchrun = shutil.which("torchrun", path=os.path.dirname(sys.executable)) or shutil.which("torchrun")
    environment = dict(os.environ, PYTHONPATH=str(ROOT / "notebooks"), HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
    with socket.socket() as probe:  # a free port for the rendezvous (port 0 makes torchrun hang)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        torchrun,
        "--nproc_per_node=2",
        f"--master_port={port}",
        "-m",
        "nercourse",
        "train",
        "--model",
        tiny_bert,
    ]
    command += [
        "--data-dir",
        str(mini_corpus),
        "--output-dir",
        str(tmp_path / "ddp"),
        "--profile",
        "smoke",
        "--epochs",
        "1",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count('"output_dir"') == 1  # only rank 0 reports
    assert (tmp_path / "ddp" / "model.safetensors").is_file()


def test_evaluate_prints_word_level_scores_and_writes_predictions(finetuned_tiny, mini_corpus, tmp_path):
    out = tmp_path / "pred.txt"
    result = run(
        "evaluate",
        "--model",
        finetuned_tiny,
        "--data-dir",
        str(mini_corpus),
        "--split",
        "test",
        "--predictions-out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert {"f1", "strict_f1", "precision", "recall", "per_type"} <= set(scores)
    assert set(scores["per_type"]) == {"LOC", "MISC", "ORG", "PER"}
    rescored = run("evaluate", "--predictions", str(out), "--data-dir", str(mini_corpus), "--split", "test")
    assert rescored.returncode == 0, rescored.stderr
    again = json.loads(rescored.stdout)
    assert again["f1"] == scores["f1"] and again["strict_f1"] == scores["strict_f1"]


def test_predict_offsets_formats_and_inputs(finetuned_tiny, tmp_path):
    text = "Paloma Zimmermann won the Summit Cup in Thornbury <b>today</b>."
    result = run("predict", "--model", finetuned_tiny, text, "Hallam Forest beat Stella Rossa.")
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)
    assert [d["text"] for d in documents] == [text, "Hallam Forest beat Stella Rossa."]
    for document in documents:
        for entity in document["entities"]:
            assert set(entity) == {"type", "text", "start", "end", "score"}
            assert document["text"][entity["start"] : entity["end"]] == entity["text"]

    lines = "Ada Lovelace visited Turin.\n\nTokyo\r\n"
    result = run("predict", "--model", finetuned_tiny, "--format", "jsonl", stdin=lines)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "Ada Lovelace visited Turin.",
        "",
        "Tokyo",
    ]

    source = tmp_path / "texts.txt"
    source.write_text("Ada Lovelace visited Turin.\nTokyo\n", encoding="utf-8")
    result = run("predict", "--model", finetuned_tiny, "--file", str(source), "--format", "conll")
    assert result.returncode == 0, result.stderr
    blocks = [b.splitlines() for b in result.stdout.strip("\n").split("\n\n")]
    assert [[line.split()[0] for line in block] for block in blocks] == [
        ["Ada", "Lovelace", "visited", "Turin", "."],
        ["Tokyo"],
    ]
    assert all(len(line.split()) == 2 for block in blocks for line in block)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["predict", "--model", "/no/such/model", "hello"], "does not exist"),
        (["predict", "--model", "{finetuned}", "--file", "/no/such/file.txt"], "Cannot read"),
        (["evaluate", "--model", "{finetuned}", "--data-dir", "/no/such/dir"], "does not exist"),
    ],
)
def test_user_errors_are_one_message_without_traceback(finetuned_tiny, args, message):
    result = run(*[a.replace("{finetuned}", finetuned_tiny) for a in args])
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_train_without_data_or_network_ends_fast_with_advice(tmp_path):
    started = time.perf_counter()
    env = {"HF_HUB_OFFLINE": "", "HF_ENDPOINT": "http://127.0.0.1:9", "NERCOURSE_DATA_DIR": ""}
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        env[name] = ""
    result = run("train", "--output-dir", str(tmp_path / "m"), env=env, timeout=60)
    assert time.perf_counter() - started < 10
    assert result.returncode == 2
    assert "Cannot download CoNLL-2003" in result.stderr and "NERCOURSE_DATA_DIR" in result.stderr
    assert "Traceback" not in result.stderr
