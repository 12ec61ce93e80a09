"""What every benchmark records next to its numbers: the device and the library versions."""

from __future__ import annotations

import datetime
import json
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))  # the helper package, uninstalled


def machine() -> dict:
    import torch

    import nercourse

    device = (
        torch.cuda.get_device_name()
        if torch.cuda.is_available()
        else f"CPU {platform.processor() or platform.machine()}"
    )
    return {
        "date": datetime.date.today().isoformat(),
        "device": device,
        "cpu_count": __import__("os").cpu_count(),
        "precision": nercourse.mixed_precision(),
        **nercourse.versions(),
    }


def write_json(path: str | None, result: dict) -> None:
    text = json.dumps(result, indent=2)
    print(text)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text + "\n")


def table(rows: list[dict], columns: list[str]) -> str:
    """A markdown table of ``rows`` restricted to ``columns``."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        if value and abs(value) < 0.01:
            return f"{value:g}"
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    return str(value)
