"""nercourse.training: precision per GPU, version-proof TrainingArguments, profiles, eval order."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import nercourse
from nercourse import training
from nercourse.errors import NerCourseError


@pytest.mark.parametrize(
    ("capability", "expected"),
    [((7, 5), "fp16"), ((7, 0), "fp16"), ((8, 0), "bf16"), ((8, 9), "bf16"), ((9, 0), "bf16")],
)
def test_precision_follows_compute_capability_not_bf16_emulation(monkeypatch, capability, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *a: capability)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)  # what a T4 claims
    assert training.mixed_precision() == expected


def test_cpu_trains_in_fp32(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert training.mixed_precision() == "fp32"


@pytest.mark.parametrize("profile", sorted(training.PROFILES))
def test_arguments_for_each_profile(tmp_path, profile):
    spec = training.PROFILES[profile]
    args = training.training_arguments(profile, str(tmp_path), seed=7)
    assert args.num_train_epochs == spec.epochs and args.learning_rate == spec.learning_rate
    assert args.per_device_train_batch_size == spec.train_batch_size
    assert args.get_warmup_steps(1000) == int(spec.warmup_ratio * 1000)
    assert args.eval_strategy == "epoch" and args.save_strategy == "no"
    assert args.report_to == [] and args.seed == 7
    assert args.use_cpu and not args.bf16 and not args.fp16  # this machine has no GPU
    grouping = getattr(args, "train_sampling_strategy", None) == "group_by_length" or getattr(
        args, "group_by_length", False
    )
    assert grouping


def test_precision_reaches_the_arguments(tmp_path):
    assert training.training_arguments("smoke", str(tmp_path), precision="fp16").fp16
    assert training.training_arguments("smoke", str(tmp_path), precision="bf16").bf16


def test_older_transformers_get_group_by_length(monkeypatch, tmp_path):
    import dataclasses

    import transformers

    older = {f.name for f in dataclasses.fields(transformers.TrainingArguments)} - {"train_sampling_strategy"}
    older.add("group_by_length")
    seen = {}
    monkeypatch.setattr(transformers, "TrainingArguments", lambda **kwargs: seen.update(kwargs) or kwargs)
    monkeypatch.setattr(training, "_supported", lambda names: older & set(names))
    training.training_arguments("smoke", str(tmp_path))
    assert seen["group_by_length"] is True and "train_sampling_strategy" not in seen


def test_overrides_win_and_unknown_ones_are_explained(tmp_path):
    args = training.training_arguments("smoke", str(tmp_path), learning_rate=1e-5, num_train_epochs=1)
    assert args.learning_rate == 1e-5 and args.num_train_epochs == 1
    with pytest.raises(NerCourseError, match="evaluation_strategy"):
        training.training_arguments("smoke", str(tmp_path), evaluation_strategy="epoch")


def test_profiles_by_name_and_environment(monkeypatch):
    with pytest.raises(NerCourseError, match="full, lite, smoke"):
        training.get_profile("huge")
    monkeypatch.setenv("NERCOURSE_PROFILE", "smoke")
    assert training.default_profile() == "smoke"
    monkeypatch.delenv("NERCOURSE_PROFILE")
    assert training.default_profile() == ("full" if torch.cuda.is_available() else "lite")


def test_subset_is_seeded_and_sized(mini_corpus):
    data = nercourse.load_conll2003(mini_corpus)
    small = training.subset(data, "smoke", seed=1)
    spec = training.PROFILES["smoke"]
    assert len(small["train"]) == spec.max_train_sentences and len(small["test"]) == spec.max_eval_sentences
    assert small["train"]["tokens"] == training.subset(data, "smoke", seed=1)["train"]["tokens"]
    assert small["train"]["tokens"] != training.subset(data, "smoke", seed=2)["train"]["tokens"]
    assert len(training.subset(data, "full")["train"]) == len(data["train"])


def test_prepare_datasets_labels_all_subwords_in_train_only(tiny_bert, mini_corpus):
    tokenizer = nercourse.load_tokenizer(tiny_bert)
    data = training.subset(nercourse.load_conll2003(mini_corpus), "smoke")
    prepared = training.prepare_datasets(data, tokenizer, all_subwords=True)
    first = training.prepare_datasets(data, tokenizer, all_subwords=False)
    labelled = {s: sum(label != -100 for row in prepared[s]["labels"] for label in row) for s in prepared}
    words = {s: sum(len(t) for t in data[s]["tokens"]) for s in data}
    assert labelled["train"] > words["train"]  # every subword labelled
    assert labelled["validation"] == words["validation"] and labelled["test"] == words["test"]  # one per word
    assert prepared["validation"]["labels"] == first["validation"]["labels"]


def test_predictions_keep_dataset_order_with_length_grouping(finetuned_tiny, mini_corpus, tmp_path):
    """With length grouping, transformers 5 also groups the evaluation sampler; the course's
    Trainer must keep the order, or mapping predictions back to sentences scores the wrong ones."""
    from transformers import AutoModelForTokenClassification, Trainer

    tokenizer = nercourse.load_tokenizer(finetuned_tiny)
    model = AutoModelForTokenClassification.from_pretrained(finetuned_tiny)
    validation = training.prepare_datasets(nercourse.load_conll2003(mini_corpus), tokenizer)["validation"]
    args = training.training_arguments("smoke", str(tmp_path), per_device_eval_batch_size=8, disable_tqdm=True)
    assert "group_by_length" in (
        getattr(args, "train_sampling_strategy", ""),
        getattr(args, "group_by_length", None) and "group_by_length",
    )

    def returned_order(trainer):
        output = trainer.predict(validation)
        rows = [tuple(row[row != -100]) for row in output.label_ids]
        expected = [tuple(label for label in labels if label != -100) for labels in validation["labels"]]
        return rows == expected, output

    in_order, output = returned_order(training.build_trainer(model, tokenizer, args, eval_dataset=validation))
    assert in_order
    collator = training.build_trainer(model, tokenizer, args, eval_dataset=validation).data_collator
    plain = Trainer(model=model, args=args, eval_dataset=validation, processing_class=tokenizer, data_collator=collator)
    plain_in_order, _ = returned_order(plain)
    assert not plain_in_order  # the stock Trainer shuffles: this test would catch a regression

    # and the word-level F1 from the ordered predictions equals the one computed by position
    predictions = np.asarray(output.predictions)
    gold, predicted = nercourse.metrics.first_subword_tags(predictions, np.asarray(output.label_ids))
    by_position = nercourse.score_words(
        nercourse.evaluation.gold_tags(nercourse.load_conll2003(mini_corpus)["validation"]), predicted
    )
    assert by_position["f1"] == pytest.approx(nercourse.score_words(gold, predicted)["f1"])
