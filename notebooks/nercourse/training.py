"""Fine-tuning with ``Trainer``: profiles, mixed precision for the hardware, version-proof arguments.

Taught in notebook 03. A *profile* bundles what changes between a full GPU run (``full``), a CPU
run that finishes in minutes (``lite``) and a seconds-long check on a tiny model (``smoke``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass

from .alignment import tokenize_and_align
from .context import context_examples
from .data import VALIDATION_SHARE, load_splits
from .environment import precision_for, select_device
from .errors import NerCourseError
from .labels import LABEL_NAMES, label_names_of
from .metrics import make_compute_metrics
from .modeling import load_model_for_training, load_tokenizer
from .settings import PROFILE_ENV


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
    """``$NERCOURSE_PROFILE``, else ``full`` on a CUDA GPU and ``lite`` elsewhere (CPU, Apple MPS).

    An Apple GPU trains several times faster than its CPU but far slower than a CUDA GPU, so it keeps
    the minutes-long ``lite`` unless the learner asks for ``full``.
    """
    chosen = os.environ.get(PROFILE_ENV) or ("full" if select_device() == "cuda" else "lite")
    get_profile(chosen)
    return chosen


def get_profile(profile: str | Profile) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile not in PROFILES:
        raise NerCourseError(f"Unknown profile {profile!r}.\n  How to fix: use one of {', '.join(PROFILES)}.")
    return PROFILES[profile]


def subset(dataset_dict, profile: str | Profile, seed: int = 42):
    """The profile's share of the data: a seeded random sample of train and of validation/test."""
    indices = subset_indices(dataset_dict, profile, seed=seed)
    parts = {}
    for split, data in dataset_dict.items():
        parts[split] = data if len(indices[split]) == len(data) else data.select(indices[split])
    return type(dataset_dict)(parts)


def subset_indices(dataset_dict, profile: str | Profile, seed: int = 42) -> dict[str, list[int]]:
    """For each split, the positions of the sentences :func:`subset` keeps, in its order: the same
    seeded sample, as indices into the full split (document context takes the neighbours of these
    sentences from the full split, so that sentence-level and context runs see the same targets)."""
    from datasets import Dataset

    profile = get_profile(profile)
    limits = {"train": profile.max_train_sentences}
    indices = {}
    for split, data in dataset_dict.items():
        limit = limits.get(split, profile.max_eval_sentences)
        positions = list(range(len(data)))
        if limit is not None and limit < len(data):
            # shuffle draws its permutation from the seed and the length alone: the rows subset keeps
            positions = Dataset.from_dict({"i": positions}).shuffle(seed=seed).select(range(limit))["i"]
        indices[split] = list(positions)
    return indices


def training_arguments(
    profile: str | Profile,
    output_dir: str,
    *,
    seed: int = 42,
    precision: str | None = None,
    device: str | None = None,
    **overrides,
):
    """``TrainingArguments`` for a profile and this machine's device (CUDA, MPS or CPU); ``overrides`` win.

    What the helper adds to a hand-written ``TrainingArguments(...)``:
    the precision for the device, fused AdamW and data-loader workers on CUDA, ``use_cpu`` on a CPU
    (Trainer itself picks CUDA, then MPS), the warmup ratio written as transformers 5 wants it, and a
    clear error for arguments this transformers version does not have.
    """
    from transformers import TrainingArguments

    kwargs = training_argument_values(profile, output_dir, seed=seed, precision=precision, device=device, **overrides)
    fields = {field.name for field in dataclasses.fields(TrainingArguments)}
    unknown = sorted(set(kwargs) - fields)
    if unknown:
        raise NerCourseError(
            f"This transformers version has no TrainingArguments {unknown}.\n"
            "  How to fix: transformers 5 renamed or removed them (evaluation_strategy -> eval_strategy, "
            "warmup_ratio -> warmup_steps as a float, group_by_length -> train_sampling_strategy, "
            "no_cuda -> use_cpu)."
        )
    return TrainingArguments(**kwargs)


def training_argument_values(
    profile: str | Profile,
    output_dir: str,
    *,
    seed: int = 42,
    precision: str | None = None,
    device: str | None = None,
    **overrides,
) -> dict:
    """The keyword arguments :func:`training_arguments` passes to ``TrainingArguments``, as a dict."""
    profile = get_profile(profile)
    device = device or select_device()
    precision = precision or precision_for(device)
    cuda = device == "cuda"
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
        use_cpu=device == "cpu",  # without it Trainer would take an Apple GPU (MPS) when there is one
        optim="adamw_torch_fused" if cuda else "adamw_torch",
        dataloader_num_workers=workers,
        dataloader_persistent_workers=workers > 0,
        # Sentences of similar length in one batch: less padding, faster epochs (transformers 5 removed
        # group_by_length=True; every 5.x release the course supports has this argument).
        train_sampling_strategy="group_by_length",
    )
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        kwargs["ddp_find_unused_parameters"] = False  # BERT uses every parameter; skips a warning per step
    kwargs.update(overrides)
    return kwargs


def _trainer_class():
    from torch.utils.data import SequentialSampler
    from transformers import Trainer
    from transformers.trainer_utils import has_length

    class OrderedEvalTrainer(Trainer):
        """A Trainer whose evaluation and ``predict`` keep the dataset's order.

        With length grouping on, transformers 5 groups the *evaluation* sampler too, so
        ``trainer.predict(ds)`` would return rows shuffled; mapping them back to sentences by
        position would then score the wrong sentences. Everything else is upstream's logic.
        """

        def _get_eval_sampler(self, eval_dataset):
            if eval_dataset is None or not has_length(eval_dataset):
                return None
            return SequentialSampler(eval_dataset) if self.args.world_size <= 1 else None

    return OrderedEvalTrainer


def logits_to_label_ids(logits, labels):
    """``preprocess_logits_for_metrics`` for Trainer: keep the argmax ids, not (N, L, C) logits,
    so evaluation does not gather every logit of the split in memory."""
    if isinstance(logits, tuple):
        logits = logits[0]
    return logits.argmax(dim=-1)


def build_trainer(
    model, tokenizer, args, train_dataset=None, eval_dataset=None, label_names: Sequence[str] = LABEL_NAMES
):
    """A Trainer for token classification: dynamic padding of inputs and labels, word-level metrics."""
    from transformers import DataCollatorForTokenClassification

    half_precision = args.bf16 or args.fp16  # tensor cores work on multiples of 8
    collator = DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8 if half_precision else None)
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


def prepare_datasets(
    raw,
    tokenizer,
    *,
    all_subwords: bool = False,
    label_names: Sequence[str] = LABEL_NAMES,
    context_budget: int | None = None,
    targets: dict[str, Sequence[int]] | None = None,
):
    """Tokenize and align a DatasetDict. ``all_subwords`` applies to train only: evaluation splits
    always label first subwords alone, so their scores stay word level.

    With ``context_budget`` (subwords, [CLS] and [SEP] not counted) every example is a target
    sentence in its document context (:func:`nercourse.context_examples`): ``raw`` then holds the
    whole splits in file order and ``targets`` the indices of each split's target sentences
    (:func:`subset_indices`; default: every sentence)."""
    from datasets import DatasetDict

    if context_budget is not None:
        targets = targets or {}
        return DatasetDict(
            {
                split: context_examples(
                    data,
                    tokenizer,
                    context_budget,
                    targets=targets.get(split),
                    all_subwords=all_subwords and split == "train",
                    label_names=label_names,
                    name=split,
                )
                for split, data in raw.items()
            }
        )
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
    context_budget: int | None = None,
    validation_share: float = VALIDATION_SHARE,
    align: str = "strict",
    **overrides,
):
    """Fine-tune ``model_name`` on CoNLL-2003, or on a folder of your own, and save model + tokenizer to ``output_dir``.

    The path ``python -m nercourse train`` takes, also under ``torchrun``/``accelerate launch``.
    Returns the trainer (its ``state.log_history`` holds the curves).

    ``data_dir`` is read by :func:`nercourse.load_splits` (``validation_share`` and ``align`` are its options):
    CoNLL or JSONL files with any labels, which become the model's ``id2label``; without it, the Hub's CoNLL-2003.

    ``context_budget`` (subwords, [CLS] and [SEP] not counted) trains each sentence in its document
    context and evaluates validation the same way (:mod:`nercourse.context`): the target sentences
    are the ones the sentence-level run of the same profile and seed trains on, their context comes
    from the whole split. The budget is saved in the model's config as ``nercourse_context_budget``;
    predict with :func:`nercourse.predict_in_context` and the same budget.
    """
    from transformers import set_seed

    profile = get_profile(profile or default_profile())
    set_seed(seed)
    full = load_splits(data_dir, validation_share=validation_share, align=align)
    label_names = label_names_of(full["train"])
    tokenizer = load_tokenizer(model_name)
    if context_budget is None:
        raw = subset(full, profile, seed=seed)
        tokenized = prepare_datasets(raw, tokenizer, all_subwords=all_subwords, label_names=label_names)
    else:
        targets = subset_indices(full, profile, seed=seed)
        tokenized = prepare_datasets(
            full,
            tokenizer,
            all_subwords=all_subwords,
            label_names=label_names,
            context_budget=context_budget,
            targets=targets,
        )
    model = load_model_for_training(model_name, label_names)
    if context_budget is not None:
        model.config.nercourse_context_budget = int(context_budget)
    args = training_arguments(profile, output_dir, seed=seed, **overrides)
    trainer = build_trainer(model, tokenizer, args, tokenized["train"], tokenized["validation"], label_names)
    trainer.train()
    trainer.save_model(output_dir)  # model, config with id2label/label2id, and the tokenizer
    return trainer
