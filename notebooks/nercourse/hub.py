"""Is the Hugging Face Hub reachable? Answered in about a second, before a download starts.

Without this check `datasets` and `transformers` retry an unreachable Hub for tens of seconds and
then fail deep inside a library. Notebook 01 (data) and notebook 03 (model) rely on it.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

from .errors import NerCourseError

_TRUE = {"1", "true", "yes", "on"}
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


def hub_offline_mode() -> bool:
    """True when the learner asked for offline mode (``HF_HUB_OFFLINE=1``): use the cache only."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


def hub_unreachable_reason(timeout: float = 3.0) -> str | None:
    """Why the Hub cannot be reached, or None when a connection to it opens.

    Behind a proxy a direct connection says nothing, so the check is skipped there.
    """
    if hub_offline_mode():
        return "offline mode is on (HF_HUB_OFFLINE=1)"
    if any(os.environ.get(name) for name in _PROXY_VARIABLES):
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
