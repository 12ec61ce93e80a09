"""Fine-tuning with ``Trainer``: profiles, mixed precision for the hardware, version-proof arguments.

Taught in notebook 03. A *profile* bundles what changes between a full GPU run (``full``), a CPU
run that finishes in minutes (``lite``) and a seconds-long check on a tiny model (``smoke``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass

from .data import LABEL_NAMES
from .errors import NerCourseError

PROFILE_ENV = "NERCOURSE_PROFILE"


@dataclass(frozen=True)
class Profile:
    """Hyperparameters and data budget of one kind of run."""

    name: str
    description: str
    epochs: float
    learning_rate: float
    train_batch_size: int
    eval_batch_size: int
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    max_train_sentences: int | None = None  # None: the whole split
    max_eval_sentences: int | None = None
    logging_steps: int = 50


PROFILES = {
    "full": Profile(
        name="full",
        description="the whole of CoNLL-2003 on a GPU; the recipe of the BERT paper (3 epochs, lr 5e-5, batch 32)",
        epochs=3,
        learning_rate=5e-5,
        train_batch_size=32,
        eval_batch_size=256,
        logging_steps=50,
    ),
    "lite": Profile(
        name="lite",
        description="a sample that fine-tunes a bert-base-sized model on a 2-core CPU in under 10 minutes",
        epochs=1,
        learning_rate=1e-4,  # one short epoch: small batches and a higher rate make the most of it
        train_batch_size=8,
        eval_batch_size=64,
        max_train_sentences=2500,
        max_eval_sentences=300,
        logging_steps=10,
    ),
    "smoke": Profile(
        name="smoke",
        description="seconds on a CPU with a tiny model: checks that every step runs (F1 about 0.3)",
        epochs=6,
        learning_rate=3e-3,
        train_batch_size=16,
        eval_batch_size=64,
        max_train_sentences=200,
        max_eval_sentences=60,
        logging_steps=5,
    ),
}


def default_profile() -> str:
    """``$NERCOURSE_PROFILE``, else ``full`` on a GPU and ``lite`` on a CPU."""
    import torch

    chosen = os.environ.get(PROFILE_ENV) or ("full" if torch.cuda.is_available() else "lite")
    get_profile(chosen)
    return chosen


def get_profile(profile: str | Profile) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile not in PROFILES:
        raise NerCourseError(f"Unknown profile {profile!r}.\n  How to fix: use one of {', '.join(PROFILES)}.")
    return PROFILES[profile]


def mixed_precision() -> str:
    """``"bf16"`` on GPUs of compute capability 8 or more (A100, L4, H100), ``"fp16"`` on older
    GPUs (T4, V100), ``"fp32"`` on CPU.

    ``torch.cuda.is_bf16_supported()`` is True on a T4 because bf16 *runs* there, emulated and
    slowly, so the compute capability decides.
    """
    import torch

    if not torch.cuda.is_available():
        return "fp32"
    major, _ = torch.cuda.get_device_capability()
    return "bf16" if major >= 8 else "fp16"


def subset(dataset_dict, profile: str | Profile, seed: int = 42):
    """The profile's share of the data: a seeded random sample of train and of validation/test."""
    profile = get_profile(profile)
    limits = {"train": profile.max_train_sentences}
    parts = {}
    for split, data in dataset_dict.items():
        limit = limits.get(split, profile.max_eval_sentences)
        if limit is not None and limit < len(data):
            data = data.shuffle(seed=seed).select(range(limit))
        parts[split] = data
    return type(dataset_dict)(parts)


def _supported(names: Sequence[str]) -> set[str]:
    from transformers import TrainingArguments

    fields = {field.name for field in dataclasses.fields(TrainingArguments)}
    return {name for name in names if name in fields}


def training_arguments(
    profile: str | Profile, output_dir: str, *, seed: int = 42, precision: str | None = None, **overrides
):
    """``TrainingArguments`` for a profile and this machine; ``overrides`` win.

    Works on transformers 5.15 to 5.23: length grouping is ``train_sampling_strategy`` where that
    exists and ``group_by_length`` before it; the warmup ratio is ``warmup_steps`` as a float.
    """
    import torch
    from transformers import TrainingArguments

    profile = get_profile(profile)
    precision = precision or mixed_precision()
    cuda = torch.cuda.is_available()
    workers = min(4, max(0, (os.cpu_count() or 1) - 1)) if cuda else 0
    kwargs = dict(
        output_dir=output_dir,
        num_train_epochs=profile.epochs,
        learning_rate=profile.learning_rate,
        per_device_train_batch_size=profile.train_batch_size,
        per_device_eval_batch_size=profile.eval_batch_size,
        weight_decay=profile.weight_decay,
        warmup_steps=profile.warmup_ratio,  # a float below 1 is a ratio of the total steps
        lr_scheduler_type="linear",
        eval_strategy="epoch",
        save_strategy="no",  # the final model is saved explicitly; checkpoints of bert-base cost 1.3 GB each
        logging_strategy="steps",
        logging_steps=profile.logging_steps,
        report_to="none",
        disable_tqdm=False,  # transformers hides the progress bar whenever its log level is above warning
        seed=seed,
        bf16=precision == "bf16",
        fp16=precision == "fp16",
        use_cpu=not cuda,
        optim="adamw_torch_fused" if cuda else "adamw_torch",
        dataloader_num_workers=workers,
        dataloader_persistent_workers=workers > 0,
    )
    # Sentences of similar length in one batch: less padding, faster epochs. transformers 5.15
    # and 5.23 call it train_sampling_strategy; some 5.x releases in between kept group_by_length.
    if _supported(["train_sampling_strategy"]):
        kwargs["train_sampling_strategy"] = "group_by_length"
    else:
        kwargs["group_by_length"] = True
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        kwargs["ddp_find_unused_parameters"] = False  # BERT uses every parameter; skips a warning per step
    kwargs.update(overrides)
    unknown = set(kwargs) - _supported(list(kwargs))
    if unknown:
        raise NerCourseError(f"This transformers version has no TrainingArguments {sorted(unknown)}.")
    return TrainingArguments(**kwargs)


def _trainer_class():
    from torch.utils.data import SequentialSampler
    from transformers import Trainer

    class OrderedEvalTrainer(Trainer):
        """A Trainer whose evaluation and ``predict`` keep the dataset's order.

        With length grouping on, transformers 5 groups the *evaluation* sampler too, so
        ``trainer.predict(ds)`` would return rows shuffled; mapping them back to sentences by
        position would then score the wrong sentences.
        """

        def _get_eval_sampler(self, eval_dataset):
            if eval_dataset is None:
                return None
            return SequentialSampler(eval_dataset) if self.args.world_size <= 1 else None

    return OrderedEvalTrainer


def build_trainer(
    model, tokenizer, args, train_dataset=None, eval_dataset=None, label_names: Sequence[str] = LABEL_NAMES
):
    """A Trainer for token classification: dynamic padding of inputs and labels, word-level metrics."""
    from transformers import DataCollatorForTokenClassification

    from .metrics import logits_to_label_ids, make_compute_metrics

    on_gpu = args.bf16 or args.fp16
    collator = DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8 if on_gpu else None)
    return _trainer_class()(
        model=model,
        args=args,
        train_dataset=train_dataset,
        eval_dataset=eval_dataset,
        processing_class=tokenizer,
        data_collator=collator,
        compute_metrics=make_compute_metrics(label_names),
        preprocess_logits_for_metrics=logits_to_label_ids,
    )


def prepare_datasets(raw, tokenizer, *, all_subwords: bool = False, label_names: Sequence[str] = LABEL_NAMES):
    """Tokenize and align a DatasetDict. ``all_subwords`` applies to train only: evaluation splits
    always label first subwords alone, so their scores stay word level."""
    from datasets import DatasetDict

    from .alignment import tokenize_and_align

    return DatasetDict(
        {
            split: tokenize_and_align(
                data, tokenizer, all_subwords=all_subwords and split == "train", label_names=label_names, name=split
            )
            for split, data in raw.items()
        }
    )


def train(
    model_name: str,
    output_dir: str,
    *,
    data_dir: str | None = None,
    profile: str | Profile | None = None,
    seed: int = 42,
    all_subwords: bool = False,
    **overrides,
):
    """Fine-tune ``model_name`` on CoNLL-2003 and save model + tokenizer to ``output_dir``.

    The path ``python -m nercourse train`` takes, also under ``torchrun``/``accelerate launch``.
    Returns the trainer (its ``state.log_history`` holds the curves).
    """
    from transformers import set_seed

    from .data import load_conll2003
    from .modeling import load_model_for_training, load_tokenizer

    profile = get_profile(profile or default_profile())
    set_seed(seed)
    raw = subset(load_conll2003(data_dir), profile, seed=seed)
    tokenizer = load_tokenizer(model_name)
    tokenized = prepare_datasets(raw, tokenizer, all_subwords=all_subwords)
    model = load_model_for_training(model_name)
    args = training_arguments(profile, output_dir, seed=seed, **overrides)
    trainer = build_trainer(model, tokenizer, args, tokenized["train"], tokenized["validation"])
    trainer.train()
    trainer.save_model(output_dir)  # model, config with id2label/label2id, and the tokenizer
    return trainer
