"""Notebook 03's own cells, run on the tiny BERT and the mini corpus: the hand-made training step
computes the model's loss, the learner's own ``Trainer(...)`` is the object that trains and saves the
model, and what the notebook writes out equals the helpers (``nercourse.training_arguments``,
``nercourse.build_trainer``) that notebooks 04-08 use."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import numpy as np
import pytest
import torch
import transformers
from helpers import tagged_source
from safetensors.torch import load_file
from transformers import DataCollatorForTokenClassification

import nercourse
from nercourse.answers import notebook_03 as answers

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_fine_tuning.ipynb"
TAGS = (
    "inline-hand-forward",
    "inline-hand-step",
    "inline-training-arguments",
    "inline-compute-metrics",
    "inline-trainer",
    "inline-helper-trainer",
    "inline-save",
    "inline-precision",
)
PROFILE = "smoke"


def run_cell(tag: str, namespace: dict) -> None:
    exec(compile(tagged_source(NOTEBOOK.name, tag), f"{NOTEBOOK.name}[{tag}]", "exec"), namespace)


@pytest.fixture(scope="module")
def inline(tiny_bert, mini_corpus, tmp_path_factory):
    """The namespace after running the notebook's tagged cells in order, given what the cells before
    them made; ``saved_by`` lists the Trainer objects whose ``save_model`` ran."""
    nercourse.quiet()
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    raw = nercourse.subset(nercourse.load_conll2003(mini_corpus), PROFILE)
    tokenized = nercourse.prepare_datasets(raw, tokenizer)
    collator = DataCollatorForTokenClassification(tokenizer)
    torch.manual_seed(0)
    model = nercourse.load_model_for_training(tiny_bert)
    namespace = {
        "nercourse": nercourse,
        "torch": torch,
        "np": np,
        "copy": copy,
        "Path": Path,
        "MODEL": tiny_bert,
        "PROFILE": PROFILE,
        "profile": nercourse.PROFILES[PROFILE],
        "device": "cpu",
        "FINETUNED_DIR": tmp_path_factory.mktemp("inline-03") / "bert-ner",
        "LABEL_NAMES": nercourse.LABEL_NAMES,
        "model": model,
        "raw": raw,
        "tokenizer": tokenizer,
        "tokenized": tokenized,
        "collator": collator,
        "DataCollatorForTokenClassification": DataCollatorForTokenClassification,
        "batch": collator([tokenized["train"][i] for i in range(4)]),
    }
    pretrained = {name: tensor.clone() for name, tensor in model.state_dict().items()}
    saved_by = []
    save_model = transformers.Trainer.save_model

    def spy(self, *args, **kwargs):
        saved_by.append(self)
        return save_model(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transformers.Trainer, "save_model", spy)
        for tag in TAGS:
            if tag == "inline-trainer":  # the hand-made step trained a copy, not the model Trainer trains
                namespace["untouched_before_trainer"] = all(
                    torch.equal(tensor, pretrained[name]) for name, tensor in model.state_dict().items()
                )
            run_cell(tag, namespace)
    namespace["saved_by"] = saved_by
    return namespace


def test_the_hand_made_step_computes_the_models_loss(inline, tiny_bert):
    """Steps 1-3 of section 3: the model's loss is the cross-entropy over the labelled positions."""
    out, batch = inline["out"], inline["batch"]
    # the cell's own check, recomputed here without F.cross_entropy's ignore_index
    model = nercourse.load_model_for_training(tiny_bert).eval()
    fresh = model(**batch)
    labels = batch["labels"].view(-1)
    keep = labels != -100
    log_probabilities = torch.log_softmax(fresh.logits.view(-1, model.config.num_labels), dim=-1)
    by_hand = -log_probabilities[keep].gather(1, labels[keep].unsqueeze(1)).mean()
    torch.testing.assert_close(fresh.loss, by_hand)
    torch.testing.assert_close(inline["by_hand"].detach(), torch.tensor(inline["losses"][0]))
    assert out.logits.shape == (*batch["labels"].shape, len(nercourse.LABEL_NAMES))


def test_the_hand_made_step_moves_each_head_weight_by_the_learning_rate(inline):
    """Step 4 and Exercise 1: AdamW's first step moves the weights by about the learning rate, and
    three more steps lower the loss on the same batch."""
    assert abs(float(np.median(inline["moved"])) - 1) < 0.01
    losses = inline["losses"]
    assert len(losses) == 4 and losses[-1] < losses[0]
    assert answers.question_1().right == "b"
    assert inline["untouched_before_trainer"]


def test_inline_training_arguments_equal_the_helpers(inline):
    ours = inline["args"].to_dict()
    helpers = nercourse.training_arguments(PROFILE, str(inline["FINETUNED_DIR"])).to_dict()
    assert ours.keys() == helpers.keys()
    assert {name: ours[name] for name in ours if ours[name] != helpers[name]} == {}
    # the profile's numbers really went in (not the library's defaults)
    profile = nercourse.PROFILES[PROFILE]
    assert (ours["num_train_epochs"], ours["learning_rate"]) == (profile.epochs, profile.learning_rate)
    assert ours["train_sampling_strategy"] == "group_by_length" and ours["eval_strategy"] == "epoch"


def test_the_learners_own_trainer_trains_and_saves_the_model(inline):
    trainer, model, folder = inline["trainer"], inline["model"], inline["FINETUNED_DIR"]
    assert type(trainer) is transformers.Trainer  # the library's class, not the course's subclass
    assert trainer.model is model and trainer.compute_metrics is inline["compute_metrics"]
    assert trainer.state.global_step > 0 and any("eval_f1" in entry for entry in trainer.state.log_history)
    # Exercise 2's answer, computed before training, is what training did
    steps, warmup = answers.exercise_2(inline["args"], inline["tokenized"]["train"])
    assert steps == trainer.state.max_steps == trainer.state.global_step
    assert warmup == trainer.args.get_warmup_steps(trainer.state.max_steps) > 0

    assert inline["saved_by"] and all(saver is trainer for saver in inline["saved_by"])
    assert (folder / "config.json").is_file()
    saved = load_file(folder / "model.safetensors")
    trained = model.state_dict()
    assert saved.keys() <= trained.keys() and "classifier.weight" in saved
    assert all(torch.equal(tensor, trained[name].cpu()) for name, tensor in saved.items())
    assert inline["same"] is True  # the notebook's reload check


def test_build_trainer_makes_the_same_call(inline):
    ours = inline["trainer"]
    helper = inline["helper"]
    assert isinstance(helper, type(ours)) and type(helper).__name__ == "OrderedEvalTrainer"
    assert ours.args.to_dict() == helper.args.to_dict()
    assert ours.train_dataset is helper.train_dataset and ours.eval_dataset is helper.eval_dataset
    assert ours.processing_class is helper.processing_class
    assert ours.data_collator == helper.data_collator
    assert type(ours._get_train_sampler()) is type(helper._get_train_sampler())

    # the same scores on the same predictions, logits or the helper's argmax ids
    features = [inline["tokenized"]["validation"][i] for i in range(8)]
    labels = ours.data_collator(features)["labels"]
    logits = torch.randn(*labels.shape, len(nercourse.LABEL_NAMES), generator=torch.Generator().manual_seed(0))
    mine = ours.compute_metrics((logits.numpy(), labels.numpy()))
    ids = helper.preprocess_logits_for_metrics(logits, labels).numpy()
    theirs = helper.compute_metrics((ids, labels.numpy()))
    assert mine == {name: theirs[name] for name in mine}


def test_compute_metrics_is_word_level(inline):
    """Gold tags score 1; calling every location an organisation scores what the helper scores."""
    compute_metrics, gold = inline["compute_metrics"], inline["gold"]
    assert compute_metrics((inline["perfect"], gold)) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    label2id = {label: i for i, label in enumerate(nercourse.LABEL_NAMES)}
    pretend = np.where(gold == label2id["B-LOC"], label2id["B-ORG"], gold)
    pretend = np.where(pretend == label2id["I-LOC"], label2id["I-ORG"], pretend)
    logits = np.eye(len(nercourse.LABEL_NAMES))[np.where(pretend == -100, 0, pretend)]
    mine, helpers = compute_metrics((logits, gold)), nercourse.compute_metrics((pretend, gold))
    assert 0 < mine["f1"] < 1 and mine == {name: helpers[name] for name in mine}
    assert (gold != -100).sum() == sum(len(tokens) for tokens in inline["raw"]["validation"]["tokens"])


def test_choose_precision_follows_the_table(inline):
    choose = inline["choose_precision"]
    assert (choose("cpu"), choose("mps")) == ("fp32", "fp16")
    assert all(choose(device) == nercourse.precision_for(device) for device in ("cpu", "mps"))


@pytest.mark.parametrize(("profile", "from_environment", "loud"), [("lite", False, True), ("lite", True, False)])
def test_a_cpu_runtime_is_told_loudly_that_it_runs_lite(profile, from_environment, loud, monkeypatch, capsys):
    """The first cell after the settings says which profile runs and why; a 'lite' chosen because
    no CUDA GPU was found comes with how to get one on Colab and how to force 'full'."""
    if from_environment:
        monkeypatch.setenv("NERCOURSE_PROFILE", profile)
    else:
        monkeypatch.delenv("NERCOURSE_PROFILE", raising=False)
    namespace = {"nercourse": nercourse, "os": os, "PROFILE": profile, "MODEL": "m", "FINETUNED_DIR": "f"}
    run_cell("profile-banner", namespace)
    printed = capsys.readouterr().out
    assert nercourse.PROFILES[profile].description in printed and "2,500 training sentences, 1 epoch" in printed
    assert ("No CUDA GPU found" in printed) is loud
    assert ("T4 GPU" in printed and "NERCOURSE_PROFILE=full" in printed) is loud
