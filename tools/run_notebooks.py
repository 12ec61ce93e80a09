"""Run the whole course, notebook by notebook, each from a fresh kernel in a fresh folder, and time it.

Executes notebooks/NN_*.ipynb (00-08 and any later one) and their solutions (notebooks/solutions/)
top to bottom with nbclient, the way a learner meets them on a new runtime: each notebook starts a new
kernel whose working directory is a new, empty folder, so notebooks 04-08 find no model that notebook
03 saved and must find or train one themselves (their resolver; notebook 04 teaches it). For every
notebook it records the wall time (kernel start included), ok or the failing cell's traceback, the
peak GPU memory (``torch.cuda.max_memory_allocated`` read inside the kernel after the last cell;
None on a CPU) and the key figures the notebook computes (03: training time, samples/s, dev F1;
04: test F1; 06: sentences/s), then writes one JSON file (machine, versions, command line, date) and
prints a Markdown table. The notebooks on disk are never changed: the probe cell exists in memory only.

Modes:

- ``--mode smoke``: the course's tiny BERT (built into a temporary folder), its mini corpus and the
  ``smoke`` profile: every code path, CUDA ones included on a GPU, in seconds per notebook. CI runs
  the same thing through tests/test_notebooks.py.
- ``--mode real --model MODEL --data-dir FOLDER``: a real pretrained model (a folder or, with
  ``--online``, a Hub id) on CoNLL-2003 files with the ``full`` profile (``--profile lite`` on a CPU).
  Notebooks 04-08 then each train their own model with that profile, as on a fresh Colab runtime;
  ``--finetuned FOLDER`` hands them one instead (notebook 03 then saves into that folder).

On any machine, from the repository root, in an environment with requirements-dev.txt installed::

    python tools/run_notebooks.py --mode smoke --json smoke.json
    python tools/run_notebooks.py --mode real --model PRETRAINED --data-dir CONLL_FOLDER --profile lite --only 03,04

On a Colab GPU runtime (Runtime > Change runtime type > GPU), in a code cell; the clone address is the
course's repository, the one its README's Colab badges open::

    !git clone --depth 1 https://github.com/OWNER/NAME course
    %cd course
    !pip install -q seqeval nbclient ipykernel
    !python tools/run_notebooks.py --mode smoke --json smoke.json
    !python tools/run_notebooks.py --mode real --model bert-base-cased --online --no-solutions --json full.json

(``--online`` lets the notebooks download bert-base-cased and the Hub copy of CoNLL-2003.)
Add ``--installed`` when the helper package is pip-installed and should be imported from there
instead of from notebooks/.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"

PROBE_MARKER = "NERCOURSE-PROBE "
"""Prefix of the line the probe cell prints; the JSON after it is the probe's result."""

KEY_FIGURES: dict[str, dict[str, str]] = {
    "03": {
        "train_seconds": "[e for e in trainer.state.log_history if 'train_runtime' in e][-1]['train_runtime']",
        "train_samples_per_second": (
            "[e for e in trainer.state.log_history if 'train_samples_per_second' in e][-1]['train_samples_per_second']"
        ),
        "dev_f1": "[e['eval_f1'] for e in trainer.state.log_history if 'eval_f1' in e][-1]",
    },
    "04": {"dev_f1": "scores['f1']", "test_f1": "test_scores['f1']"},
    "06": {
        "sentences_per_second": "len(speed_sentences) / timings['NerTagger.predict_words']",
        "pipeline_batched_sentences_per_second": "len(speed_sentences) / timings['pipeline, batch_size=64']",
    },
}
"""Per notebook number: figure name -> a Python expression over the notebook's own variables, read
by the probe cell after the last cell (notebook 03 trains ``trainer``, 04 scores ``test_scores``, 06
times ``timings``). The same names are looked up in the solutions; a missing one is recorded as None
with a note, so a renamed variable shows up in the report instead of breaking the run."""

CONTEXT_FIGURES = {"profile": "PROFILE", "model_source": "FINETUNED_MODEL.source"}
"""Read, without a note when absent, in every notebook that has them: the profile it ran with and
where 04-08 got their fine-tuned model ("setting", "notebook 03", "trained now", ...)."""

FIGURE_LABELS = {
    "train_seconds": ("train", "{:.1f} s"),
    "train_samples_per_second": ("", "{:.1f} samples/s"),
    "dev_f1": ("dev F1", "{:.4f}"),
    "test_f1": ("test F1", "{:.4f}"),
    "sentences_per_second": ("NerTagger", "{:.1f} sentences/s"),
    "pipeline_batched_sentences_per_second": ("pipeline batched", "{:.1f} sentences/s"),
    "model_source": ("model", "{}"),
}

SETTINGS = ("NERCOURSE_MODEL", "NERCOURSE_DATA_DIR", "NERCOURSE_PROFILE", "NERCOURSE_FINETUNED", "NERCOURSE_OUTPUT_DIR")
"""The environment variables the notebooks' parameters cells read (plus NERCOURSE_IF_NO_MODEL)."""
IF_NO_MODEL = "NERCOURSE_IF_NO_MODEL"


def notebook_paths(only: Iterable[str] | None = None, solutions: bool = True, root: Path = ROOT) -> list[Path]:
    """The course's notebooks in order, then their solutions; ``only`` keeps the numbers given ("00", "4")."""
    wanted = {f"{int(number):02d}" for number in only} if only else None
    found = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if solutions:
        found += sorted((root / "notebooks" / "solutions").glob("[0-9][0-9]_*.ipynb"))
    return [path for path in found if wanted is None or path.name[:2] in wanted]


def display_name(path: Path) -> str:
    """``04_evaluation.ipynb`` or ``solutions/04_evaluation_solutions.ipynb``."""
    return f"{path.parent.name}/{path.name}" if path.parent.name == "solutions" else path.name


def notebook_environment(
    *,
    model: str | None,
    data_dir: str | os.PathLike | None,
    profile: str | None,
    finetuned: str | os.PathLike | None = None,
    output_dir: str | os.PathLike | None = None,
    if_no_model: str = "train",
    installed: bool = False,
    online: bool = False,
    base: dict[str, str] | None = None,
) -> dict[str, str]:
    """The environment a notebook's kernel gets: ``base`` (default: this process's) with the course's settings.

    A setting given as None is removed, not inherited: by default NERCOURSE_FINETUNED is unset, so
    notebooks 04-08 stand on their own. ``if_no_model="train"`` makes their resolver train a model
    with the profile when none is found, without asking (the unattended choice; ``auto`` would use a
    public Hub model when the Hub is reachable). Unless ``installed``, notebooks/ goes first on
    PYTHONPATH so that ``import nercourse`` finds the package of this checkout.
    """
    env = dict(os.environ if base is None else base)
    values = {
        "NERCOURSE_MODEL": model,
        "NERCOURSE_DATA_DIR": data_dir,
        "NERCOURSE_PROFILE": profile,
        "NERCOURSE_FINETUNED": finetuned,
        "NERCOURSE_OUTPUT_DIR": output_dir,
        IF_NO_MODEL: if_no_model,
    }
    for name, value in values.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = os.fspath(value)
    if not online:
        env["HF_HUB_OFFLINE"] = "1"
    env.setdefault("MPLBACKEND", "Agg")  # figures are drawn, never shown in a window
    env.setdefault("TQDM_DISABLE", "1")  # progress bars only add noise to the outputs nobody reads
    if not installed:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NOTEBOOKS), env.get("PYTHONPATH", "")]))
    return env


def probe_source(notebook_number: str) -> str:
    """The extra cell run after a notebook's last cell, in its kernel: peak GPU memory and key figures."""
    expressions = KEY_FIGURES.get(notebook_number, {})
    return f"""\
def _nercourse_probe(expressions, context):
    import json
    import sys

    import torch

    figures, notes = {{}}, []
    for name, expression in expressions.items():
        try:
            value = eval(expression, globals())
            figures[name] = value if isinstance(value, (str, bool)) else float(value)  # numpy numbers too
        except Exception as error:
            figures[name] = None
            notes.append(f"{{name}}: not computed by this notebook ({{type(error).__name__}}: {{error}})")
    for name, expression in context.items():
        try:
            figures[name] = str(eval(expression, globals()))
        except Exception:
            pass  # context, not a key figure: a notebook without it simply has none
    # Never initialised CUDA (a notebook that did not use the GPU): the peak is 0, not an error.
    peak = torch.cuda.max_memory_allocated() if torch.cuda.is_available() else None
    module = sys.modules.get("nercourse")
    print({PROBE_MARKER!r} + json.dumps({{
        "peak_gpu_memory_bytes": peak,
        "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else None,
        "figures": figures,
        "notes": notes,
        "nercourse_file": getattr(module, "__file__", None),
    }}))


_nercourse_probe({expressions!r}, {CONTEXT_FIGURES!r})
"""


def run_notebook(
    path: str | os.PathLike,
    env: dict[str, str],
    workdir: str | os.PathLike,
    timeout: int = 600,
    kernel_name: str = "python3",
) -> dict:
    """Execute one notebook top to bottom in a new kernel started in ``workdir`` with environment ``env``.

    ``timeout`` is the most seconds one cell may run. Returns a record: ``notebook``, ``status``
    ("ok" or "error"), ``seconds`` (kernel start and all cells), ``error`` (the failing cell's
    traceback, its last lines) and ``failed_cell``, ``peak_gpu_memory_mib`` (None on a CPU),
    ``figures`` and ``notes`` (see KEY_FIGURES), ``nercourse_file`` (where the kernel imported the
    helper package from). The notebook file is read, never written.
    """
    import nbclient
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.read(path, as_version=4)
    record: dict = {
        "notebook": display_name(path),
        "status": "ok",
        "seconds": None,
        "error": None,
        "failed_cell": None,
        "peak_gpu_memory_mib": None,
        "gpu": None,
        "figures": {},
        "notes": [],
        "nercourse_file": None,
    }
    client = nbclient.NotebookClient(
        notebook, timeout=timeout, kernel_name=kernel_name, resources={"metadata": {"path": str(workdir)}}
    )
    index, timed_out = None, False
    started = time.perf_counter()
    try:
        with client.setup_kernel(env=env):
            try:
                for index, cell in enumerate(list(notebook.cells)):
                    client.execute_cell(cell, index)
            except CellExecutionError as error:
                record.update(status="error", error=_tail(str(error)), failed_cell=index)
            except CellTimeoutError as error:
                timed_out = True
                message = f"cell {index} ran longer than {timeout} s (--timeout): {error}"
                record.update(status="error", error=_tail(message), failed_cell=index)
            record["seconds"] = round(time.perf_counter() - started, 2)
            if timed_out:
                record["notes"].append("no probe: the kernel was still busy with the cell that timed out")
            else:
                try:  # the kernel is still alive after a failed cell: the peak memory is still worth having
                    _probe(client, notebook, path.name[:2], record)
                except Exception as error:
                    record["notes"].append(f"the probe cell failed: {type(error).__name__}: {_tail(str(error), 5)}")
    except DeadKernelError as error:
        record.update(status="error", error=_tail(f"the kernel died: {error}"), failed_cell=index)
    except Exception as error:  # the kernel did not start
        record.update(status="error", error=_tail(f"{type(error).__name__}: {error}"))
    if record["seconds"] is None:
        record["seconds"] = round(time.perf_counter() - started, 2)
    return record


def _probe(client, notebook, number: str, record: dict) -> None:
    import nbformat

    cell = nbformat.v4.new_code_cell(probe_source(number))
    notebook.cells.append(cell)  # the in-memory copy only: the notebook file is never written
    client.execute_cell(cell, len(notebook.cells) - 1)
    text = "".join(output.get("text", "") for output in cell.outputs if output.get("output_type") == "stream")
    line = next((line for line in text.splitlines() if line.startswith(PROBE_MARKER)), None)
    if line is None:
        record["notes"].append(f"the probe cell printed no result: {text[-300:]!r}")
        return
    probe = json.loads(line[len(PROBE_MARKER) :])
    peak = probe["peak_gpu_memory_bytes"]
    record["peak_gpu_memory_mib"] = None if peak is None else round(peak / 2**20, 1)
    record["gpu"] = probe["gpu"]
    record["figures"] = probe["figures"]
    record["notes"] += probe["notes"]
    record["nercourse_file"] = probe["nercourse_file"]


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _tail(text: str, lines: int = 40, characters: int = 4000) -> str:
    """The end of a traceback, without terminal colours: where it failed and why."""
    plain = ANSI_ESCAPE.sub("", text).rstrip()
    return "\n".join(plain.splitlines()[-lines:])[-characters:]


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def format_figures(figures: dict) -> str:
    parts = []
    for name, value in figures.items():
        if value is None or name not in FIGURE_LABELS:
            continue
        label, pattern = FIGURE_LABELS[name]
        parts.append(f"{label} {pattern.format(value)}".strip())
    return ", ".join(parts)


def markdown_table(records: Sequence[dict]) -> str:
    """One row per notebook: status, wall time, peak GPU memory, key figures; a total row at the end."""
    lines = [
        "| notebook | status | wall time | peak GPU memory | key figures |",
        "|---|---|---|---|---|",
    ]
    for record in records:
        peak = record.get("peak_gpu_memory_mib")
        status = record["status"]
        if status != "ok" and record.get("failed_cell") is not None:
            status += f" (cell {record['failed_cell']})"
        figures = format_figures(record.get("figures") or {}).replace("|", "\\|")
        memory = "no GPU" if peak is None else f"{peak:,.0f} MiB"
        lines.append(
            f"| {record['notebook']} | {status} | {format_seconds(record['seconds'])} | {memory} | {figures} |"
        )
    total = sum(record["seconds"] or 0 for record in records)
    failed = sum(record["status"] != "ok" for record in records)
    lines.append(f"| **all {len(records)}** | {failed} failed | {format_seconds(total)} | | |")
    return "\n".join(lines)


def write_report(
    path: str | os.PathLike, records: Sequence[dict], *, machine: dict, settings: dict, command: str
) -> dict:
    """Write the run's JSON: when, on what, with which settings, and one record per notebook."""
    report = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": command,
        "machine": machine,
        "settings": settings,
        "total_seconds": round(sum(record["seconds"] or 0 for record in records), 2),
        "failed": [record["notebook"] for record in records if record["status"] != "ok"],
        "notebooks": list(records),
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def machine_info() -> dict:
    """benchmarks/common.py's machine(): device, precision, CPU count, library versions."""
    import nercourse  # imported first, so that the package this run uses is the one described

    spec = importlib.util.spec_from_file_location("nercourse_benchmarks_common", ROOT / "benchmarks" / "common.py")
    common = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(common)
    return {**common.machine(), "nercourse_file": nercourse.__file__}


@contextlib.contextmanager
def _stdout_to_stderr():
    """Send this process's standard output, native code's included, to standard error for a while."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python tools/run_notebooks.py",
        description=(
            "Execute the course's notebooks (and solutions) top to bottom, each from a fresh kernel in a fresh "
            "folder; record wall time, status, peak GPU memory and key figures; write a JSON file and print a "
            "Markdown table."
        ),
        epilog="Exit status: 0 when every notebook ran, 1 when one failed, 2 for a wrong command line.",
    )
    parser.add_argument(
        "--mode",
        choices=["smoke", "real"],
        default="smoke",
        help="smoke: tiny BERT + mini corpus + profile smoke (seconds); real: --model on --data-dir (default: smoke)",
    )
    parser.add_argument("--model", help="real mode: the pretrained model, a folder (or a Hub id with --online)")
    parser.add_argument("--data-dir", help="real mode: folder with CoNLL-2003 train/validation/test files")
    parser.add_argument(
        "--profile",
        choices=["full", "lite", "smoke"],
        help="training profile (default: smoke in smoke mode, full in real mode; lite on a CPU)",
    )
    parser.add_argument(
        "--finetuned",
        help="sets NERCOURSE_FINETUNED for every notebook: 04-08 use this model, 03 saves to it (default: unset)",
    )
    parser.add_argument("--output-dir", help="sets NERCOURSE_OUTPUT_DIR (default: unset, 'outputs' in each folder)")
    parser.add_argument(
        "--if-no-model",
        choices=["train", "public", "auto", "error"],
        default="train",
        help="what 04-08 do when they find no fine-tuned model (NERCOURSE_IF_NO_MODEL; default: %(default)s)",
    )
    parser.add_argument("--only", help="comma-separated notebook numbers, e.g. 00,04 (default: all)")
    parser.add_argument(
        "--solutions",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run notebooks/solutions/ (default: yes)",
    )
    parser.add_argument("--json", help="where the JSON goes (default: notebooks_MODE.json in the current folder)")
    parser.add_argument(
        "--timeout", type=int, help="seconds one cell may run (default: 600 in smoke mode, 14400 in real mode)"
    )
    parser.add_argument(
        "--installed",
        action="store_true",
        help="the helper package is pip-installed: leave PYTHONPATH alone instead of putting notebooks/ first",
    )
    parser.add_argument("--online", action="store_true", help="allow the Hugging Face Hub (default: HF_HUB_OFFLINE=1)")
    parser.add_argument(
        "--keep-workdirs", action="store_true", help="keep each notebook's folder (printed) instead of deleting it"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.mode == "smoke" and args.model:
        parser.error("--mode smoke builds and uses the course's tiny BERT; --model is for --mode real")
    if args.mode == "real" and not args.model:
        parser.error("--mode real needs --model (a pretrained model folder, or a Hub id with --online)")
    if args.mode == "real" and not args.data_dir and not args.online:
        parser.error("--mode real needs --data-dir (a folder with the CoNLL-2003 files), or --online for the Hub copy")
    only = [number.strip() for number in args.only.split(",") if number.strip()] if args.only else None
    if only and not all(number.isdigit() for number in only):
        parser.error(f"--only takes notebook numbers such as 00,04, not {args.only!r}")
    paths = notebook_paths(only, solutions=args.solutions)
    if not paths:
        parser.error(f"no notebook matches --only {args.only}")
    if not args.installed:
        sys.path.insert(0, str(NOTEBOOKS))  # this process too reads the package of this checkout

    scratch = Path(tempfile.mkdtemp(prefix="nercourse-notebooks-"))
    try:
        if args.mode == "smoke":
            import nercourse
            from nercourse.tiny import build_tiny_bert

            with _stdout_to_stderr():  # the tokenizer trainer's progress output would precede the table
                model = build_tiny_bert(scratch / "tiny-bert")
            data_dir = args.data_dir or str(nercourse.MINI_CORPUS_DIR)
            profile = args.profile or "smoke"
        else:
            model = str(Path(args.model).resolve()) if Path(args.model).exists() else args.model
            data_dir = str(Path(args.data_dir).resolve()) if args.data_dir else None
            profile = args.profile or "full"
        finetuned = str(Path(args.finetuned).resolve()) if args.finetuned else None
        output_dir = str(Path(args.output_dir).resolve()) if args.output_dir else None
        env = notebook_environment(
            model=model,
            data_dir=data_dir,
            profile=profile,
            finetuned=finetuned,
            output_dir=output_dir,
            if_no_model=args.if_no_model,
            installed=args.installed,
            online=args.online,
        )
        timeout = args.timeout or (600 if args.mode == "smoke" else 14400)

        records = []
        for path in paths:
            workdir = scratch / "runs" / path.stem  # a new, empty folder: like a fresh Colab runtime
            record = run_notebook(path, env, workdir, timeout=timeout)
            record["workdir"] = str(workdir) if args.keep_workdirs else None
            records.append(record)
            print(f"{record['notebook']}: {record['status']} in {format_seconds(record['seconds'])}", file=sys.stderr)
            if record["error"]:
                print(record["error"], file=sys.stderr)
            if not args.keep_workdirs:
                shutil.rmtree(workdir, ignore_errors=True)  # a trained model per notebook adds up

        settings = {name: env.get(name) for name in (*SETTINGS, IF_NO_MODEL, "HF_HUB_OFFLINE", "OMP_NUM_THREADS")}
        settings.update(mode=args.mode, installed=args.installed, timeout_per_cell=timeout)
        json_path = Path(args.json or f"notebooks_{args.mode}.json")
        command = shlex.join([Path(sys.executable).name, *sys.argv]) if argv is None else shlex.join(argv)
        write_report(json_path, records, machine=machine_info(), settings=settings, command=command)
        print(f"wrote {json_path}", file=sys.stderr)
    finally:
        if not args.keep_workdirs:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            print(f"kept the notebooks' folders under {scratch}", file=sys.stderr)
    print(markdown_table(records))
    return 0 if all(record["status"] == "ok" for record in records) else 1


if __name__ == "__main__":
    sys.exit(main())
