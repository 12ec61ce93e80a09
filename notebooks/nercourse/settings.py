"""The settings every notebook and the CLI share: the ``NERCOURSE_*`` variables and their defaults.

Taught in notebook 00 (the settings cell at the top of each notebook reads these variables, so
tests and the CLI can set them). This module imports nothing from the package: every layer above
reads its settings from here.
"""

from __future__ import annotations

DATA_DIR_ENV = "NERCOURSE_DATA_DIR"
"""Environment variable naming a local folder with train/validation/test files (unset: the Hub copy)."""
MODEL_ENV = "NERCOURSE_MODEL"
"""Environment variable naming the pretrained model the notebooks and the CLI start from."""
DEFAULT_MODEL = "bert-base-cased"
"""The pretrained model the course fine-tunes when ``NERCOURSE_MODEL`` is unset."""
PROFILE_ENV = "NERCOURSE_PROFILE"
"""Environment variable naming the training profile (full, lite or smoke; unset: chosen for the device)."""
DEVICE_ENV = "NERCOURSE_DEVICE"
"""Environment variable that forces a device ("cuda", "mps" or "cpu"); unset, the best one is chosen."""
FINETUNED_ENV = "NERCOURSE_FINETUNED"
"""Environment variable naming the fine-tuned model: a folder or a Hub id."""
IF_MISSING_ENV = "NERCOURSE_IF_NO_MODEL"
"""Environment variable with the choice when no fine-tuned model is found: auto, public, train or error."""


def looks_like_hub_id(name: str) -> bool:
    """``owner/name`` with no path syntax: how fine-tuned models are named on the Hub."""
    parts = name.split("/")
    return (
        len(parts) == 2
        and all(parts)
        and not name.startswith((".", "~", "/"))
        and "\\" not in name
        and not any(part in (".", "..") for part in parts)
    )
