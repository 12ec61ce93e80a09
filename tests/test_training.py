"""nercourse.training: precision per GPU, version-proof TrainingArguments, profiles, eval order."""

from __future__ import annotations

import os

import numpy as np
import pytest
import torch

import nercourse
from nercourse import training
from nercourse.errors import NerCourseError


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
    assert args.train_sampling_strategy == "group_by_length"


def test_precision_reaches_the_arguments(tmp_path):
    assert training.training_arguments("smoke", str(tmp_path), precision="fp16").fp16
    assert training.training_arguments("smoke", str(tmp_path), precision="bf16").bf16


def test_length_grouping_is_what_the_real_trainer_uses(finetuned_tiny, mini_corpus, tmp_path):
    """Against the real API, not a mock: the argument the helper sets makes Trainer build a
    length-grouped training sampler on this transformers version."""
    from transformers.trainer_pt_utils import LengthGroupedSampler

    tokenizer = nercourse.load_tokenizer(finetuned_tiny)
    model = nercourse.load_finetuned(finetuned_tiny)[0]
    train = training.prepare_datasets(nercourse.load_conll2003(mini_corpus), tokenizer)["train"]
    args = training.training_arguments("smoke", str(tmp_path), disable_tqdm=True)
    trainer = training.build_trainer(model, tokenizer, args, train_dataset=train, eval_dataset=train)
    assert isinstance(trainer._get_train_sampler(), LengthGroupedSampler)


@pytest.mark.parametrize("removed", ["evaluation_strategy", "group_by_length", "warmup_ratio", "no_cuda"])
def test_arguments_transformers_5_removed_are_explained(tmp_path, removed):
    with pytest.raises(NerCourseError, match=f"(?s){removed}.*How to fix"):
        training.training_arguments("smoke", str(tmp_path), **{removed: True})


@pytest.mark.parametrize(
    ("device", "precision", "use_cpu", "optim"),
    [
        ("cuda", "bf16", False, "adamw_torch_fused"),
        ("mps", "fp16", False, "adamw_torch"),
        ("cpu", "fp32", True, "adamw_torch"),
    ],
)
def test_arguments_follow_the_device(monkeypatch, tmp_path, device, precision, use_cpu, optim):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: device == "cuda")
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *a: (9, 0))
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: device == "mps")
    values = training.training_argument_values("smoke", str(tmp_path))
    assert (values["bf16"], values["fp16"]) == (precision == "bf16", precision == "fp16")
    assert values["use_cpu"] is use_cpu and values["optim"] == optim
    assert (values["dataloader_num_workers"] > 0) == (device == "cuda") or (os.cpu_count() or 1) == 1
    if device != "cuda":  # this CPU-only torch cannot build CUDA arguments; MPS and CPU ones it can
        args = training.training_arguments("smoke", str(tmp_path))
        assert (args.fp16, args.use_cpu) == (values["fp16"], use_cpu)


def test_default_profile_is_full_only_on_cuda(monkeypatch):
    monkeypatch.delenv("NERCOURSE_PROFILE", raising=False)
    monkeypatch.delenv("NERCOURSE_DEVICE", raising=False)
    for cuda, mps, expected in [(True, False, "full"), (False, True, "lite"), (False, False, "lite")]:
        monkeypatch.setattr(torch.cuda, "is_available", lambda cuda=cuda: cuda)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda mps=mps: mps)
        assert training.default_profile() == expected


def test_overrides_win(tmp_path):
    args = training.training_arguments("smoke", str(tmp_path), learning_rate=1e-5, num_train_epochs=1)
    assert args.learning_rate == 1e-5 and args.num_train_epochs == 1


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


def _returned_in_order(trainer, dataset):
    output = trainer.predict(dataset)
    rows = [tuple(row[row != -100]) for row in output.label_ids]
    expected = [tuple(label for label in labels if label != -100) for labels in dataset["labels"]]
    return rows == expected, output


def _grouped_setup(finetuned_tiny, mini_corpus, tmp_path):
    from transformers import AutoModelForTokenClassification

    tokenizer = nercourse.load_tokenizer(finetuned_tiny)
    model = AutoModelForTokenClassification.from_pretrained(finetuned_tiny)
    validation = training.prepare_datasets(nercourse.load_conll2003(mini_corpus), tokenizer)["validation"]
    args = training.training_arguments("smoke", str(tmp_path), per_device_eval_batch_size=8, disable_tqdm=True)
    assert args.train_sampling_strategy == "group_by_length"
    return model, tokenizer, validation, args


def test_predictions_keep_dataset_order_with_length_grouping(finetuned_tiny, mini_corpus, tmp_path):
    """With length grouping, transformers 5 also groups the evaluation sampler; the course's
    Trainer must keep the order, or mapping predictions back to sentences scores the wrong ones."""
    model, tokenizer, validation, args = _grouped_setup(finetuned_tiny, mini_corpus, tmp_path)
    in_order, output = _returned_in_order(
        training.build_trainer(model, tokenizer, args, eval_dataset=validation), validation
    )
    assert in_order

    # and the word-level F1 from the ordered predictions equals the one computed by position
    predictions = np.asarray(output.predictions)
    gold, predicted = nercourse.metrics.first_subword_tags(predictions, np.asarray(output.label_ids))
    by_position = nercourse.score_words(
        nercourse.gold_tags(nercourse.load_conll2003(mini_corpus)["validation"]), predicted
    )
    assert by_position["f1"] == pytest.approx(nercourse.score_words(gold, predicted)["f1"])


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,  # out of order, not broken some other way
    reason="transformers 5 (5.15 to 5.25 at least) length-groups the evaluation sampler too, so the stock "
    "Trainer returns predictions out of order. The day upstream keeps the order this test passes, and the "
    "strict xfail fails the suite (XPASS(strict)): OrderedEvalTrainer can go.",
)
def test_stock_trainer_keeps_evaluation_order(finetuned_tiny, mini_corpus, tmp_path):
    from transformers import Trainer

    model, tokenizer, validation, args = _grouped_setup(finetuned_tiny, mini_corpus, tmp_path)
    collator = training.build_trainer(model, tokenizer, args, eval_dataset=validation).data_collator
    plain = Trainer(model=model, args=args, eval_dataset=validation, processing_class=tokenizer, data_collator=collator)
    assert _returned_in_order(plain, validation)[0]
