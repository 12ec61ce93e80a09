"""nercourse.environment: what the notebooks print about the machine."""

from __future__ import annotations

import nercourse
from nercourse import environment


def test_versions_and_summary():
    found = environment.versions()
    assert {"python", "torch", "transformers", "datasets", "seqeval"} <= set(found)
    assert found["transformers"].startswith("5.")
    text = environment.summary()
    assert "transformers" in text and "training precision: fp32" in text  # tests run on a CPU
    assert environment.device_report()["device"].startswith("CPU")


def test_not_colab_here():
    assert not nercourse.in_colab()


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
