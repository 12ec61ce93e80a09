"""The Hugging Face Hub: is it reachable (answered in about a second), and the pinned data copies on it.

Without the check `datasets` and `transformers` retry an unreachable Hub for tens of seconds and
then fail deep inside a library. Taught in notebook 01 (CoNLL-2003's pinned parquet copy, which
:func:`load_from_hub` loads and :func:`hub_course_split` shapes as a course split); notebook 03
(models) and notebook 04 (CoNLL++) rely on it too.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from urllib.parse import urlparse

from .conll import conll_features
from .documents import guess_document_ids
from .errors import NerCourseError

_TRUE = {"1", "true", "yes", "on"}
_PROXIED_SCHEMES = ("https", "http", "all")  # getproxies() keys: *_PROXY variables, or the system settings


def hub_offline_mode() -> bool:
    """True when the learner asked for offline mode (``HF_HUB_OFFLINE=1``): use the cache only."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


def hub_unreachable_reason(timeout: float = 3.0) -> str | None:
    """Why the Hub cannot be reached, or None when a connection to it opens.

    Behind a proxy a direct connection says nothing, so the check is skipped there.
    """
    if hub_offline_mode():
        return "offline mode is on (HF_HUB_OFFLINE=1)"
    from urllib.request import getproxies  # here, not at the top: it loads ssl, a tenth of a second

    if any(getproxies().get(scheme) for scheme in _PROXIED_SCHEMES):
        return None
    url = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host, port = url.hostname or "huggingface.co", url.port or (443 if url.scheme != "http" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"no connection to {host}:{port} ({exc.__class__.__name__}: {exc})"


def require_hub(what: str, local_fix: str) -> None:
    """Raise a :class:`NerCourseError` at once when ``what`` would need an unreachable Hub.

    In offline mode the caller goes on: the files may be in the local cache.
    """
    if hub_offline_mode():
        return
    reason = hub_unreachable_reason()
    if reason is not None:
        raise NerCourseError(
            f"Cannot download {what} from the Hugging Face Hub: {reason}.\n"
            f"  How to fix: {local_fix}\n"
            "  If you downloaded it before, set HF_HUB_OFFLINE=1 to use your local cache."
        )


def load_from_hub(what: str, dataset: str, local_fix: str, **load_arguments):
    """``datasets.load_dataset(dataset, **load_arguments)``, failing fast with a fix-it message when the
    Hub cannot be reached (:func:`nercourse.hub.require_hub`) or the download fails; ``what`` names the
    data in that message, ``local_fix`` says how to use a local copy instead."""
    from datasets import load_dataset

    require_hub(what, local_fix)
    try:
        return load_dataset(dataset, **load_arguments)
    except (ConnectionError, OSError) as exc:
        raise NerCourseError(f"Could not load {dataset} from the Hub ({exc}).\n  How to fix: {local_fix}") from None


def hub_course_split(part, label_names: Sequence[str], source: str):
    """A split of a Hub parquet export of CoNLL-2003 (or of CoNLL++, the same sentences) as a course
    split: its ``id``, ``tokens`` and ``ner_tags``, label names checked when the export keeps them, the
    ``document`` column guessed from the datelines (the exports dropped the ``-DOCSTART-`` lines), and
    cast to :func:`conll_features` (an export may store plain ints)."""
    part = part.select_columns(["id", "tokens", "ner_tags"])
    names = getattr(getattr(part.features["ner_tags"], "feature", None), "names", None)
    if names is not None and list(names) != list(label_names):
        raise NerCourseError(f"{source} has label names {names}, expected {list(label_names)}.")
    part = part.add_column("document", guess_document_ids(list(part["tokens"])))
    return part.cast(conll_features(label_names))
