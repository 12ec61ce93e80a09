"""What every benchmark records next to its numbers: the machine, the library versions, the command
line (with local folders named, not spelled out), the date, the precision and the load average."""

from __future__ import annotations

import datetime
import json
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "notebooks"))  # the helper package, uninstalled


def cpu_name() -> str:
    """The CPU's model name (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    """Date, device, CPU, precision the course picks here, and the versions of Python and the libraries."""
    import torch

    import nercourse

    cuda = torch.cuda.is_available()
    return {
        "date": datetime.date.today().isoformat(),
        "device": torch.cuda.get_device_name() if cuda else f"CPU {cpu_name()}",
        "cuda_capability": ".".join(map(str, torch.cuda.get_device_capability())) if cuda else None,
        "cpu": cpu_name(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "precision": nercourse.mixed_precision(),
        **nercourse.versions(),
    }


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages: on a shared CPU they say how much else was running."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:  # not on every platform
        return None


def command_line(placeholders: Mapping[str, str | None] = {}) -> str:  # noqa: B006 (read only)
    """This process's command line, each local folder in ``placeholders`` (name -> path) written as
    its name, so that the record says what was run without the paths of one machine."""
    folders = {name: str(path).rstrip("/") for name, path in placeholders.items() if path}
    arguments = []
    for argument in sys.argv:
        for name, folder in folders.items():
            if argument == folder or argument.startswith(folder + "/"):
                argument = name + argument[len(folder) :]
                break
        arguments.append(argument)
    script = Path(arguments[0])
    arguments[0] = f"benchmarks/{script.name}" if script.suffix == ".py" else arguments[0]
    return shlex.join(["python", *arguments])


def record(placeholders: Mapping[str, str | None] = {}) -> dict:  # noqa: B006 (read only)
    """The header of every result file: machine, command line and the load average now (before the run)."""
    return {"machine": machine(), "command": command_line(placeholders), "load_average_before": load_average()}


def finish(result: dict) -> dict:
    """Add the load average after the run to a result that :func:`record` started."""
    result["load_average_after"] = load_average()
    return result


def model_summary(model_path: str) -> dict:
    """What a record says about a model instead of its local path: architecture and size."""
    from transformers import AutoConfig

    config = AutoConfig.from_pretrained(model_path)
    return {
        "type": config.model_type,
        "layers": config.num_hidden_layers,
        "hidden": config.hidden_size,
        "vocab": config.vocab_size,
    }


def synchronize() -> None:
    """Wait for the GPU to finish, so that a timer measures the work and not its launch."""
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """Seconds one call of ``function`` takes (GPU work included), and what it returned."""
    synchronize()
    started = time.perf_counter()
    value = function()
    synchronize()
    return time.perf_counter() - started, value


def median(values: list[float]) -> float:
    return statistics.median(values)


def write_json(path: str | os.PathLike | None, result: dict, echo: bool = True) -> None:
    text = json.dumps(result, indent=2)
    if echo:
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
