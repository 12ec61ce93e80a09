"""nercourse.hub: whether the Hub can be reached, answered at once, and skipped behind a proxy."""

from __future__ import annotations

import socket

import pytest

from nercourse import hub
from nercourse.errors import NerCourseError

PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture
def no_network(monkeypatch):
    """Online mode, no proxy, and a Hub address where nothing listens (connection refused at once)."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    for name in (*PROXY_VARIABLES, "NO_PROXY", "no_proxy", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")


def refuse_direct_connections(monkeypatch) -> None:
    def connect(*args, **kwargs):
        raise AssertionError("a direct connection was tried behind a proxy")

    monkeypatch.setattr(socket, "create_connection", connect)


def test_without_a_connection_the_reason_names_the_address(no_network, monkeypatch):
    monkeypatch.setattr("urllib.request.getproxies", dict)  # no proxy in the system settings either
    reason = hub.hub_unreachable_reason(timeout=1)
    assert reason is not None and reason.startswith("no connection to 127.0.0.1:9")
    with pytest.raises(NerCourseError, match="(?s)Cannot download the data .*no connection.*How to fix: use a folder"):
        hub.require_hub("the data", "use a folder.")


@pytest.mark.parametrize("name", PROXY_VARIABLES)
def test_behind_a_proxy_the_direct_check_is_skipped(no_network, monkeypatch, name):
    refuse_direct_connections(monkeypatch)
    monkeypatch.setenv(name, "http://proxy.example:3128")
    assert hub.hub_unreachable_reason() is None


def test_a_proxy_from_the_system_settings_counts_as_a_proxy(no_network, monkeypatch):
    # urllib.request.getproxies also reads macOS's and Windows' proxy settings, which no variable shows
    refuse_direct_connections(monkeypatch)
    monkeypatch.setattr("urllib.request.getproxies", lambda: {"https": "http://proxy.example:3128"})
    assert hub.hub_unreachable_reason() is None


def test_an_exception_list_or_an_empty_variable_is_not_a_proxy(no_network, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "localhost")  # getproxies reports it under "no"
    monkeypatch.setenv("HTTPS_PROXY", "")
    assert hub.hub_unreachable_reason(timeout=1).startswith("no connection")


def test_offline_mode_is_a_reason_and_leaves_the_cache_to_answer(no_network, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    refuse_direct_connections(monkeypatch)
    assert hub.hub_unreachable_reason() == "offline mode is on (HF_HUB_OFFLINE=1)"
    hub.require_hub("the data", "use a folder.")  # no error: the files may be in the cache
