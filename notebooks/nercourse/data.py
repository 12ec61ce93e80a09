"""CoNLL-2003 as train / validation / test splits: from a local folder or the pinned Hub copy, verified.

Taught in notebook 01. :func:`load_conll2003` reads a folder of CoNLL files
(:func:`nercourse.read_conll`) or the Hub's parquet copy (:mod:`nercourse.hub`), checks the label
names and the split sizes, and says what it found; :func:`tag_counts` and :func:`entity_counts`
describe a split.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from pathlib import Path

from .conll import read_conll
from .errors import NerCourseError
from .hub import hub_course_split, load_from_hub
from .labels import LABEL_NAMES, tag_names, tag_spans
from .settings import DATA_DIR_ENV

CONLL2003_SIZES = {"train": 14041, "validation": 3250, "test": 3453}
SPLITS = ("train", "validation", "test")

HUB_DATASET = "eriktks/conll2003"
"""The Hub's canonical CoNLL-2003 (``conll2003`` redirects here). Its main branch is a loading
script, which datasets >= 4 refuses, so the course reads the parquet export instead."""
HUB_REVISION = "refs/convert/parquet"

MINI_CORPUS_DIR = Path(__file__).parent / "mini_corpus"
"""The course's own small corpus (synthetic, written for the course): smoke runs and tests."""

SPLIT_FILE_NAMES = {
    "train": ("train.txt", "train.conll", "eng.train"),
    "validation": ("validation.txt", "valid.txt", "dev.txt", "validation.conll", "dev.conll", "eng.testa"),
    "test": ("test.txt", "test.conll", "eng.testb"),
}
SIZES_FILE = "splits.json"


def find_split_files(data_dir: str | os.PathLike) -> dict[str, Path]:
    """The train/validation/test files of a folder (also the original eng.train/testa/testb names)."""
    folder = Path(data_dir).expanduser()
    if not folder.is_dir():
        raise NerCourseError(
            f"Data folder {str(folder)!r} does not exist.\n"
            f"  How to fix: pass the folder that holds train.txt, validation.txt and test.txt "
            f"(or set {DATA_DIR_ENV}); leave it unset to download CoNLL-2003 from the Hub."
        )
    files = {}
    for split, names in SPLIT_FILE_NAMES.items():
        found = [folder / name for name in names if (folder / name).is_file()]
        if not found:
            raise NerCourseError(
                f"Data folder {str(folder)!r} has no {split} file (looked for {', '.join(names)}).\n"
                "  How to fix: put the three CoNLL-format files train.txt, validation.txt and test.txt there."
            )
        files[split] = found[0]
    return files


class SplitSizesNote(UserWarning):
    """A local folder's splits are not CoNLL-2003's sizes (a sample, or another corpus): said, not refused."""


def declared_sizes(data_dir: str | os.PathLike) -> dict[str, int] | None:
    """The sizes a folder declares in its ``splits.json``, or None."""
    declared = Path(data_dir).expanduser() / SIZES_FILE
    if not declared.is_file():
        return None
    return {split: int(n) for split, n in json.loads(declared.read_text())["sizes"].items()}


def expected_sizes(data_dir: str | os.PathLike | None) -> dict[str, int]:
    """CoNLL-2003's split sizes, or the sizes a folder declares in its ``splits.json``."""
    return (declared_sizes(data_dir) if data_dir is not None else None) or dict(CONLL2003_SIZES)


def verify_splits(
    dataset_dict, sizes: dict[str, int] | None, label_names: Sequence[str] = LABEL_NAMES, *, source: str = ""
) -> None:
    """Raise when a split is missing, has other label names or (with ``sizes``) the wrong number of sentences.

    Without ``sizes`` (a local folder with no ``splits.json``) sizes other than CoNLL-2003's are
    accepted with a :class:`SplitSizesNote` that states them.
    """
    problems = []
    for split in sizes or SPLITS:
        if split not in dataset_dict:
            problems.append(f"split {split!r} is missing")
            continue
        if sizes is not None and len(dataset_dict[split]) != sizes[split]:
            problems.append(f"{split} has {len(dataset_dict[split]):,} sentences, expected {sizes[split]:,}")
        names = dataset_dict[split].features["ner_tags"].feature.names
        if list(names) != list(label_names):
            problems.append(f"{split} has label names {names}, expected {list(label_names)}")
    if problems:
        raise NerCourseError(
            "The data is not what the course expects: "
            + "; ".join(problems)
            + ".\n  How to fix: use the complete, unmodified CoNLL-2003 files; for another corpus, put a "
            f'{SIZES_FILE} with {{"sizes": {{"train": N, "validation": N, "test": N}}}} next to its files.'
        )
    found = {split: len(dataset_dict[split]) for split in SPLITS}
    if sizes is None and found != CONLL2003_SIZES:
        warnings.warn(
            f"{source or 'this folder'}: {found['train']:,} / {found['validation']:,} / {found['test']:,} sentences "
            f"(train / validation / test), not CoNLL-2003's {CONLL2003_SIZES['train']:,} / "
            f"{CONLL2003_SIZES['validation']:,} / {CONLL2003_SIZES['test']:,}. Fine for a sample or your own data; "
            "if you meant the full CoNLL-2003, these files are incomplete. Scores are not comparable with published ones.",
            SplitSizesNote,
            stacklevel=3,
        )


def _load_local(data_dir: str | os.PathLike, label_names: Sequence[str]):
    from datasets import DatasetDict

    return DatasetDict({split: read_conll(path, label_names) for split, path in find_split_files(data_dir).items()})


def _load_hub(revision: str, label_names: Sequence[str]):
    from datasets import DatasetDict

    local_fix = (
        f"pass data_dir= (or set {DATA_DIR_ENV}) to a folder with the CoNLL-2003 files "
        "train.txt, validation.txt and test.txt."
    )
    hub = load_from_hub("CoNLL-2003", HUB_DATASET, local_fix, revision=revision)
    return DatasetDict({split: hub_course_split(hub[split], label_names, HUB_DATASET) for split in SPLITS})


def load_conll2003(
    data_dir: str | os.PathLike | None = None,
    *,
    revision: str = HUB_REVISION,
    label_names: Sequence[str] = LABEL_NAMES,
):
    """Load CoNLL-2003 as a ``DatasetDict`` with train / validation / test, verified.

    ``data_dir`` (or the environment variable ``NERCOURSE_DATA_DIR``) names a local folder of
    CoNLL-format files; otherwise the pinned parquet copy on the Hub is used. Label names are
    checked on every load; split sizes too: the Hub copy must have CoNLL-2003's 14,041 / 3,250 /
    3,453 sentences, a folder the sizes its ``splits.json`` declares; a folder without one may hold
    any sizes (a sample, your own data) and gets a :class:`SplitSizesNote` that states them. With no network it fails in seconds with a message saying what to do.
    """
    data_dir = data_dir or os.environ.get(DATA_DIR_ENV) or None
    if data_dir is not None:
        dataset_dict = _load_local(data_dir, label_names)
        verify_splits(dataset_dict, declared_sizes(data_dir), label_names, source=str(data_dir))
    else:
        dataset_dict = _load_hub(revision, label_names)
        verify_splits(dataset_dict, dict(CONLL2003_SIZES), label_names, source=HUB_DATASET)
    return dataset_dict


def tag_counts(dataset, label_names: Sequence[str] = LABEL_NAMES) -> dict[str, int]:
    """How many words carry each tag in a split."""
    counts = dict.fromkeys(label_names, 0)
    for tag_ids in dataset["ner_tags"]:
        for i in tag_ids:
            counts[label_names[i]] += 1
    return counts


def entity_counts(dataset, label_names: Sequence[str] = LABEL_NAMES) -> dict[str, int]:
    """How many entities of each type a split holds (the support seqeval reports)."""
    counts: dict[str, int] = {}
    for tag_ids in dataset["ner_tags"]:
        for kind, _, _ in tag_spans(tag_names(tag_ids, label_names)):
            counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))
