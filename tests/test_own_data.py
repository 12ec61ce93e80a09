"""Your own data (notebook 07, "Your own labels"): a folder of CoNLL or JSONL files with any label set, through
``nercourse.load_splits``, ``nercourse.train`` and the CLI (in process, ``nercourse.cli.main``); the products
corpus that ships with the course; and CoNLL-2003, which must load, train and score exactly as before."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import nercourse
from nercourse.cli import main
from nercourse.conll import NoEntityWarning

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_LABELS = ["O", "B-COMPANY", "I-COMPANY", "B-PRODUCT", "I-PRODUCT"]
TEXT = "Norvale Systems cut the price of the Lumen X2 by 15%."


def folder(tmp_path, **files: str) -> Path:
    """A data folder with the given files (``train_txt="..."`` writes train.txt)."""
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        stem, _, extension = name.rpartition("_")
        (data / f"{stem}.{extension}").write_text(text, encoding="utf-8")
    return data


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------------------ the products corpus


def test_the_generator_reproduces_the_committed_products_corpus(tmp_path):
    committed = Path(nercourse.PRODUCTS_CORPUS_DIR)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_products_corpus.py"), "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(str(p.relative_to(committed)) for p in committed.rglob("*") if p.is_file())
    stale = [name for name in written if (tmp_path / name).read_bytes() != (committed / name).read_bytes()]
    assert not stale, f"{stale} differ from what tools/make_products_corpus.py writes: rerun it"
    assert "synthetic" in (committed / "README.md").read_text(encoding="utf-8")


def test_both_formats_of_the_products_corpus_load_to_the_same_splits_with_its_own_labels():
    conll = nercourse.load_splits(nercourse.PRODUCTS_CORPUS_DIR / "conll")
    jsonl = nercourse.load_splits(nercourse.PRODUCTS_CORPUS_DIR / "jsonl")
    assert list(conll) == list(jsonl) == ["train", "validation", "test"]
    for split in conll:
        assert nercourse.label_names_of(conll[split]) == nercourse.label_names_of(jsonl[split]) == PRODUCT_LABELS
        assert conll[split]["tokens"] == jsonl[split]["tokens"]
        assert conll[split]["ner_tags"] == jsonl[split]["ner_tags"]
    assert set(nercourse.entity_counts(conll["test"], PRODUCT_LABELS)) == {"COMPANY", "PRODUCT"}


# ------------------------------------------------------------------------------ CoNLL-2003 unchanged


def test_a_conll2003_folder_loads_exactly_as_load_conll2003_loads_it(mini_corpus):
    own, conll2003 = nercourse.load_splits(mini_corpus), nercourse.load_conll2003(mini_corpus)
    assert list(own) == list(conll2003)
    for split in own:
        assert nercourse.label_names_of(own[split]) == nercourse.LABEL_NAMES
        assert own[split].features == conll2003[split].features
        assert own[split].to_dict() == conll2003[split].to_dict()


def test_a_conll2003_folder_keeps_its_size_checks(mini_corpus, tmp_path):
    for name in ("train.txt", "validation.txt", "test.txt"):
        shutil.copy(mini_corpus / name, tmp_path / name)
    (tmp_path / "splits.json").write_text('{"sizes": {"train": 601, "validation": 150, "test": 150}}')
    with pytest.raises(nercourse.NerCourseError, match="train has 600 sentences, expected 601"):
        nercourse.load_splits(tmp_path)


@pytest.mark.slow
def test_train_on_conll2003_files_gives_what_the_conll2003_path_gives(tiny_bert, mini_corpus, tmp_path):
    """The label order, the ids and the scores: nercourse.train on the mini corpus against the steps it took
    before labels came from the data (load_conll2003, LABEL_NAMES everywhere), with the same seed."""
    from transformers import set_seed

    quiet = {"disable_tqdm": True, "logging_strategy": "no"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer = nercourse.train(tiny_bert, str(tmp_path / "new"), data_dir=str(mini_corpus), profile="smoke", **quiet)
        set_seed(42)
        raw = nercourse.subset(nercourse.load_conll2003(mini_corpus), "smoke", seed=42)
        tokenizer = nercourse.load_tokenizer(tiny_bert)
        tokenized = nercourse.prepare_datasets(raw, tokenizer)
        model = nercourse.load_model_for_training(tiny_bert)
        args = nercourse.training_arguments("smoke", str(tmp_path / "old"), seed=42, **quiet)
        before = nercourse.build_trainer(model, tokenizer, args, tokenized["train"], tokenized["validation"])
        before.train()
    assert trainer.model.config.id2label == dict(enumerate(nercourse.LABEL_NAMES))
    evaluations = [[e for e in t.state.log_history if "eval_f1" in e] for t in (trainer, before)]
    assert len(evaluations[0]) == 6
    for new, old in zip(*evaluations, strict=True):
        assert {k: v for k, v in new.items() if "runtime" not in k and "per_second" not in k} == {
            k: v for k, v in old.items() if "runtime" not in k and "per_second" not in k
        }


# ------------------------------------------------------------------------------ the folder


def test_a_folder_needs_train_and_one_file_per_split(tmp_path):
    data = folder(
        tmp_path, train_txt="Lumen B-PRODUCT\n", train_jsonl='{"text": "Lumen", "label": [[0, 5, "PRODUCT"]]}\n'
    )
    with pytest.raises(
        nercourse.NerCourseError, match=r"(?s)has 2 train files: train.txt, train.jsonl.*keep one train file"
    ):
        nercourse.load_splits(data)
    (data / "train.txt").unlink()
    (data / "train.jsonl").rename(data / "notes.jsonl")
    with pytest.raises(
        nercourse.NerCourseError, match=r"has no train file \(looked for train.txt, train.conll, train.jsonl\)"
    ):
        nercourse.find_data_files(data)


def test_without_validation_a_seeded_share_of_train_is_held_out_and_the_sizes_printed(tmp_path, capsys):
    sentences = "".join(f"Item{i} B-PRODUCT\nsold O\n\n" for i in range(25))
    data = folder(tmp_path, train_conll=sentences)
    splits = nercourse.load_splits(data)
    assert list(splits) == ["train", "validation"]  # test is optional
    assert (len(splits["train"]), len(splits["validation"])) == (23, 2)  # 10%, rounded
    printed = capsys.readouterr().out
    assert (
        "no validation file, so 2 of train's 25 sentences (8%: the share of 10%, rounded; seed 42) are held out"
        in printed
    )
    again = nercourse.load_splits(data, validation_share=0.5)
    assert len(again["validation"]) == 12
    assert nercourse.load_splits(data)["validation"]["tokens"] == splits["validation"]["tokens"]  # seeded
    held = {tuple(s) for s in splits["validation"]["tokens"]}
    assert held.isdisjoint(tuple(s) for s in splits["train"]["tokens"])
    small = folder(tmp_path / "one", train_txt="Item B-PRODUCT\n\nOther B-PRODUCT\n")
    assert len(nercourse.load_splits(small)["validation"]) == 1  # at least one sentence


def test_two_and_four_columns_with_or_without_docstart_load_as_today(tmp_path):
    data = folder(
        tmp_path,
        train_txt="-DOCSTART- -X- -X- O\n\nLumen NNP B-NP B-PRODUCT\nX2 NNP I-NP I-PRODUCT\nby IN B-PP O\n"
        "Norvale NNP B-NP B-COMPANY\n\n-DOCSTART- -X- -X- O\n\nSold VBD B-VP O\n",
        validation_conll="Norvale B-COMPANY\nsold O\nLumen B-PRODUCT\n",
    )
    splits = nercourse.load_splits(data)
    assert nercourse.gold_tags(splits["train"]) == [["B-PRODUCT", "I-PRODUCT", "O", "B-COMPANY"], ["O"]]
    assert splits["train"]["document"] == [0, 1]
    assert nercourse.label_names_of(splits["validation"]) == PRODUCT_LABELS
    assert nercourse.gold_tags(splits["validation"]) == [["B-COMPANY", "O", "B-PRODUCT"]]


@pytest.mark.parametrize("name", ["validation_txt", "test_jsonl"])
def test_a_type_that_train_lacks_is_an_error_naming_file_line_and_tag(tmp_path, name):
    other = (
        "Lumen B-PRODUCT\n\nThe O\nNorvale B-COMPANY\n"
        if name.endswith("txt")
        else '{"text": "Lumen", "label": [[0, 5, "PRODUCT"]]}\n{"text": "The Norvale", "label": [[4, 11, "COMPANY"]]}\n'
    )
    data = folder(tmp_path, train_txt="Lumen B-PRODUCT\nsold O\n", **{name: other})
    with pytest.raises(nercourse.DataFormatError) as error:
        nercourse.load_splits(data)
    file = name.replace("_", ".")
    line = 4 if name.endswith("txt") else 2
    assert str(error.value).startswith(f"{data / file}:{line}: unknown ")
    assert "'COMPANY' does not occur in train.txt, where the labels come from (its types: PRODUCT)" in str(error.value)


# ------------------------------------------------------------------------------ bad input, through the CLI


@pytest.mark.parametrize(
    ("train", "line", "problem"),
    [
        ("\n\n", None, "no sentences found"),
        ("Lumen B-PRODUCT\nsold\n", 2, "expected a word and its tag"),
        ("Lumen NNP B-NP B-PRODUCT\nsold O\n", 2, "this line has 2 columns but earlier lines have 4"),
        ("Lumen B-\n", 1, "tag 'B-' has no entity type after 'B-'"),
        ("Lumen B-PRODUCT\n\nsold X-FOO\n", 3, "tag 'X-FOO' has an unknown prefix 'X-'"),
        ("Lumen b-per\n", 1, "tag 'b-per' has a lower-case prefix 'b-'"),
    ],
)
def test_bad_files_are_one_message_naming_file_and_line(tiny_bert, tmp_path, capsys, train, line, problem):
    data = folder(tmp_path, train_txt=train)
    code, out, err = cli(capsys, "train", "--model", tiny_bert, "--data-dir", data, "--output-dir", tmp_path / "m")
    where = f"{data / 'train.txt'}:{line}" if line else f"{data / 'train.txt'}"
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"error: {where}: {problem}" in err
    assert not (tmp_path / "m").exists()


def test_a_test_file_without_entities_gets_a_warning_and_a_train_file_without_an_error(tmp_path):
    data = folder(tmp_path, train_txt="Lumen B-PRODUCT\n", validation_txt="Lumen B-PRODUCT\n", test_txt="sold O\n")
    with pytest.warns(NoEntityWarning, match=r"test.txt: no entity at all"):
        nercourse.load_splits(data)
    data = folder(tmp_path / "none", train_txt="sold O\n")
    with pytest.warns(NoEntityWarning), pytest.raises(nercourse.NerCourseError, match="no entity in the training data"):
        nercourse.load_splits(data)


def test_a_span_off_word_boundaries_stops_train_unless_expand_spans(tiny_bert, tmp_path, capsys):
    records = [
        {"text": "Norvale Systems sold it.", "label": [[0, 12, "COMPANY"]]},  # 'Norvale Syst'
        {"text": "Quillon sold it.", "label": [[0, 7, "COMPANY"]]},
        {"text": "Nobody sold it.", "label": []},
    ]
    data = folder(tmp_path, train_jsonl="".join(json.dumps(r) + "\n" for r in records))
    code, _, err = cli(capsys, "train", "--model", tiny_bert, "--data-dir", data, "--output-dir", tmp_path / "m")
    assert code == 2 and f"error: {data / 'train.jsonl'}:1: span [0, 12, 'COMPANY'] 'Norvale Syst'" in err
    assert "the words around it: [Norvale Systems] sold it" in err and "--expand-spans" in err
    with pytest.warns(nercourse.spans.SpanExpansionWarning, match="1 spans did not fall on word boundaries"):
        splits = nercourse.load_splits(data, align="expand")
    every = nercourse.gold_tags(splits["train"]) + nercourse.gold_tags(splits["validation"])
    assert ["B-COMPANY", "I-COMPANY", "O", "O", "O"] in every


# ------------------------------------------------------------------------------ train, evaluate, predict


@pytest.fixture(scope="module")
def products_models(tiny_bert, tmp_path_factory) -> dict[str, tuple[str, dict]]:
    """The tiny BERT trained through the CLI on each format of the products corpus: (folder, train's JSON)."""
    models = {}
    for form in ("conll", "jsonl"):
        output = tmp_path_factory.mktemp(f"products-{form}")
        data = nercourse.PRODUCTS_CORPUS_DIR / form
        printed = io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            argv = ["train", "--model", tiny_bert, "--data-dir", str(data), "--output-dir", str(output)]
            assert main([*argv, "--profile", "smoke"]) == 0
        models[form] = (str(output), json.loads(printed.getvalue()))
    return models


@pytest.mark.slow
@pytest.mark.parametrize("form", ["conll", "jsonl"])
def test_a_model_trained_on_your_labels_saves_evaluates_and_predicts_only_them(products_models, form, capsys):
    model, summary = products_models[form]
    config = json.loads((Path(model) / "config.json").read_text())
    assert config["id2label"] == {str(i): name for i, name in enumerate(PRODUCT_LABELS)}
    assert config["label2id"] == {name: i for i, name in enumerate(PRODUCT_LABELS)}
    assert 0 <= summary["validation"]["f1"] <= 1

    data = nercourse.PRODUCTS_CORPUS_DIR / form
    code, out, err = cli(capsys, "evaluate", "--model", model, "--data-dir", data, "--split", "test")
    assert code == 0, err
    scores = json.loads(out)
    assert scores["split"] == "test" and scores["sentences"] == 80
    assert set(scores["per_type"]) == {"COMPANY", "PRODUCT"}  # the gold types, scored with the model's labels

    code, out, err = cli(capsys, "predict", "--model", model, TEXT, "Sales were flat.")
    assert code == 0, err
    entities = [e for result in json.loads(out) for e in result["entities"]]
    assert {e["type"] for e in entities} <= {"COMPANY", "PRODUCT"}
    assert nercourse.NerTagger.from_pretrained(model).label_names == PRODUCT_LABELS


@pytest.mark.slow
def test_a_test_file_of_your_labels_scores_like_the_test_split_in_either_format(products_models, tmp_path, capsys):
    model, _ = products_models["conll"]
    code, out, err = cli(
        capsys, "evaluate", "--model", model, "--data-dir", nercourse.PRODUCTS_CORPUS_DIR / "conll", "--split", "test"
    )
    assert code == 0, err
    expected = json.loads(out)
    expected.pop("split")
    predictions = tmp_path / "predictions.txt"
    for form, name in (("conll", "test.txt"), ("jsonl", "test.jsonl")):
        test_file = nercourse.PRODUCTS_CORPUS_DIR / form / name
        code, out, err = cli(
            capsys, "evaluate", "--model", model, "--test-file", test_file, "--predictions-out", predictions
        )
        assert code == 0, err
        scores = json.loads(out)
        assert scores.pop("test_file") == str(test_file)
        assert scores == expected
        # the predictions written, scored again against the same file without the model
        code, out, err = cli(capsys, "evaluate", "--predictions", predictions, "--test-file", test_file)
        assert code == 0, err
        rescored = json.loads(out)
        assert rescored["f1"] == expected["f1"] and set(rescored["per_type"]) == {"COMPANY", "PRODUCT"}


@pytest.mark.slow
def test_a_test_file_may_lack_a_type_of_the_model_but_not_bring_one(products_models, finetuned_tiny, tmp_path, capsys):
    model, _ = products_models["conll"]
    only_products = tmp_path / "only_products.txt"
    only_products.write_text("The O\nLumen B-PRODUCT\nX2 I-PRODUCT\nsold O\n.\tO\n", encoding="utf-8")
    code, out, err = cli(capsys, "evaluate", "--model", model, "--test-file", only_products)
    assert code == 0, err
    assert json.loads(out)["sentences"] == 1  # scored, though the file has no COMPANY
    # a type the model was not trained on: named, with the model's types
    code, _, err = cli(capsys, "evaluate", "--model", finetuned_tiny, "--test-file", only_products)
    assert code == 2 and "has entity types ['PRODUCT'] that the model does not predict" in err
    assert "PER, ORG, LOC, MISC" in err and "Traceback" not in err


def test_predictions_of_a_type_the_test_file_lacks_need_the_models_tags(tmp_path, capsys):
    gold = tmp_path / "gold.txt"
    gold.write_text("Norvale B-COMPANY\nsells O\nwell O\n", encoding="utf-8")
    predictions = tmp_path / "predictions.txt"
    predictions.write_text("Norvale B-COMPANY\nsells O\nwell B-PRODUCT\n", encoding="utf-8")
    code, _, err = cli(capsys, "evaluate", "--predictions", predictions, "--test-file", gold)
    assert code == 2 and f"{predictions}:3: unknown tag 'B-PRODUCT'" in err and "--label-names" in err
    labels = ",".join(PRODUCT_LABELS)
    code, out, err = cli(capsys, "evaluate", "--predictions", predictions, "--test-file", gold, "--label-names", labels)
    assert code == 0, err
    scores = json.loads(out)  # the PRODUCT is a false positive: one of two predicted entities is right
    assert (scores["precision"], scores["recall"]) == (0.5, 1.0)


def test_a_test_file_with_some_of_conll2003s_types_meets_a_model_of_those_types(tmp_path, capsys):
    gold = tmp_path / "gold.txt"
    gold.write_text("Anna B-PER\nslept O\n", encoding="utf-8")
    predictions = tmp_path / "predictions.txt"
    predictions.write_text("Anna B-PER\nslept O\n", encoding="utf-8")
    argv = ("evaluate", "--predictions", predictions, "--test-file", gold, "--label-names", "O,B-PER,I-PER")
    code, out, err = cli(capsys, *argv)
    assert code == 0, err
    assert json.loads(out)["f1"] == 1.0


def test_a_predictions_file_with_its_own_gold_column_is_scored_alone(tmp_path, capsys):
    predictions = tmp_path / "predictions.txt"
    predictions.write_text("Lumen B-PRODUCT B-PRODUCT\nby O O\nNorvale B-COMPANY O\n", encoding="utf-8")
    code, out, err = cli(capsys, "evaluate", "--predictions", predictions)
    assert code == 0, err
    scores = json.loads(out)
    assert scores["gold"] == "the predictions file's own gold column"
    assert (scores["precision"], scores["recall"]) == (1.0, 0.5)
    assert set(scores["per_type"]) == {"COMPANY", "PRODUCT"}


@pytest.mark.slow
def test_both_formats_train_the_same_model(products_models):
    (_, conll), (_, jsonl) = products_models["conll"], products_models["jsonl"]
    assert {k: v for k, v in conll["validation"].items() if "runtime" not in k and "per_second" not in k} == {
        k: v for k, v in jsonl["validation"].items() if "runtime" not in k and "per_second" not in k
    }


def test_a_conll2003_model_is_refused_on_your_labels_and_a_missing_test_split_is_named(
    finetuned_tiny, tmp_path, capsys
):
    code, _, err = cli(
        capsys, "evaluate", "--model", finetuned_tiny, "--data-dir", nercourse.PRODUCTS_CORPUS_DIR / "conll"
    )
    assert code == 2 and "The model predicts tags" in err and "B-PER" in err
    data = folder(tmp_path, train_txt="Lumen B-PRODUCT\n", validation_txt="Lumen B-PRODUCT\n")
    code, _, err = cli(capsys, "evaluate", "--model", finetuned_tiny, "--data-dir", data, "--split", "test")
    assert code == 2 and "has no test file (test.txt, test.conll or test.jsonl)" in err


def test_the_parser_checks_the_validation_share(capsys):
    for bad in ("0", "1", "-0.1", "ten"):
        assert main(["train", "--validation-share", bad]) == 2
        assert "argument --validation-share" in capsys.readouterr().err
