"""Load tokenizers and token-classification models, with errors a learner can act on.

Taught in notebook 03 (a pretrained encoder + a new classification head) and notebook 05
(reloading a fine-tuned model). A name is a local folder when that folder exists, else a Hub id.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from .data import LABEL_NAMES
from .errors import NerCourseError
from .hub import require_hub

MODEL_ENV = "NERCOURSE_MODEL"
"""Environment variable naming the model the notebooks and the CLI start from."""
DEFAULT_MODEL = "bert-base-cased"

_GENERIC_LABEL = re.compile(r"^LABEL_\d+$")


class LabelMappingWarning(UserWarning):
    """A model's labels were mapped from the names the caller gave."""


def _is_local(name_or_path: str) -> bool:
    return Path(name_or_path).expanduser().is_dir()


def _looks_like_path(name_or_path: str) -> bool:
    return name_or_path.startswith((".", "/", "~")) or name_or_path.count("/") > 1 or "\\" in name_or_path


def _resolve(name_or_path: str, what: str) -> str:
    """A local folder as a path string, or a Hub id after checking the Hub can be reached.

    A ``Path`` object always means a local folder.
    """
    is_path = isinstance(name_or_path, os.PathLike)
    name_or_path = os.fspath(name_or_path)
    if _is_local(name_or_path):
        return str(Path(name_or_path).expanduser())
    if is_path or _looks_like_path(name_or_path):
        raise NerCourseError(
            f"Model folder {name_or_path!r} does not exist.\n"
            "  How to fix: check the path; train a model into it with "
            f"`python -m nercourse train --output-dir {name_or_path}`, or give a Hub id such as {DEFAULT_MODEL!r}."
        )
    require_hub(
        f"the {what} {name_or_path!r}",
        f"pass a local model folder instead (or set {MODEL_ENV} to one).",
    )
    return name_or_path


def _load(loader, name_or_path: str, what: str, **kwargs):
    try:
        return loader(name_or_path, **kwargs)
    except NerCourseError:
        raise
    except Exception as exc:  # transformers raises OSError, ValueError, JSON and safetensors errors here
        raise NerCourseError(
            f"Could not load the {what} from {name_or_path!r}: {exc.__class__.__name__}: {exc}\n"
            "  How to fix: the folder may be incomplete or corrupt. It needs config.json, "
            "model.safetensors and tokenizer.json, as `trainer.save_model(folder)` writes them."
        ) from None


def load_tokenizer(name_or_path: str):
    """A fast (Rust) tokenizer: the course needs its ``word_ids()``."""
    from transformers import AutoTokenizer

    name_or_path = _resolve(name_or_path, "tokenizer")
    tokenizer = _load(AutoTokenizer.from_pretrained, name_or_path, "tokenizer")
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


def label_maps(label_names: Sequence[str] = LABEL_NAMES) -> tuple[dict[int, str], dict[str, int]]:
    """``id2label`` and ``label2id`` for a model config."""
    id2label = dict(enumerate(label_names))
    return id2label, {name: i for i, name in id2label.items()}


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


def model_label_names(model, label_names: Sequence[str] | None = None) -> list[str]:
    """The model's label names in id order, checked.

    A model saved without names has ``LABEL_0 ... LABEL_n``: with ``label_names`` (in training
    order) they are mapped with a :class:`LabelMappingWarning`; without, a clear error.
    """
    config = model.config
    names = [config.id2label[i] for i in range(config.num_labels)]
    if all(_GENERIC_LABEL.match(name) for name in names):
        if label_names is None:
            raise NerCourseError(
                f"This model has no label names (its config says {names[:3]}...), so its "
                "predictions cannot be turned into entity types.\n"
                "  How to fix: pass label_names=[...] in the order used for training (the course's is "
                "nercourse.LABEL_NAMES), or retrain with id2label/label2id in the config."
            )
        if len(label_names) != len(names):
            raise NerCourseError(f"The model has {len(names)} outputs but {len(label_names)} label names were given.")
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


def load_finetuned(name_or_path: str, label_names: Sequence[str] | None = None):
    """A fine-tuned token-classification model and its tokenizer, in eval mode, labels checked."""
    from transformers import AutoModelForTokenClassification

    tokenizer = load_tokenizer(name_or_path)
    model = _load(AutoModelForTokenClassification.from_pretrained, _resolve(name_or_path, "model"), "model")
    model_label_names(model, label_names)
    model.eval()
    return model, tokenizer
