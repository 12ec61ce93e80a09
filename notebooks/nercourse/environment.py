"""What the notebooks run on: versions, GPU, precision, Colab; and the settings they share.

Taught in notebook 00. Every notebook starts with the same settings: a model, a data folder and a
profile, read from environment variables so tests and the CLI can set them, with the course's
real defaults otherwise.
"""

from __future__ import annotations

import importlib.metadata
import os
import sys

REPOSITORY = "nercourse/bert-ner-course"
"""The GitHub repository (owner/name) of the course: Colab links and the Colab install cell are
generated from it by ``tools/sync_notebooks.py``. Change it here only, then run that script."""

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


def device_report() -> dict[str, str]:
    """The device training will use and the precision the course picks for it."""
    import torch

    from .training import mixed_precision

    if torch.cuda.is_available():
        major, minor = torch.cuda.get_device_capability()
        device = f"{torch.cuda.get_device_name()} (compute capability {major}.{minor})"
    else:
        device = f"CPU ({os.cpu_count()} cores)"
    return {"device": device, "precision": mixed_precision()}


def quiet() -> None:
    """Hide library output that is noise in a class (progress bars of dataset maps and weight
    loading, load reports at warning level); errors and Trainer's own progress still show."""
    import datasets
    import transformers

    datasets.disable_progress_bars()
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()  # "Loading weights", "Writing model shards"


def summary() -> str:
    """One line for the top of a notebook: versions, device and precision."""
    found = versions()
    device = device_report()
    packages = ", ".join(f"{name} {version}" for name, version in found.items())
    return f"{packages}\n{device['device']}; training precision: {device['precision']}"
