"""What the notebooks run on: versions, the device (CUDA, Apple MPS or CPU) and its precision, Colab.

Taught in notebook 00. Every notebook starts with the same settings: a model, a data folder and a
profile, read from environment variables so tests and the CLI can set them, with the course's
real defaults otherwise.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys

from .errors import NerCourseError
from .settings import DEVICE_ENV

PACKAGES = ("torch", "transformers", "datasets", "tokenizers", "accelerate", "seqeval", "matplotlib")


def in_colab() -> bool:
    """True inside Google Colab."""
    return "google.colab" in sys.modules or os.path.isdir("/content") and "COLAB_RELEASE_TAG" in os.environ


def versions() -> dict[str, str]:
    """Installed versions of the packages the course uses ("missing" when absent)."""
    found = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


DEVICES = ("cuda", "mps", "cpu")


def select_device() -> str:
    """The device the course trains and predicts on: ``"cuda"``, else ``"mps"`` (Apple Silicon), else ``"cpu"``.

    ``NERCOURSE_DEVICE`` overrides the choice (e.g. ``cpu`` to compare, or when a Mac's GPU misbehaves);
    asking for a device this machine does not have is an error, not a silent fallback.
    """
    import torch

    available = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available(), "cpu": True}
    wanted = os.environ.get(DEVICE_ENV, "").strip().lower()
    if wanted:
        if wanted not in DEVICES:
            raise NerCourseError(
                f"{DEVICE_ENV}={wanted!r} is not a device.\n  How to fix: use one of {', '.join(DEVICES)}, or unset it."
            )
        if not available[wanted]:
            raise NerCourseError(
                f"{DEVICE_ENV}={wanted!r}, but this machine has no {wanted} device.\n"
                f"  How to fix: unset {DEVICE_ENV} to use the best device available."
            )
        return wanted
    return next(device for device in DEVICES if available[device])


def precision_for(device: str) -> str:
    """The training and inference precision the course uses on ``device``.

    - CUDA: ``"bf16"`` from compute capability 8 (A100, L4, H100), ``"fp16"`` below (T4, V100).
      ``torch.cuda.is_bf16_supported()`` is True on a T4 because bf16 *runs* there, emulated and
      slowly, so the compute capability decides.
    - MPS: ``"fp16"``. Autocast supports float16 on MPS since torch 2.5, the gradient scaler since
      torch 2.8, and accelerate's Trainer backend accepts fp16 on MPS (the course needs torch >= 2.11,
      accelerate >= 1.14). bf16 is avoided: Metal emulates it in fp32 on M1/M2 (transformers'
      ``is_torch_bf16_gpu_available`` says so) and needs macOS 14.
    - CPU: ``"fp32"``.
    """
    if device == "cuda":
        import torch

        major, _ = torch.cuda.get_device_capability()
        return "bf16" if major >= 8 else "fp16"
    if device == "mps":
        return "fp16"
    if device == "cpu":
        return "fp32"
    raise NerCourseError(f"Unknown device {device!r}; the course knows {', '.join(DEVICES)}.")


def mixed_precision() -> str:
    """The precision for this machine's device: ``precision_for(select_device())``."""
    return precision_for(select_device())


def device_report() -> dict[str, str]:
    """The device training will use and the precision the course picks for it."""
    import torch

    device = select_device()
    if device == "cuda":
        major, minor = torch.cuda.get_device_capability()
        name = f"{torch.cuda.get_device_name()} (CUDA, compute capability {major}.{minor})"
    elif device == "mps":
        name = f"Apple GPU (MPS, {platform.machine()})"
    else:
        name = f"CPU ({os.cpu_count()} cores)"
    return {"device": name, "kind": device, "precision": precision_for(device)}


def quiet() -> None:
    """Hide library output that is noise in a class (progress bars of dataset maps and weight
    loading, load reports at warning level); errors and Trainer's own progress still show."""
    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()  # "Loading weights", "Writing model shards"


LITE_ON_A_CPU = "notebook 03 then trains on 2,500 sentences for one epoch: minutes on a CPU, F1 well below the full run"
"""What the ``lite`` profile (training.PROFILES; a test keeps the two in step) means for a learner on a CPU."""


def colab_gpu_warning() -> str | None:
    """A loud, several-line warning for a Google Colab runtime without a GPU (None anywhere else): how to switch
    to a GPU, and what staying on the CPU means for the course."""
    import torch

    if not in_colab() or torch.cuda.is_available():
        return None
    return (
        "WARNING: no GPU. This Colab runtime has no GPU, so the course runs on its CPU.\n"
        "  To switch: Runtime → Change runtime type → T4 GPU, then run this notebook again from the top\n"
        "  (the new runtime starts empty).\n"
        f'  To stay: the profile is "lite": {LITE_ON_A_CPU}.'
    )


def summary() -> str:
    """Lines for the top of a notebook: versions, device and precision; on Colab without a GPU, a warning."""
    found = versions()
    device = device_report()
    packages = ", ".join(f"{name} {version}" for name, version in found.items())
    text = f"{packages}\n{device['device']}; training precision: {device['precision']}"
    warning = colab_gpu_warning()
    return f"{text}\n\n{warning}" if warning else text
