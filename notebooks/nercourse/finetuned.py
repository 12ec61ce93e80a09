"""Find "the fine-tuned model" for notebooks 04-08 and the CLI, wherever the learner runs them.

Taught in notebook 04 and used by 05, 06, 07, their solutions and ``python -m nercourse evaluate|predict``.
On Google Colab every notebook gets a fresh runtime, so the folder notebook 03 saved is usually not
there when notebook 04 starts. One resolver tries, in this order, and prints what it tried:

1. what the settings name (``NERCOURSE_FINETUNED`` or the notebook's parameter): a folder or a Hub id;
2. the folder notebook 03 saves, ``models/bert-ner`` in the working directory;
3. on Colab with Google Drive mounted, the copy notebook 03 saved there (``SAVE_TO_DRIVE``); with
   ``mount_drive=True`` (the notebooks' ``MOUNT_DRIVE`` setting) the resolver mounts Drive first;
4. otherwise a choice, not a dead end (``if_missing``):
   ``"public"`` a public CoNLL-2003 model from the Hub (``dslim/bert-base-NER``; its labels are in
   another order, which the course maps by name), ``"train"`` fine-tune one now with this machine's
   profile, ``"auto"`` (the default) the public model when the Hub can be reached, else train now,
   or ``"error"`` stop with the choices spelled out (the CLI's default: it never trains on its own).

A model that is not the learner's own comes with a banner in the output: whose model it is, why, and how
to use theirs (:func:`not_yours_banner`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import training
from .environment import in_colab, select_device
from .errors import NerCourseError
from .hub import hub_offline_mode, hub_unreachable_reason
from .settings import DEFAULT_MODEL, FINETUNED_ENV, IF_MISSING_ENV, MODEL_ENV, looks_like_hub_id
from .tiny import tiny_ner_model
from .training import default_profile, get_profile

NOTEBOOK_DIR = "models/bert-ner"
"""Where notebook 03 saves the fine-tuned model, relative to the notebook's working directory."""
DRIVE_ROOT = "/content/drive"
DRIVE_DIR = "/content/drive/MyDrive/nercourse/bert-ner"
"""Where notebook 03's opt-in cell saves a copy on Google Drive (Colab)."""
PUBLIC_MODEL = "dslim/bert-base-NER"
"""A public bert-base-cased fine-tuned on CoNLL-2003 (labels O, B-MISC, I-MISC, B-PER, ...)."""
CHOICES = ("auto", "public", "train", "error")

MEASURED_TRAINING = {
    ("lite", "cpu"): "about 8 minutes for a bert-base-sized model on a 2-core CPU (measured)",
    ("smoke", "cpu"): "seconds with the course's tiny model (measured)",
}
"""Training times the course has measured, shown before training starts (benchmarks/RESULTS.md)."""


@dataclass(frozen=True)
class FinetunedModel:
    """Where the fine-tuned model comes from: ``name_or_path`` is what ``NerTagger.from_pretrained`` takes."""

    name_or_path: str
    source: str  # "setting", "notebook 03", "drive", "public", "trained now"
    tried: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name_or_path

    @property
    def is_local(self) -> bool:
        return Path(self.name_or_path).is_dir()


def is_model_folder(path: str | os.PathLike) -> bool:
    """A folder that holds a saved model (``config.json``), as ``trainer.save_model`` writes it."""
    return (Path(path).expanduser() / "config.json").is_file()


def training_plan(profile: str, device: str, train_sentences: int | None = None) -> str:
    """One sentence on what training now costs: optimizer steps, and a measured time where there is one."""
    spec = get_profile(profile)
    sentences = min(filter(None, [spec.max_train_sentences, train_sentences]), default=None)
    if sentences is None:
        steps = f"{spec.epochs:g} epochs over the whole training split, batch {spec.train_batch_size}"
    else:
        steps = f"{math.ceil(sentences / spec.train_batch_size) * spec.epochs:,.0f} optimizer steps"
    timing = MEASURED_TRAINING.get((profile, device), "not measured on this kind of machine yet")
    return f"profile {profile!r} on {device}: {steps}; {timing}"


def resolve_finetuned(
    setting: str | os.PathLike | None = None,
    *,
    if_missing: str | None = None,
    mount_drive: bool = False,
    notebook_dir: str | os.PathLike = NOTEBOOK_DIR,
    drive_dir: str | os.PathLike = DRIVE_DIR,
    drive_root: str | os.PathLike = DRIVE_ROOT,
    extra_dirs: Sequence[str | os.PathLike] = (),
    model_name: str | None = None,
    data_dir: str | None = None,
    profile: str | None = None,
    hub_reachable: Callable[[], bool] | None = None,
    train: Callable[..., object] | None = None,
    log: Callable[[str], None] | None = print,
) -> FinetunedModel:
    """Find the fine-tuned model (see the module docstring for the order) and say which one is used.

    ``setting`` defaults to ``$NERCOURSE_FINETUNED``; ``if_missing`` to ``$NERCOURSE_IF_NO_MODEL``,
    else ``"auto"``. For ``"train"``, ``model_name``, ``data_dir`` and ``profile`` default to the
    notebooks' settings (``NERCOURSE_MODEL``, ``NERCOURSE_DATA_DIR``, the machine's profile), and the
    model is saved to ``notebook_dir`` so that the next notebook on this runtime finds it.
    ``mount_drive=True`` mounts Google Drive at ``drive_root`` first when on Colab and not mounted yet (it asks
    for access); elsewhere it is ignored, with a line that says so. ``hub_reachable`` and ``train`` can be
    replaced (tests do).
    """
    say = log or (lambda message: None)
    tried: list[str] = []
    on_colab = in_colab()
    if mount_drive and not on_colab:
        tried.append("MOUNT_DRIVE = True is ignored here: Google Drive can be mounted on Google Colab only")
    elif mount_drive and not Path(drive_root).is_dir():
        from google.colab import drive

        tried.append(f"MOUNT_DRIVE = True: mounting Google Drive at {drive_root} first")
        drive.mount(os.fspath(drive_root))  # asks the learner to allow access

    def found(name_or_path: str, source: str, why: str) -> FinetunedModel:
        tried.append(f"-> {why}")
        for line in tried:
            say(line)
        return FinetunedModel(str(name_or_path), source, tuple(tried))

    setting = os.fspath(setting) if setting is not None else os.environ.get(FINETUNED_ENV) or None
    if setting:
        if is_model_folder(setting):
            return found(
                str(Path(setting).expanduser()), "setting", f"using the model folder {setting} (from the settings)"
            )
        if Path(setting).expanduser().exists():
            raise NerCourseError(
                f"The fine-tuned model {setting!r} (from the settings) is a folder without config.json.\n"
                "  How to fix: point it at the folder notebook 03 saved (it holds config.json, model.safetensors "
                "and tokenizer.json), or at a Hub id such as 'dslim/bert-base-NER'."
            )
        if looks_like_hub_id(setting):
            return found(setting, "setting", f"using {setting} from the Hugging Face Hub (from the settings)")
        raise NerCourseError(
            f"The fine-tuned model {setting!r} (from the settings) is neither a folder here (working directory "
            f"{os.getcwd()}) nor a Hub id of the form owner/name.\n"
            f"  How to fix: check the path, or unset {FINETUNED_ENV} to let the course look for one."
        )
    tried.append(f"1. settings ({FINETUNED_ENV}): not set")

    for candidate in [notebook_dir, *extra_dirs]:
        if is_model_folder(candidate):
            return found(str(candidate), "notebook 03", f"using {candidate}, the model notebook 03 saved")
    looked = ", ".join(str(Path(d)) for d in [notebook_dir, *extra_dirs])
    tried.append(f"2. the folder notebook 03 saves ({looked}, from {os.getcwd()}): not there")

    why = [f"no model folder from notebook 03 here ({looked}, from {os.getcwd()})"]
    if Path(drive_root).is_dir():
        if is_model_folder(drive_dir):
            return found(str(drive_dir), "drive", f"using {drive_dir}, the copy notebook 03 saved on Google Drive")
        tried.append(f"3. Google Drive: mounted, but {drive_dir} holds no model")
        why.append(f"Google Drive is mounted, but {drive_dir} holds no copy")
    elif on_colab:
        tried.append(
            "3. Google Drive: not mounted (if notebook 03 saved a copy there with SAVE_TO_DRIVE: set "
            "MOUNT_DRIVE = True in the settings cell and run it and this cell again)"
        )
        why.append("Google Drive is not mounted")
    else:
        tried.append("3. Google Drive: not mounted (Google Colab only)")

    choice = (if_missing or os.environ.get(IF_MISSING_ENV) or "auto").strip().lower()
    if choice not in CHOICES:
        raise NerCourseError(f"if_missing={choice!r} is not a choice.\n  How to fix: use one of {', '.join(CHOICES)}.")
    if choice == "auto":
        reachable = (hub_reachable or _hub_reachable)()
        choice = "public" if reachable else "train"
        hub = f"the Hub is {'reachable' if reachable else 'not reachable'}"
        tried.append(f"4. no fine-tuned model found; {hub}: {choice}")
        why.append(f"{hub}, so IF_NO_MODEL 'auto' chose {'the public model' if reachable else 'to train one now'}")
    else:
        why.append(f"IF_NO_MODEL is {choice!r}")
    if choice == "public":
        model = found(PUBLIC_MODEL, "public", f"using the public CoNLL-2003 model {PUBLIC_MODEL} from the Hub")
        say(not_yours_banner("public", why, notebook_dir))
        return model
    if choice == "error":
        for line in tried:
            say(line)
        raise NerCourseError(
            "No fine-tuned model found.\n  How to fix, any one of:\n"
            f"  - train one: python -m nercourse train --output-dir {notebook_dir} (or run notebook 03);\n"
            f"  - name one: set {FINETUNED_ENV} (or pass --model) to a model folder or a Hub id;\n"
            f"  - use a public CoNLL-2003 model: --model {PUBLIC_MODEL} (needs the Hub)."
        )
    model = _train_now(found, tried, notebook_dir, model_name, data_dir, profile, train, say)
    say(not_yours_banner("trained now", why, notebook_dir))
    return model


def not_yours_banner(source: str, why: Sequence[str], notebook_dir: str | os.PathLike = NOTEBOOK_DIR) -> str:
    """What the cell output says when the model is not the learner's own: a framed warning for a public model
    (``source="public"``), a milder note for one trained just now (``"trained now"``); why, and how to use theirs."""
    how = [
        f"  - run notebook 03 on this runtime first (it saves {notebook_dir}), then this notebook again;",
        "  - on Google Colab: set SAVE_TO_DRIVE = True in notebook 03 and MOUNT_DRIVE = True here;",
        f"  - set FINETUNED (or {FINETUNED_ENV}) to your model's folder or Hub id.",
    ]
    reasons = [f"  - {reason}{'.' if i == len(why) - 1 else ';'}" for i, reason in enumerate(why)]
    if source == "public":
        rule = "=" * 100
        lines = [
            rule,
            f"THIS IS NOT THE MODEL YOU TRAINED: this notebook uses {PUBLIC_MODEL}, a bert-base-cased that someone",
            "else fine-tuned on CoNLL-2003 (its scores are not yours). Why:",
            *reasons,
            "To use yours, any one of:",
            *how,
            rule,
        ]
    else:
        lines = [
            "Note: this is a quick model trained just now with this machine's profile, not the model you trained in "
            "notebook 03. Why:",
            *reasons,
            "To use yours instead, any one of:",
            *how,
        ]
    return "\n".join(lines)


def _hub_reachable() -> bool:
    return not hub_offline_mode() and hub_unreachable_reason() is None


def _train_now(found, tried, output_dir, model_name, data_dir, profile, train, say) -> FinetunedModel:
    model_name = model_name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    profile = profile or default_profile()
    tried.append(f"   training {model_name} now into {output_dir}: {training_plan(profile, select_device())}")
    for line in tried:
        say(line)
    tried.clear()
    train = train or training.train
    train(model_name, str(output_dir), data_dir=data_dir, profile=profile)
    return found(str(output_dir), "trained now", f"using {output_dir}, trained just now")


def welcome_model(profile: str | None = None) -> str:
    """The model notebook 00's first cell hands to ``pipeline("token-classification", model=...)``.

    With the Hugging Face Hub reachable and a profile other than ``smoke``: the Hub id of a public
    BERT-base fine-tuned on CoNLL-2003 (:data:`PUBLIC_MODEL`). Offline, in smoke mode
    and in CI: the folder of :func:`nercourse.tiny.tiny_ner_model`, built on first use. Prints which, and why.
    ``profile`` defaults to ``nercourse.default_profile()``.
    """
    if profile is None:
        profile = default_profile()
    reason = "the smoke profile" if profile == "smoke" else hub_unreachable_reason()
    if reason is None:
        print(f"WELCOME_MODEL: {PUBLIC_MODEL}, a BERT-base fine-tuned on CoNLL-2003, from the Hugging Face Hub.")
        return PUBLIC_MODEL
    folder = tiny_ner_model()
    print(
        f"WELCOME_MODEL: a tiny BERT the course trained in seconds on its small synthetic corpus, not {PUBLIC_MODEL} "
        f"from the Hub ({reason}). It finds names like those it saw in training; expect rough tags elsewhere."
    )
    return folder
