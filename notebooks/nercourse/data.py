"""Train / validation / test splits: CoNLL-2003 from a local folder or the pinned Hub copy, verified, or
a folder of your own with any label set.

Taught in notebook 01. :func:`load_conll2003` reads a folder of CoNLL files
(:func:`nercourse.read_conll`) or the Hub's parquet copy (:mod:`nercourse.hub`), checks the label
names and the split sizes, and says what it found; :func:`tag_counts` and :func:`entity_counts`
describe a split. Notebook 07 (your own labels, optional) brings a folder of its own:
:func:`load_splits` reads CoNLL or JSONL span files (:func:`nercourse.read_jsonl`) with the labels
their training file uses; ``python -m nercourse train --data-dir`` takes that path.
"""

from __future__ import annotations

import json
import os
import random
import warnings
from collections.abc import Sequence
from pathlib import Path

from .conll import read_conll
from .errors import NerCourseError
from .hub import hub_course_split, load_from_hub
from .labels import LABEL_NAMES, label_names_of, tag_names, tag_spans
from .settings import DATA_DIR_ENV
from .spans import read_jsonl

CONLL2003_SIZES = {"train": 14041, "validation": 3250, "test": 3453}
SPLITS = ("train", "validation", "test")

HUB_DATASET = "eriktks/conll2003"
"""The Hub's canonical CoNLL-2003 (``conll2003`` redirects here). Its main branch is a loading
script, which datasets >= 4 refuses, so the course reads the parquet export instead."""
HUB_REVISION = "refs/convert/parquet"

MINI_CORPUS_DIR = Path(__file__).parent / "mini_corpus"
"""The course's own small corpus (synthetic, written for the course): smoke runs and tests."""
PRODUCTS_CORPUS_DIR = Path(__file__).parent / "products_corpus"
"""A small synthetic corpus with other labels (COMPANY, PRODUCT), the same sentences twice: as CoNLL
files in ``conll/`` and as JSONL spans in ``jsonl/`` (notebook 07, your own labels)."""

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


# ------------------------------------------------------------------------------ a folder of your own

DATA_FILE_STEMS = {"train": ("train",), "validation": ("validation", "valid", "dev"), "test": ("test",)}
DATA_FILE_EXTENSIONS = (".txt", ".conll", ".jsonl")
"""A folder of your own holds ``train`` (required), ``validation`` and ``test``, each one file: CoNLL
(``.txt``, ``.conll``) or JSONL spans (``.jsonl``). CoNLL-2003's original names (``eng.train`` ...) work too."""
VALIDATION_SHARE = 0.1
SPLIT_SEED = 42
"""The seed that picks the validation share of train when a folder has no validation file. It is not the
training seed, so runs with different seeds are scored on the same validation sentences."""


def find_data_files(data_dir: str | os.PathLike) -> dict[str, Path]:
    """The ``train`` file of a folder and, where they exist, its ``validation`` and ``test`` files.

    Each split is one file, ``NAME.txt``, ``NAME.conll`` or ``NAME.jsonl`` (validation may be named
    ``valid`` or ``dev``); two files for one split (``train.txt`` and ``train.jsonl``) are an error.
    """
    folder = Path(data_dir).expanduser()
    if not folder.is_dir():
        raise NerCourseError(
            f"Data folder {str(folder)!r} does not exist.\n"
            "  How to fix: pass the folder that holds train.txt (or train.conll, train.jsonl), and optionally "
            "validation and test files of the same kinds."
        )
    files = {}
    for split, stems in DATA_FILE_STEMS.items():
        names = [stem + ext for stem in stems for ext in DATA_FILE_EXTENSIONS] + [SPLIT_FILE_NAMES[split][-1]]
        found = [folder / name for name in names if (folder / name).is_file()]
        if len(found) > 1:
            raise NerCourseError(
                f"Data folder {str(folder)!r} has {len(found)} {split} files: {', '.join(p.name for p in found)}.\n"
                f"  How to fix: keep one {split} file (one format per split) and move or rename the others."
            )
        if found:
            files[split] = found[0]
    if "train" not in files:
        raise NerCourseError(
            f"Data folder {str(folder)!r} has no train file (looked for train.txt, train.conll, train.jsonl).\n"
            "  How to fix: put your training data there as train.txt or train.conll (CoNLL: 'word tag' lines) "
            "or train.jsonl (span annotations); validation and test files are optional."
        )
    return files


def _read_split(path: Path, label_names, align: str, labels_from: str | None = None):
    if path.suffix == ".jsonl":
        return read_jsonl(path, label_names, align=align, labels_from=labels_from)
    return read_conll(path, label_names, labels_from=labels_from)


def split_off_validation(train, share: float = VALIDATION_SHARE, *, source: str = ""):
    """``(train, validation)``: a seeded share of the sentences (:data:`SPLIT_SEED`; at least one) held out,
    both parts in file order; the sizes are printed."""
    if not 0 < share < 1:
        raise NerCourseError(f"The validation share must be between 0 and 1, got {share}.")
    total = len(train)
    held = max(1, round(share * total))
    if total - held < 1:
        raise NerCourseError(
            f"{source or 'train'}: {total} training sentence(s), too few to hold out validation sentences.\n"
            "  How to fix: add more training data, or a validation file."
        )
    chosen = set(random.Random(SPLIT_SEED).sample(range(total), held))
    print(
        f"{source or 'the data'}: no validation file, so {held:,} of train's {total:,} sentences ({held / total:.0%}: "
        f"the share of {share:.0%}, rounded; seed {SPLIT_SEED}) are held out for validation: {total - held:,} train / "
        f"{held:,} validation sentences."
    )
    keep = [i for i in range(total) if i not in chosen]
    return train.select(keep), train.select(sorted(chosen))


def load_splits(
    data_dir: str | os.PathLike | None = None, *, validation_share: float = VALIDATION_SHARE, align: str = "strict"
):
    """The splits of a folder of your own, with the labels its training file uses; without a folder
    (``data_dir`` None and ``NERCOURSE_DATA_DIR`` unset), CoNLL-2003 from the Hub (:func:`load_conll2003`).

    The files are :func:`find_data_files`' (CoNLL or JSONL, :func:`nercourse.read_jsonl`; ``align`` is its
    option for spans off word boundaries). The label list comes from train (:func:`nercourse.labels_from_tags`):
    a validation or test tag whose type train lacks is an error naming the file and line. Without a
    validation file, :func:`split_off_validation` holds out ``validation_share`` of train. CoNLL-2003's own
    files (the types PER, ORG, LOC, MISC in all three splits) get :data:`LABEL_NAMES` and
    :func:`load_conll2003`'s size checks, so they load exactly as :func:`load_conll2003` loads them.
    """
    from datasets import DatasetDict

    data_dir = data_dir or os.environ.get(DATA_DIR_ENV) or None
    if data_dir is None:
        return load_conll2003()
    files = find_data_files(data_dir)
    parts = {"train": _read_split(files["train"], None, align)}
    label_names = label_names_of(parts["train"])
    if label_names == ["O"]:
        raise NerCourseError(
            f"{files['train']}: no entity in the training data, so there is nothing to learn.\n"
            "  How to fix: check that the tags are in the last column (CoNLL) or the spans under 'label' or 'spans' (JSONL)."
        )
    for split in ("validation", "test"):
        if split in files:
            parts[split] = _read_split(files[split], label_names, align, labels_from=files["train"].name)
    if "validation" not in parts:
        parts["train"], parts["validation"] = split_off_validation(
            parts["train"], validation_share, source=str(data_dir)
        )
    splits = DatasetDict({split: parts[split] for split in SPLITS if split in parts})
    if label_names == LABEL_NAMES and len(files) == 3 and not any(p.suffix == ".jsonl" for p in files.values()):
        verify_splits(splits, declared_sizes(data_dir), label_names, source=str(data_dir))
    return splits


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
