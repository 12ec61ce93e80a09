"""``python -m nercourse``: train -> evaluate -> predict on the tiny model, torchrun, bad input.

Most tests run the CLI in-process (the ``cli`` fixture, conftest.py); a few run it end to end in a
fresh process (``run_cli_process``): stdout carries the JSON alone, exit codes, bytes that are not
UTF-8 in the command line and on stdin, torchrun, and a network that is not there."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from helpers import ROOT, run_cli_process, save_without_label_names

from nercourse.cli import main


@pytest.fixture(scope="module")
def unnamed_tiny(finetuned_tiny, tmp_path_factory) -> str:
    return save_without_label_names(finetuned_tiny, tmp_path_factory.mktemp("unnamed") / "model")


@pytest.mark.slow
def test_train_saves_a_model_with_label_names(tiny_bert, mini_corpus, tmp_path):
    # end to end: Trainer prints its logs while it trains, and not one byte of them may reach stdout
    result = run_cli_process(
        "train",
        "--model",
        tiny_bert,
        "--data-dir",
        str(mini_corpus),
        "--output-dir",
        str(tmp_path / "m"),
        "--profile",
        "smoke",
        "--epochs",
        "1",  # one epoch logs the loss and evaluates: all this test reads
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)  # stdout is the result alone; Trainer's logs went to stderr
    assert "'loss'" in result.stderr
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


def test_evaluate_prints_word_level_scores_and_writes_predictions(finetuned_tiny, mini_corpus, tmp_path, cli):
    out = tmp_path / "pred.txt"
    result = cli(
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
    rescored = cli("evaluate", "--predictions", str(out), "--data-dir", str(mini_corpus), "--split", "test")
    assert rescored.returncode == 0, rescored.stderr
    again = json.loads(rescored.stdout)
    assert again["f1"] == scores["f1"] and again["strict_f1"] == scores["strict_f1"]


def test_predict_offsets_formats_and_inputs(finetuned_tiny, tmp_path, cli):
    text = "Paloma Zimmermann won the Summit Cup in Thornbury <b>today</b>."
    result = cli("predict", "--model", finetuned_tiny, text, "Hallam Forest beat Stella Rossa.")
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)
    assert [d["text"] for d in documents] == [text, "Hallam Forest beat Stella Rossa."]
    for document in documents:
        for entity in document["entities"]:
            assert set(entity) == {"type", "text", "start", "end", "score"}
            assert document["text"][entity["start"] : entity["end"]] == entity["text"]

    lines = "Ada Lovelace visited Turin.\n\nTokyo\r\n"
    result = cli("predict", "--model", finetuned_tiny, "--format", "jsonl", stdin=lines)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "Ada Lovelace visited Turin.",
        "",
        "Tokyo",
    ]

    source = tmp_path / "texts.txt"
    source.write_text("Ada Lovelace visited Turin.\nTokyo\n", encoding="utf-8")
    result = cli("predict", "--model", finetuned_tiny, "--file", str(source), "--format", "conll")
    assert result.returncode == 0, result.stderr
    blocks = [b.splitlines() for b in result.stdout.strip("\n").split("\n\n")]
    assert [[line.split()[0] for line in block] for block in blocks] == [
        ["Ada", "Lovelace", "visited", "Turin", "."],
        ["Tokyo"],
    ]
    assert all(len(line.split()) == 2 for block in blocks for line in block)


def test_evaluate_scores_against_the_split_whatever_the_model_label_order(
    finetuned_tiny, permuted_tiny, mini_corpus, tmp_path, cli
):
    outputs = {}
    for name, model in (("course", finetuned_tiny), ("public", permuted_tiny)):
        out = tmp_path / f"{name}.txt"
        result = cli(
            "evaluate",
            "--model",
            model,
            "--data-dir",
            str(mini_corpus),
            "--split",
            "test",
            "--predictions-out",
            str(out),
        )
        assert result.returncode == 0, result.stderr
        scores = json.loads(result.stdout)
        del scores["model"]
        outputs[name] = scores, out.read_text()
    assert outputs["course"][0]["f1"] > 0.05  # a score worth comparing
    assert outputs["public"] == outputs["course"]


def test_predict_json_stdout_parses_and_texts_line_up(finetuned_tiny, tmp_path, cli):
    # One text per "\n": form feeds, \x1c-\x1e, U+0085 and U+2028 are inside a line, not line breaks.
    lines = ["Ada\fLovelace\x1cvisited\x1dTurin\x1e.", "Tokyo\x85Osaka", "", "Berlin\u2028Paris", "Rome"]
    data = "\n".join(lines[:-1]) + "\r\n" + lines[-1] + "\n"
    source = tmp_path / "texts.txt"
    source.write_bytes(data.encode())
    for how in ({"stdin": data}, {"args": ["--file", str(source)]}):
        for form in ("json", "jsonl"):
            result = cli(
                "predict", "--model", finetuned_tiny, "--format", form, *how.get("args", []), stdin=how.get("stdin")
            )
            assert result.returncode == 0, result.stderr
            records = json.loads(result.stdout) if form == "json" else list(map(json.loads, result.stdout.splitlines()))
            assert [r["text"] for r in records] == lines, (how, form)
    result = cli("predict", "--model", finetuned_tiny, "--format", "conll", "--file", str(source))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:-1].count("") == len(lines)  # a blank line ends each text's block


INVALID_UTF8 = b"Paloma Zimmermann \xff won in \xe2\x82 Thornbury."
REPLACED = "Paloma Zimmermann \ufffd won in \ufffd\ufffd Thornbury."  # one U+FFFD per byte that is not UTF-8


@pytest.mark.parametrize(
    "where",
    [
        # bytes in argv and on stdin need a real process; Python decodes them, not a library: one pass covers them
        pytest.param("argument", marks=pytest.mark.newest_only),
        pytest.param("stdin", marks=pytest.mark.newest_only),
        "file",
    ],
)
def test_text_that_is_not_utf8_is_tagged_with_valid_json_out(finetuned_tiny, tmp_path, where, cli):
    source = tmp_path / "texts.txt"
    source.write_bytes(b"Hallam Forest beat Stella Rossa.\n" + INVALID_UTF8 + b"\n")
    how = {
        "argument": ([INVALID_UTF8], None),  # Python decodes it with surrogateescape: lone surrogates
        "stdin": ([], source.read_bytes()),
        "file": (["--file", str(source)], None),
    }
    args, stdin = how[where]
    # argv and stdin as bytes need a real process; the file is read the same way in-process
    runner = cli if where == "file" else run_cli_process
    result = runner("predict", "--model", finetuned_tiny, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "not valid UTF-8" in result.stderr
    assert ("line(s) 2:" in result.stderr) == (where != "argument")
    document = json.loads(result.stdout)[-1]
    assert document["text"] == REPLACED
    expected = json.loads(cli("predict", "--model", finetuned_tiny, REPLACED).stdout)[0]["entities"]
    assert len(document["entities"]) == len(expected)
    for entity, same in zip(document["entities"], expected):  # scores differ by batch padding, a little
        assert entity == {**same, "score": pytest.approx(same["score"], abs=1e-4)}
    for entity in document["entities"]:
        assert document["text"][entity["start"] : entity["end"]] == entity["text"]


@pytest.mark.parametrize(
    "args",
    [
        ["predict", "--batch-size", "-1", "x"],
        ["predict", "--batch-size", "0", "x"],
        ["evaluate", "--batch-size", "0"],
        ["evaluate", "--batch-size", "2.5"],
        ["train", "--batch-size", "0"],
        ["train", "--epochs", "0"],
        ["train", "--epochs", "nan"],
        ["train", "--learning-rate", "-3e-5"],
        ["train", "--learning-rate", "inf"],
        ["train", "--seed", "-1"],
        ["predict", "--label-names", "O,PER,LOC", "x"],
        ["predict", "--label-names", "O,B-PER,O", "x"],
    ],
)
def test_bad_numbers_and_label_names_are_refused_by_the_parser(args, capsys):
    assert main(args) == 2
    error = capsys.readouterr().err
    assert f"error: argument {args[1]}:" in error and "Traceback" not in error


def test_model_without_label_names(finetuned_tiny, unnamed_tiny, mini_corpus, cli):
    text = "Paloma Zimmermann won the Summit Cup in Thornbury."
    result = cli("predict", "--model", unnamed_tiny, text)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "has no label names" in result.stderr and "--label-names conll2003" in result.stderr
    assert "ignore_mismatched_sizes" not in result.stderr
    generic = pytest.warns(UserWarning, match="generic labels")  # said each time the names are given
    with generic:
        named = cli("predict", "--model", unnamed_tiny, "--label-names", "conll2003", text)
    assert named.returncode == 0, named.stderr
    assert named.stdout == cli("predict", "--model", finetuned_tiny, text).stdout
    with generic:
        listed = cli(
            "predict", "--model", unnamed_tiny, "--label-names", ",".join(__import__("nercourse").LABEL_NAMES), text
        )
    assert listed.stdout == named.stdout
    scores = {}
    for model, extra in ((finetuned_tiny, []), (unnamed_tiny, ["--label-names", "conll2003"])):
        with pytest.warns(UserWarning, match="generic labels") if extra else contextlib.nullcontext():
            result = cli("evaluate", "--model", model, *extra, "--data-dir", str(mini_corpus))
        assert result.returncode == 0, result.stderr
        scores[model] = {k: v for k, v in json.loads(result.stdout).items() if k != "model"}
    assert scores[unnamed_tiny] == scores[finetuned_tiny]


def test_default_model_folder_missing_says_so(mini_corpus, tmp_path, monkeypatch, cli):
    monkeypatch.delenv("NERCOURSE_FINETUNED", raising=False)
    for command in (["predict", "hello"], ["evaluate", "--data-dir", str(mini_corpus)]):
        result = cli(*command, cwd=tmp_path)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert f"(ner-model, models/bert-ner, from {tmp_path}): not there" in result.stderr
        assert "No fine-tuned model found" in result.stderr
        assert "python -m nercourse train --output-dir ner-model" in result.stderr and "--model" in result.stderr


def test_without_model_the_cli_finds_it_like_the_notebooks(finetuned_tiny, tmp_path, monkeypatch, cli):
    """The resolver's order: NERCOURSE_FINETUNED, then train's folder, then notebook 03's; never training."""
    import shutil

    monkeypatch.delenv("NERCOURSE_FINETUNED", raising=False)
    shutil.copytree(finetuned_tiny, tmp_path / "models" / "bert-ner")
    result = cli("predict", "Angela Merkel visited Paris.", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "-> using models/bert-ner, the model notebook 03 saved" in result.stderr
    json.loads(result.stdout)
    monkeypatch.setenv("NERCOURSE_FINETUNED", finetuned_tiny)
    result = cli("predict", "Angela Merkel visited Paris.", cwd=tmp_path)
    assert result.returncode == 0 and "(from the settings)" in result.stderr


def test_finetuned_name_neither_folder_nor_hub_id_names_both(tmp_path, cli):
    result = cli("predict", "--model", "models/bert-ner", "hello", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"no folder of that name in the working directory {tmp_path}" in result.stderr
    assert "as a Hugging Face Hub id" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["predict", "--model", "/no/such/model", "hello"], "not found"),
        (["predict", "--model", "{finetuned}", "--file", "/no/such/file.txt"], "Cannot read"),
        (["evaluate", "--model", "{finetuned}", "--data-dir", "/no/such/dir"], "does not exist"),
    ],
)
def test_user_errors_are_one_message_without_traceback(finetuned_tiny, args, message, cli):
    result = cli(*[a.replace("{finetuned}", finetuned_tiny) for a in args])
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_train_without_data_or_network_ends_fast_with_advice(tmp_path):
    started = time.perf_counter()
    env = {"HF_HUB_OFFLINE": "", "HF_ENDPOINT": "http://127.0.0.1:9", "NERCOURSE_DATA_DIR": ""}
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        env[name] = ""
    result = run_cli_process("train", "--output-dir", str(tmp_path / "m"), env=env, timeout=60)
    assert time.perf_counter() - started < 10
    assert result.returncode == 2
    assert "Cannot download CoNLL-2003" in result.stderr and "NERCOURSE_DATA_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_test_file_scores_that_file_like_evaluate_split(finetuned_tiny, tmp_path, cli):
    import nercourse
    from nercourse.conll import read_conll_sentences
    from nercourse.conllpp import MINI_CORRECTED_TEST

    out = tmp_path / "pred.txt"
    result = cli(
        "evaluate", "--model", finetuned_tiny, "--test-file", str(MINI_CORRECTED_TEST), "--predictions-out", str(out)
    )
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores.pop("test_file") == str(MINI_CORRECTED_TEST) and "split" not in scores
    assert scores.pop("model") == finetuned_tiny
    assert scores.pop("context_budget") == 0  # a sentence-level model, scored sentence by sentence
    tagger = nercourse.NerTagger.from_pretrained(finetuned_tiny)
    expected, _ = nercourse.evaluate_split(tagger, nercourse.read_conll(MINI_CORRECTED_TEST))
    assert scores == json.loads(json.dumps(expected))
    _, gold = read_conll_sentences(MINI_CORRECTED_TEST)  # the file's own tags are the gold written out
    rows = [line.split() for line in out.read_text(encoding="utf-8").splitlines() if line]
    assert [row[1] for row in rows] == [tag for sentence in gold for tag in sentence]
    rescored = cli("evaluate", "--predictions", str(out), "--test-file", str(MINI_CORRECTED_TEST))
    assert rescored.returncode == 0, rescored.stderr
    again = json.loads(rescored.stdout)
    assert again["test_file"] == str(MINI_CORRECTED_TEST) and again["f1"] == scores["f1"]
    assert again["strict_f1"] == scores["strict_f1"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--split", "test"], "argument --split: not allowed with argument --test-file"),
        (["--split", "validation"], "argument --split: not allowed with argument --test-file"),  # the default too
        (["--data-dir", "somewhere"], "--test-file and --data-dir both given"),
    ],
)
def test_evaluate_test_file_replaces_split_and_data_dir(finetuned_tiny, extra, message, capsys):
    from nercourse.conllpp import MINI_CORRECTED_TEST

    assert main(["evaluate", "--model", finetuned_tiny, "--test-file", str(MINI_CORRECTED_TEST), *extra]) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error


def test_evaluate_test_file_that_is_a_folder_says_to_pass_the_file(finetuned_tiny, mini_corpus, cli):
    result = cli("evaluate", "--model", finetuned_tiny, "--test-file", str(mini_corpus))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "is a folder" in result.stderr and "test.txt" in result.stderr
