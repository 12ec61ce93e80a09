"""Load tokenizers and token-classification models, with errors a learner can act on.

Taught in notebook 03 (a pretrained encoder + a new classification head) and notebook 05
(reloading a fine-tuned model). A name is a local folder when that folder exists. Otherwise a
*pretrained* model's name is a Hub id (``bert-base-cased`` or ``owner/name``), while a *fine-tuned*
model's name is a Hub id only in the ``owner/name`` form: ``ner-model`` is a folder that is missing.
"""

from __future__ import annotations

import functools
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from .errors import NerCourseError
from .hub import require_hub
from .labels import LABEL_NAMES, label_maps, label_names_of
from .settings import DEFAULT_MODEL, MODEL_ENV, looks_like_hub_id

_GENERIC_LABEL = re.compile(r"^LABEL_\d+$")


class LabelMappingWarning(UserWarning):
    """A model's labels were mapped from the names the caller gave."""


def _looks_like_path(name_or_path: str) -> bool:
    return name_or_path.startswith((".", "/", "~")) or name_or_path.count("/") > 1 or "\\" in name_or_path


def _is_hub_id(name: str, finetuned: bool) -> bool:
    """``owner/name``; for a pretrained model also a legacy id without owner (``bert-base-cased``)."""
    return looks_like_hub_id(name) or (not finetuned and "/" not in name and not _looks_like_path(name))


def _here(name: str) -> str:
    """Where a relative folder name was looked for, for messages."""
    return "" if Path(name).expanduser().is_absolute() else f" in the working directory {os.getcwd()}"


def _missing_folder_fix(name: str, finetuned: bool) -> str:
    if finetuned:
        return (
            f"train a model into it (`python -m nercourse train --output-dir {name}`), or name the folder of a "
            "fine-tuned model (on the command line: --model FOLDER), or a Hub id of the form owner/name such as "
            "'dslim/bert-base-NER'."
        )
    return f"check the path, or give a Hub id such as {DEFAULT_MODEL!r}."


def _resolve(name_or_path: str | os.PathLike, what: str, *, finetuned: bool = False) -> str:
    """A local folder as a path string, or a Hub id after checking the Hub can be reached.

    A ``Path`` object always means a local folder. The Hub check takes about a second, where a
    download from an unreachable Hub retries for tens of seconds.
    """
    is_path = isinstance(name_or_path, os.PathLike)
    name = os.fspath(name_or_path)
    folder = Path(name).expanduser()
    if folder.is_dir():
        if what != "tokenizer" and not (folder / "config.json").is_file():
            held = sorted(item.name for item in folder.iterdir())
            holds = f"it holds {', '.join(held[:6])}{', ...' if len(held) > 6 else ''}" if held else "it is empty"
            raise NerCourseError(
                f"{name!r} has no config.json, so it holds no model ({holds}).\n"
                f"  How to fix: {_missing_folder_fix(name, finetuned)}"
            )
        return str(folder)
    if folder.exists():
        raise NerCourseError(
            f"{name!r} is a file, not a model folder.\n"
            "  How to fix: name the folder that holds config.json, model.safetensors and tokenizer.json."
        )
    if is_path or not _is_hub_id(name, finetuned):
        raise NerCourseError(
            f"Model folder {name!r} not found: there is no such folder{_here(name)}.\n"
            f"  How to fix: {_missing_folder_fix(name, finetuned)}"
        )
    require_hub(
        f"the {what} {name!r} (there is no folder of that name{_here(name)}, so it was taken as a Hub id)",
        f"{_missing_folder_fix(name, finetuned)} Or pass a local model folder (or set {MODEL_ENV} to one).",
    )
    return name


class _ClassifierMismatch(NerCourseError):
    """The weights' classifier has another number of outputs than the config has labels."""


def _load(loader, name_or_path: str, what: str, *, finetuned: bool = False, **kwargs):
    """``loader(name_or_path, **kwargs)`` with every failure explained."""
    try:
        return loader(name_or_path, **kwargs)
    except NerCourseError:
        raise
    except Exception as exc:  # transformers raises OSError, ValueError, JSON and safetensors errors here
        problem = f"{exc.__class__.__name__}: {exc}"
        if "ignore_mismatched_sizes" in str(exc):  # transformers' advice refers to a report quiet() hides
            raise _ClassifierMismatch(
                f"Could not load the {what} from {name_or_path!r}: its weights do not have as many outputs as "
                "its config.json has labels (id2label).\n"
                "  How to fix: use the config.json that was saved with these weights."
            ) from None
        if not Path(name_or_path).is_dir():
            raise NerCourseError(
                f"Could not load {name_or_path!r}: there is no folder of that name{_here(name_or_path)}, and as a "
                f"Hugging Face Hub id its {what} could not be loaded ({problem})\n"
                f"  How to fix: {_missing_folder_fix(name_or_path, finetuned)} Check the Hub id and your network; "
                "with HF_HUB_OFFLINE=1 only models already in the local cache load."
            ) from None
        raise NerCourseError(
            f"Could not load the {what} from {name_or_path!r}: {problem}\n"
            "  How to fix: the folder may be incomplete or corrupt. It needs config.json, "
            "model.safetensors and tokenizer.json, as `trainer.save_model(folder)` writes them."
        ) from None


def load_tokenizer(name_or_path: str | os.PathLike):
    """A fast (Rust) tokenizer: the course needs its ``word_ids()``."""
    return _load_tokenizer(_resolve(name_or_path, "tokenizer"))


def _load_tokenizer(name_or_path: str, *, finetuned: bool = False):
    from transformers import AutoTokenizer

    tokenizer = _load(AutoTokenizer.from_pretrained, name_or_path, "tokenizer", finetuned=finetuned)
    if len(tokenizer) < 10:  # transformers builds an empty tokenizer from a lone config.json
        raise NerCourseError(
            f"The tokenizer in {name_or_path!r} has no vocabulary ({len(tokenizer)} tokens).\n"
            "  How to fix: the folder needs tokenizer.json (or vocab.txt); save the tokenizer with the model."
        )
    if not getattr(tokenizer, "is_fast", False):
        raise NerCourseError(
            f"The tokenizer of {name_or_path!r} is not a fast tokenizer, so it has no word_ids().\n"
            "  How to fix: use a model folder that contains tokenizer.json."
        )
    return tokenizer


def load_model_for_training(name_or_path: str, label_names: Sequence[str] = LABEL_NAMES, dtype=None):
    """A pretrained encoder with a new token-classification head of ``len(label_names)`` outputs.

    The head is randomly initialised: transformers' LOAD REPORT lists it as MISSING, and the
    pretraining heads (MLM/NSP, pooler) as UNEXPECTED. Weights are loaded in float32 whatever the
    checkpoint's dtype (training with float16 master weights does not learn); mixed precision is
    the Trainer's job.
    """
    import torch
    from transformers import AutoModelForTokenClassification

    id2label, label2id = label_maps(label_names)
    name_or_path = _resolve(name_or_path, "model")
    return _load(
        AutoModelForTokenClassification.from_pretrained,
        name_or_path,
        "model",
        num_labels=len(label_names),
        id2label=id2label,
        label2id=label2id,
        dtype=dtype or torch.float32,
    )


def _no_label_names(where: str, names: Sequence[str]) -> NerCourseError:
    return NerCourseError(
        f"The model{where} has no label names: its config has only transformers' generic {list(names[:2])}... "
        "(no id2label in config.json), so its predictions cannot be turned into entity types.\n"
        "  How to fix: give the label names in the order the model was trained with. On the command line: "
        "--label-names conll2003 (the course's order, nercourse.LABEL_NAMES) or --label-names O,B-PER,I-PER,...; "
        "in Python: label_names=nercourse.LABEL_NAMES. To make it permanent, save the model with "
        "id2label/label2id in its config."
    )


def _has_generic_labels(config) -> bool:
    return all(_GENERIC_LABEL.match(str(name)) for name in config.id2label.values())


def model_label_names(model, label_names: Sequence[str] | None = None) -> list[str]:
    """The model's label names in id order, checked.

    A model saved without names has ``LABEL_0 ... LABEL_n``: with ``label_names`` (in training
    order) they are mapped with a :class:`LabelMappingWarning`; without, a clear error.
    """
    config = model.config
    names = label_names_of(model)
    if _has_generic_labels(config):
        if label_names is None:
            raise _no_label_names("", names)
        if len(label_names) != len(names):
            raise NerCourseError(
                f"The model does not have {len(label_names)} outputs, one per label name given; it has {len(names)}.\n"
                "  How to fix: give the label names the model was trained with, in training order."
            )
        warnings.warn(
            f"The model config has generic labels {names[:2]}...; using the given names {list(label_names)} "
            "in that order. Save the model with id2label to make this permanent.",
            LabelMappingWarning,
            stacklevel=2,
        )
        config.id2label, config.label2id = label_maps(label_names)
        return list(label_names)
    bad = [name for name in names if name != "O" and not re.match(r"^[BI]-.+", name)]
    if bad:
        raise NerCourseError(f"The model's labels {bad} are not IOB2 tags (O, B-X, I-X).")
    return names


def load_finetuned(name_or_path: str | os.PathLike, label_names: Sequence[str] | None = None):
    """A fine-tuned token-classification model and its tokenizer, in eval mode, labels checked.

    ``label_names`` (in training order) name the outputs of a model whose config has none. The
    weights are float32 whatever the checkpoint's dtype: mixed precision on a GPU is autocast's
    job (:class:`nercourse.NerTagger`), and float16 weights on a CPU would be slow and lossy.
    """
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification

    name_or_path = _resolve(name_or_path, "fine-tuned model", finetuned=True)
    tokenizer = _load_tokenizer(name_or_path, finetuned=True)
    load = functools.partial(
        _load,
        AutoModelForTokenClassification.from_pretrained,
        name_or_path,
        "model",
        finetuned=True,
        dtype=torch.float32,
    )
    try:
        model = load()
    except _ClassifierMismatch:
        # Without id2label in config.json transformers assumes 2 labels, and the classifier does not fit.
        config = _load(AutoConfig.from_pretrained, name_or_path, "model configuration", finetuned=True)
        if not _has_generic_labels(config):
            raise
        if label_names is None:
            raise _no_label_names(f" in {name_or_path!r}", list(config.id2label.values())) from None
        try:
            model = load(num_labels=len(label_names))
        except _ClassifierMismatch:
            raise NerCourseError(
                f"The model in {name_or_path!r} does not have {len(label_names)} outputs, one per label name given "
                f"({', '.join(label_names)}).\n"
                "  How to fix: give the label names the model was trained with, in training order."
            ) from None
    model_label_names(model, label_names)
    model.eval()
    return model, tokenizer
