"""The benchmark scripts still run (on the tiny model, for a moment) and write what their results
need to be traced: timings are measured on real hardware and recorded in benchmarks/RESULTS.md
with their JSON in benchmarks/results/, never asserted here."""

from __future__ import annotations

import json
import sys

import pytest
from helpers import ROOT, assert_traceable, run_benchmark, run_script

import nercourse

sys.path.insert(0, str(ROOT / "benchmarks"))

import inference_benchmark  # noqa: E402  (benchmarks/ is not a package)

pytestmark = pytest.mark.newest_only  # the benchmark scripts: one pass covers them


# ------------------------------------------------------------------ mapping pipeline output to words


def test_join_words_gives_each_word_its_offsets():
    text, spans = inference_benchmark.join_words(["U.S.", "troops", "left", "."])
    assert text == "U.S. troops left ."
    assert [text[a:b] for a, b in spans] == ["U.S.", "troops", "left", "."]


def test_pipeline_entities_become_one_tag_per_word():
    _, spans = inference_benchmark.join_words(["Angela", "Merkel", "visited", "New", "York", "today"])
    entities = [
        {"entity_group": "PER", "start": 0, "end": 13},  # "Angela Merkel"
        {"entity_group": "LOC", "start": 22, "end": 30},  # "New York"
    ]
    assert inference_benchmark.tags_from_entities(entities, spans) == ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"]


def test_a_word_takes_the_entity_that_holds_its_first_character():
    # The pipeline splits "U.S." into pieces of its own; an entity on "S." alone does not tag the word.
    _, spans = inference_benchmark.join_words(["the", "U.S.", "army"])
    assert inference_benchmark.tags_from_entities([{"entity_group": "LOC", "start": 4, "end": 8}], spans) == [
        "O",
        "B-LOC",
        "O",
    ]
    assert inference_benchmark.tags_from_entities([{"entity_group": "LOC", "start": 6, "end": 8}], spans) == [
        "O",
        "O",
        "O",
    ]


def test_agreement_compares_entities_not_spelling_of_their_first_tag():
    # I-PER after O starts an entity (conlleval), as B-PER does: the same prediction.
    same = inference_benchmark.word_agreement([["I-PER", "I-PER", "O"]], [["B-PER", "I-PER", "O"]])
    assert same == {"words": 3, "identical": 3, "share": 1.0}
    differ = inference_benchmark.word_agreement([["B-PER", "B-PER", "O"]], [["B-PER", "I-PER", "O"]])
    assert differ["identical"] == 2


# ------------------------------------------------------------------------------------- the scripts


@pytest.mark.slow
def test_train_benchmark_warms_up_and_compares_both_recipes(tiny_bert, mini_corpus, tmp_path):
    out = tmp_path / "train.json"
    report, _ = run_benchmark(
        "train_benchmark.py",
        out,
        *("--model", tiny_bert, "--data-dir", str(mini_corpus), "--profile", "smoke"),
        *("--max-train-sentences", "64", "--epochs", "1", "--warmup-steps", "2", "--seeds", "1", "2"),
    )
    assert "MODEL" in report["command"] and tiny_bert not in report["command"]
    # Both recipes paid the start-up costs before anything was timed, and the order alternates.
    assert set(report["warm_up_s"]) == {"hf_course", "course"}
    assert [(r["seed"], r["recipe"]) for r in report["runs"]] == [
        (1, "hf_course"),
        (1, "course"),
        (2, "course"),
        (2, "hf_course"),
    ]
    hf = report["runs"][0]
    assert (hf["batch"], hf["lr"], hf["precision"], hf["all_subwords"]) == (8, 2e-5, "fp32", True)
    assert 0 <= hf["dev_f1"] <= 100 and 0 <= hf["test_f1"] <= 100
    assert report["summary"]["speed_ratio"] > 0 and report["summary"]["course"]["test_f1"]["n"] == 2


@pytest.mark.slow
def test_inference_benchmark_compares_like_with_like(finetuned_tiny, mini_corpus, tmp_path):
    out = tmp_path / "inference.json"
    report, printed = run_benchmark(
        "inference_benchmark.py",
        out,
        *("--model", finetuned_tiny, "--data-dir", str(mini_corpus), "--limit", "40", "--repeats", "3"),
    )
    assert report["sentences"] == 40 and report["repeats"] == 3
    assert report["orders"][1] == list(reversed(report["orders"][0])) and report["orders"][2] == report["orders"][0]
    for work, ours in (("text_to_entities", "NerTagger.entities_batch"), ("words_to_tags", "NerTagger.predict_words")):
        rows = report[work]["rows"]
        assert [r["path"] for r in rows] == [inference_benchmark.ONE_BY_ONE, inference_benchmark.BATCHED, ours]
        for row in rows:
            assert len(row["raw_s"]) == 3 and row["median_s"] == sorted(row["raw_s"])[1]
            assert row["sentences_per_s"] > 0
    agreement = report["words_to_tags"]["tag_agreement_with_pipeline_batch"]
    assert agreement["words"] == report["words"] and 0 <= agreement["share"] <= 1
    assert 0 <= report["text_to_entities"]["entity_agreement_with_pipeline_batch"]["share"] <= 1
    assert "(b) words -> tags" in printed


@pytest.mark.slow
def test_document_benchmark_scores_every_word_three_ways(finetuned_tiny, mini_corpus, tmp_path):
    out = tmp_path / "documents.json"
    report, printed = run_benchmark(
        "document_benchmark.py", out, "--model", finetuned_tiny, "--data-dir", str(mini_corpus), "--joiner", "newline"
    )
    gold = nercourse.load_conll2003(str(mini_corpus))["test"]
    assert report["sentences"] == len(gold) and report["words"] == sum(map(len, gold["tokens"]))
    rows = {row["path"]: row for row in report["rows"]}
    assert list(rows) == ["sentences one by one", "document, by sentence", "document, whole"]
    splitting = report["sentence_splitting"]
    assert splitting["documents"] == 15 and splitting["gold_boundaries"] == len(gold) - 15
    assert splitting["documents_split_exactly"] == 15  # so each sentence went through the model on its own:
    assert rows["document, by sentence"]["f1"] == rows["sentences one by one"]["f1"]
    assert "sentence boundaries found" in printed


def test_library_sentences_take_the_course_words_by_their_first_character():
    from sentence_splitter_benchmark import words_from_starts

    text = "He left. She stayed (U.S.) here."

    def texts(starts):
        return [" ".join(w.text for w in s) for s in words_from_starts(text, starts)]

    assert texts([0, 9]) == ["He left .", "She stayed ( U.S. ) here ."]
    assert texts([0, 8, 9]) == ["He left .", "She stayed ( U.S. ) here ."]  # the space and She: one boundary
    assert texts([0, 23]) == ["He left . She stayed ( U.S.", ") here ."]  # inside U.S.: it began before
    assert texts([]) == [" ".join(w.text for w in nercourse.split_words(text))]
    assert words_from_starts("", [0]) == []


@pytest.mark.slow
def test_sentence_splitter_benchmark_scores_boundaries_and_words_for_each_splitter(
    finetuned_tiny, mini_corpus, tmp_path
):
    import importlib.util

    # pysbd is in requirements-dev.txt; spaCy is heavy and optional: its row is left out without it
    splitters = ["course", "pysbd"] + (["spacy"] if importlib.util.find_spec("spacy") else [])
    out = tmp_path / "splitters.json"
    report, printed = run_benchmark(
        "sentence_splitter_benchmark.py",
        out,
        *("--model", finetuned_tiny, "--data-dir", str(mini_corpus), "--splitters", ",".join(splitters)),
    )
    assert set(splitters) - {"course"} <= set(report["machine"]) and "git_revision" in report
    gold = nercourse.load_conll2003(str(mini_corpus))["test"]
    assert report["sentences"] == len(gold) and report["words"] == sum(map(len, gold["tokens"]))
    rows = {(row["splitter"], row["joiner"]): row for row in report["rows"]}
    assert list(rows) == [(s, j) for s in splitters for j in ("space", "newline")]
    for row in rows.values():
        assert row["documents"] == 15 and row["gold_boundaries"] == len(gold) - 15
        assert 0 <= row["boundary_precision"] <= 100 and 0 <= row["boundary_recall"] <= 100
        assert row["vs_sentences"] == row["f1"] - report["reference"]["f1"]
    course = rows["course", "newline"]  # one sentence a line: found exactly, so tagged exactly as the sentences
    assert course["documents_split_exactly"] == 15 and course["boundary_f1"] == 100
    assert course["f1"] == report["reference"]["f1"]
    assert "| course | space |" in printed


@pytest.mark.slow
def test_context_benchmark_trains_both_ways_on_the_same_targets_and_scores_every_word(tiny_bert, mini_corpus, tmp_path):
    out = tmp_path / "context.json"
    report, _ = run_benchmark(
        "context_benchmark.py",
        out,
        *("--model", tiny_bert, "--data-dir", str(mini_corpus), "--profile", "smoke", "--context-budget", "24"),
        *("--max-steps", "3", "--cross"),
    )
    assert "MODEL" in report["command"] and tiny_bert not in report["command"] and report["complete"] is True
    sentence, context = report["runs"]
    assert (sentence["run"], sentence["context_budget"]) == ("sentence", None)
    assert (context["run"], context["context_budget"]) == ("context", 24)
    # the same target sentences, the context run with more subwords to train on
    assert sentence["train_sentences"] == context["train_sentences"] == nercourse.PROFILES["smoke"].max_train_sentences
    assert context["train_subwords"] > sentence["train_subwords"] and report["summary"]["same_targets"] is True
    for run in report["runs"]:
        assert run["steps"] == 3
        for key in ("dev_f1", "test_f1", "cross_dev_f1", "cross_test_f1"):
            assert 0 <= run[key] <= 100, key
    assert report["summary"]["test_f1_gain"] == round(context["test_f1"] - sentence["test_f1"], 2)
    # the document guess, measured against the mini corpus's own -DOCSTART- documents
    guess = report["document_guess"]
    assert guess["test"]["documents_true"] == 15 and guess["test"]["sentences"] == 150
    assert 0 <= guess["test"]["boundary_precision"] <= 1 and 0 <= guess["test"]["sentences_in_exact_document"] <= 1


PART_KEYS = {
    "speed": {"model", "profile", "warm_up_s", "runs", "summary"},
    "quality": {"model", "profile", "warm_up_s", "runs", "summary"},
    "spread": {"model", "profile", "runs", "summary"},
    "inference": {"model", "split", "sentences", "repeats", "orders", "text_to_entities", "words_to_tags"},
}


@pytest.mark.slow
def test_gpu_suite_dry_run_writes_every_part_and_a_summary(tmp_path):
    out = tmp_path / "suite"
    result = run_script("benchmarks/gpu_suite.py", "--dry-run", "--out", str(out))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for part, keys in PART_KEYS.items():
        report = json.loads((out / f"{part}.json").read_text())
        assert_traceable(report, "gpu_suite.py")
        assert report["part"] == part and report["dry_run"] is True and "error" not in report
        assert keys <= set(report), (part, keys - set(report))
    speed = json.loads((out / "speed.json").read_text())
    assert [r["recipe"] for r in speed["runs"]] == ["hf_course", "course"]
    assert all(r["steps"] == speed["sizes"]["speed_steps"] for r in speed["runs"])
    assert speed["summary"]["speed_ratio"] > 0
    quality = json.loads((out / "quality.json").read_text())
    assert all({"train_wall_s", "dev_f1", "test_f1"} <= set(r) for r in quality["runs"])
    spread = json.loads((out / "spread.json").read_text())
    assert [r["seed"] for r in spread["runs"]] == [1, 2, 3]
    assert spread["runs"][0]["reused_from"] == "quality"
    assert set(spread["summary"]["test_f1"]) == {"mean", "std"}
    # The summary comes last, one section per part.
    summary = result.stdout[result.stdout.rindex("# GPU suite") :]
    headings = [line.split(":")[0] for line in summary.splitlines() if line.startswith("## ")]
    assert headings == [f"## {part}" for part in PART_KEYS]
    assert (out / "summary.md").read_text().strip() == summary.strip()


@pytest.mark.slow
def test_gpu_suite_records_a_failing_part_and_exits_nonzero(tmp_path):
    out = tmp_path / "suite"
    missing = tmp_path / "no-such-model"
    result = run_script(
        "benchmarks/gpu_suite.py", "--dry-run", "--parts", "inference", "--finetuned", str(missing), "--out", str(out)
    )
    assert result.returncode == 1
    report = json.loads((out / "inference.json").read_text())
    assert "error" in report and "## inference: FAILED" in result.stdout
    assert not (out / "speed.json").exists()


@pytest.mark.slow
def test_gpu_suite_context_part_runs_only_when_asked_for(tmp_path):
    out = tmp_path / "suite"
    result = run_script("benchmarks/gpu_suite.py", "--dry-run", "--parts", "context", "--out", str(out))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((out / "context.json").read_text())
    assert_traceable(report, "gpu_suite.py")
    assert report["part"] == "context" and report["dry_run"] is True and "error" not in report
    assert [r["run"] for r in report["runs"]] == ["sentence", "context"] and report["profile"] == "full"
    assert report["context_budget"] == report["sizes"]["context_budget"] and report["summary"]["same_targets"]
    assert all("cross_test_f1" in r for r in report["runs"])
    assert [p.name for p in out.glob("*.json")] == ["context.json"]
    assert "## context" in result.stdout
