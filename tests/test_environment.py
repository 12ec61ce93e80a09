"""nercourse.environment: what the notebooks print about the machine."""

from __future__ import annotations

import pytest
import torch

import nercourse
from nercourse import environment
from nercourse.errors import NerCourseError


def test_versions_and_summary():
    found = environment.versions()
    assert {"python", "torch", "transformers", "datasets", "seqeval"} <= set(found)
    assert found["transformers"].startswith("5.")
    text = environment.summary()
    assert "transformers" in text and "training precision: fp32" in text  # tests run on a CPU
    assert environment.device_report()["device"].startswith("CPU")


def test_not_colab_here():
    assert not nercourse.in_colab()
    assert environment.colab_gpu_warning() is None


def _colab(monkeypatch, *, cuda: bool):
    import sys
    import types

    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    _machine(monkeypatch, cuda=cuda, mps=False)


def test_a_colab_runtime_without_a_gpu_is_warned_loudly(monkeypatch):
    _colab(monkeypatch, cuda=False)
    warning = environment.colab_gpu_warning()
    assert warning.startswith("WARNING: no GPU") and len(warning.splitlines()) >= 3
    assert "Runtime → Change runtime type → T4 GPU" in warning and "from the top" in warning
    lite = nercourse.PROFILES["lite"]  # what the warning says lite means is the profile's own numbers
    assert f"{lite.max_train_sentences:,} sentences" in warning and lite.epochs == 1 and "one epoch" in warning
    assert warning in environment.summary()


def test_a_colab_runtime_with_a_gpu_is_not_warned(monkeypatch):
    _colab(monkeypatch, cuda=True)
    assert environment.colab_gpu_warning() is None
    assert "WARNING" not in environment.summary()


def test_import_is_light():
    import os
    import subprocess
    import sys
    from pathlib import Path

    notebooks = Path(__file__).resolve().parent.parent / "notebooks"

    code = "import sys, nercourse; print(sorted(m for m in ('torch', 'transformers', 'datasets') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(notebooks)),
    )
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------- device and precision


def _machine(monkeypatch, *, cuda: bool, mps: bool, capability=(7, 5)):
    monkeypatch.delenv("NERCOURSE_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *a: capability)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda *a: "Tesla T4")
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *a, **k: True)  # what a T4 claims
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)


@pytest.mark.parametrize(
    ("cuda", "mps", "device"),
    [(True, True, "cuda"), (True, False, "cuda"), (False, True, "mps"), (False, False, "cpu")],
)
def test_device_order_is_cuda_then_mps_then_cpu(monkeypatch, cuda, mps, device):
    _machine(monkeypatch, cuda=cuda, mps=mps)
    assert environment.select_device() == device
    assert environment.device_report()["kind"] == device


@pytest.mark.parametrize(
    ("capability", "expected"),
    [((7, 5), "fp16"), ((7, 0), "fp16"), ((8, 0), "bf16"), ((8, 9), "bf16"), ((9, 0), "bf16")],
)
def test_cuda_precision_follows_compute_capability_not_bf16_emulation(monkeypatch, capability, expected):
    _machine(monkeypatch, cuda=True, mps=False, capability=capability)
    assert environment.precision_for("cuda") == expected == environment.mixed_precision()


def test_apple_gpu_gets_fp16_and_cpu_fp32(monkeypatch):
    _machine(monkeypatch, cuda=False, mps=True)
    assert environment.mixed_precision() == "fp16"
    assert "MPS" in environment.device_report()["device"]
    _machine(monkeypatch, cuda=False, mps=False)
    assert environment.mixed_precision() == "fp32"


def test_the_device_can_be_forced_but_not_invented(monkeypatch):
    _machine(monkeypatch, cuda=False, mps=True)
    monkeypatch.setenv("NERCOURSE_DEVICE", "cpu")
    assert environment.select_device() == "cpu"
    monkeypatch.setenv("NERCOURSE_DEVICE", "cuda")
    with pytest.raises(NerCourseError, match="no cuda device"):
        environment.select_device()
    monkeypatch.setenv("NERCOURSE_DEVICE", "gpu")
    with pytest.raises(NerCourseError, match="cuda, mps, cpu"):
        environment.select_device()


def test_fp16_autocast_and_gradient_scaling_exist_for_mps_in_this_torch():
    """What precision_for("mps") relies on, checked against the installed torch (no Mac needed):
    autocast accepts float16 on MPS and GradScaler can be built for it."""
    assert torch.amp.is_autocast_available("mps")
    torch.amp.GradScaler("mps", enabled=False)
