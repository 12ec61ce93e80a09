"""The training call written out in notebook 03 is the helpers': its ``TrainingArguments`` equal
``nercourse.training_arguments`` field by field, and its ``Trainer`` is configured as
``nercourse.build_trainer``'s, on the tiny BERT and the mini corpus."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import torch

import nercourse

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_fine_tuning.ipynb"
TAGS = ("inline-precision", "inline-training-arguments", "inline-trainer")
PROFILE = "smoke"


def tagged_source(tag: str) -> str:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cells = [cell for cell in notebook.cells if tag in cell.metadata.get("tags", [])]
    assert len(cells) == 1, f"{NOTEBOOK.name}: expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0].source


@pytest.fixture(scope="module")
def inline(tiny_bert, mini_corpus, tmp_path_factory):
    """The namespace after running the notebook's tagged cells, given what the cells before them made."""
    nercourse.quiet()
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    raw = nercourse.subset(nercourse.load_conll2003(mini_corpus), PROFILE)
    namespace = {
        "nercourse": nercourse,
        "torch": torch,
        "PROFILE": PROFILE,
        "FINETUNED_DIR": tmp_path_factory.mktemp("inline-03") / "bert-ner",
        "LABEL_NAMES": nercourse.LABEL_NAMES,
        "model": nercourse.load_model_for_training(tiny_bert),
        "tokenizer": tokenizer,
        "tokenized": nercourse.prepare_datasets(raw, tokenizer),
    }
    for tag in TAGS:
        exec(compile(tagged_source(tag), f"{NOTEBOOK.name}[{tag}]", "exec"), namespace)
    return namespace


def test_inline_training_arguments_equal_the_helpers(inline):
    ours = inline["args"].to_dict()
    helpers = nercourse.training_arguments(PROFILE, str(inline["FINETUNED_DIR"])).to_dict()
    assert ours.keys() == helpers.keys()
    assert {name: ours[name] for name in ours if ours[name] != helpers[name]} == {}
    # the profile's numbers really went in (not the library's defaults)
    profile = nercourse.PROFILES[PROFILE]
    assert (ours["num_train_epochs"], ours["learning_rate"]) == (profile.epochs, profile.learning_rate)
    assert ours["train_sampling_strategy"] == "group_by_length" and ours["eval_strategy"] == "epoch"


def test_inline_trainer_is_configured_as_build_trainer(inline):
    ours = inline["inline_trainer"]
    helper = nercourse.build_trainer(
        inline["model"],
        inline["tokenizer"],
        inline["args"],
        inline["tokenized"]["train"],
        inline["tokenized"]["validation"],
    )
    assert isinstance(helper, type(ours)) and type(ours).__name__ == "Trainer"
    assert ours.args.to_dict() == helper.args.to_dict()
    assert ours.train_dataset is helper.train_dataset and ours.eval_dataset is helper.eval_dataset
    assert ours.processing_class is helper.processing_class
    assert type(ours.data_collator) is type(helper.data_collator)
    for name in ("padding", "max_length", "pad_to_multiple_of", "label_pad_token_id", "return_tensors"):
        assert getattr(ours.data_collator, name) == getattr(helper.data_collator, name), name
    assert type(ours._get_train_sampler()) is type(helper._get_train_sampler())

    # the same metrics and the same logits preprocessing on the same predictions
    features = [inline["tokenized"]["validation"][i] for i in range(8)]
    labels = ours.data_collator(features)["labels"]
    logits = torch.randn(*labels.shape, len(nercourse.LABEL_NAMES), generator=torch.Generator().manual_seed(0))
    assert torch.equal(
        ours.preprocess_logits_for_metrics(logits, labels), helper.preprocess_logits_for_metrics(logits, labels)
    )
    predictions = ours.preprocess_logits_for_metrics(logits, labels).numpy()
    assert ours.compute_metrics((predictions, labels.numpy())) == helper.compute_metrics((predictions, labels.numpy()))
