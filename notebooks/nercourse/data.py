"""CoNLL-2003 and other CoNLL-format data: read, convert IOB1 to IOB2, load, verify.

Taught in notebook 01. A CoNLL file holds one word per line (the word first, the NER tag last,
optionally POS and chunk columns between), a blank line between sentences and ``-DOCSTART-``
lines between documents.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from .errors import CoNLLFormatError, NerCourseError
from .hub import require_hub

LABEL_NAMES = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
ENTITY_TYPES = ["PER", "ORG", "LOC", "MISC"]
CONLL2003_SIZES = {"train": 14041, "validation": 3250, "test": 3453}
SPLITS = ("train", "validation", "test")

DATA_DIR_ENV = "NERCOURSE_DATA_DIR"
"""Environment variable naming a local folder with train/validation/test files."""

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


class IOB1ConversionWarning(UserWarning):
    """A file was in IOB1 (or had entity-initial I- tags) and was converted to IOB2."""


def iob1_to_iob2(tags: Sequence[str]) -> list[str]:
    """Turn every I-X that starts an entity into B-X (IOB1 -> IOB2); IOB2 input comes back equal.

    An I-X starts an entity when it follows O, the start of the sentence, or a tag of another type.
    """
    converted = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and (previous == "O" or previous[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        converted.append(tag)
        previous = tag
    return converted


def tag_spans(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entities as ``(type, first_word, end_word)`` (end exclusive) from IOB tags.

    The rule is conlleval's (and seqeval's default mode): an entity starts at B-X or at an I-X that
    does not continue an entity of type X, and continues over I-X of the same type.
    """
    spans = []
    current = None  # [type, start]
    for i, tag in enumerate(tags):
        kind = tag[2:] if tag[:2] in ("B-", "I-") else None
        continues = current is not None and tag.startswith("I-") and kind == current[0]
        if current is not None and not continues:
            spans.append((current[0], current[1], i))
            current = None
        if kind is not None and not continues:
            current = [kind, i]
    if current is not None:
        spans.append((current[0], current[1], len(tags)))
    return spans


def allowed_tags(label_names: Sequence[str] = LABEL_NAMES) -> set[str]:
    """The tags a file may hold for ``label_names``: the labels, plus I-X for every B-X (IOB1 files and
    ill-formed predictions use I-X where IOB2 has B-X)."""
    return set(label_names) | {"I-" + name[2:] for name in label_names if name.startswith("B-")}


def _check_tag(tag: str, allowed: set[str], path: str, line_number: int) -> None:
    if tag in allowed:
        return
    if tag[:2] in ("E-", "S-", "L-", "U-"):
        problem = f"tag {tag!r} is IOBES/BILOU; the course reads IOB1 and IOB2 only"
        fix = "convert the file to IOB2 (S-X -> B-X, E-X -> I-X)"
    else:
        problem = f"unknown tag {tag!r}"
        fix = f"tags must be one of {sorted(allowed)}; pass label_names=... for another tag set"
    raise CoNLLFormatError(path, line_number, problem, fix)


def read_conll_rows(path: str | os.PathLike) -> list[list[tuple[int, list[str]]]]:
    """The token lines of a CoNLL file as sentences of ``(line_number, columns)``.

    Blank lines end sentences, ``-DOCSTART-`` lines are skipped, every token line must have the
    same number of columns (at least 2).
    """
    return _read_rows_and_documents(path)[0]


def _read_rows_and_documents(path: str | os.PathLike) -> tuple[list[list[tuple[int, list[str]]]], list[int]]:
    """:func:`read_conll_rows` and :func:`document_ids` in one reading of the file."""
    path = str(path)
    sentences: list[list[tuple[int, list[str]]]] = []
    documents: list[int] = []
    rows: list[tuple[int, list[str]]] = []
    columns = None
    document = -1  # as document_ids counts: the sentences before the second -DOCSTART- are document 0
    try:
        with open(path, encoding="utf-8-sig", newline=None) as handle:
            for line_number, line in enumerate(handle, start=1):
                parts = line.split()
                if not parts or parts[0] == "-DOCSTART-":
                    if rows:
                        sentences.append(rows)
                        rows = []
                    if parts:
                        document += 1
                    continue
                if not rows:
                    documents.append(max(document, 0))
                if len(parts) < 2:
                    raise CoNLLFormatError(
                        path,
                        line_number,
                        f"expected a word and its tag separated by whitespace, got {line.strip()!r}",
                        "each line holds 'word tag' or 'word POS chunk tag'; sentences end with a blank line",
                    )
                if columns is None:
                    columns = len(parts)
                elif len(parts) != columns:
                    raise CoNLLFormatError(
                        path,
                        line_number,
                        f"this line has {len(parts)} columns but earlier lines have {columns}: {line.strip()!r}",
                        "words must not contain spaces; every line needs the same columns",
                    )
                rows.append((line_number, parts))
    except FileNotFoundError:
        raise NerCourseError(f"{path}: no such file.") from None
    except UnicodeDecodeError as exc:
        raise CoNLLFormatError(path, None, f"not UTF-8 text ({exc})", "save the file as UTF-8") from None
    if rows:
        sentences.append(rows)
    if not sentences:
        raise CoNLLFormatError(path, None, "no sentences found", "is this the right file? It is empty.")
    return sentences, documents


def document_ids(path: str | os.PathLike) -> list[int]:
    """The document of each sentence of a CoNLL file, in the order :func:`read_conll_rows` reads them:
    0 for the sentences before the second ``-DOCSTART-`` line, 1 up to the third, and so on (a file
    without ``-DOCSTART-`` lines is one document, 0). Used to rebuild articles from their sentences."""
    ids: list[int] = []
    document, inside = -1, False
    with open(str(path), encoding="utf-8-sig", newline=None) as handle:
        for line in handle:
            parts = line.split()
            if parts and parts[0] == "-DOCSTART-":
                document, inside = document + 1, False
            elif not parts:
                inside = False
            elif not inside:
                ids.append(max(document, 0))
                inside = True
    return ids


_DATE = re.compile(r"^(19|20)\d\d-\d\d-\d\d$")
_DATELINE_MAX_WORDS = 12
_BYLINE_MAX_WORDS = 4
_SIGN_OFF_OPENERS = {"--", "("}
_SIGN_OFF_WORDS = {"newsroom", "newsdesk"}
_NAME_PARTICLES = {"de", "da", "del", "der", "van", "von", "bin", "al", "el", "la", "le", "du", "di", "and"}


def _is_dateline(words: Sequence[str]) -> bool:
    """``BRUSSELS 1996-08-22``, ``AL-AIN , United Arab Emirates 1996-12-06``, or a date alone (the
    place then stands in the sentence before)."""
    return 0 < len(words) <= _DATELINE_MAX_WORDS and bool(_DATE.match(words[-1]))


def _is_header_line(words: Sequence[str]) -> bool:
    """A byline (``Peter Blackburn``) or a correction note (``[ CORRECTED 05:30 GMT ]``) between a
    headline and its dateline."""
    if not words:
        return False
    if words[0] == "[" and words[-1] == "]":
        return True
    return len(words) <= _BYLINE_MAX_WORDS and all(
        word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words
    )


def guess_document_ids(tokens_per_sentence: Sequence[Sequence[str]]) -> list[int]:
    """Each sentence's document, guessed from the words alone, for copies of CoNLL-2003 without
    ``-DOCSTART-`` lines (the Hub's parquet export).

    A Reuters article opens with a headline, sometimes a byline and a correction note, then a
    dateline whose last word is a date (``BRUSSELS 1996-08-22``; or a place written as a sentence of
    its own before a date alone, ``LITTLE ROCK , Ark .`` then ``1996-08-22``). A new document
    starts at the headline before each dateline: one sentence back, one more for each byline or note
    in between (at most two, never back into the previous article's dateline), and one more when the
    headline was cut in two after an abbreviation (its second part starts in lower case). A sign-off
    line (``-- London Newsroom +44 171 542 ...``) ends an article too. Articles with neither (some
    market reports and tables) stay joined to the article before them.

    Measured against the ``-DOCSTART-`` documents of the CoNLL-2003 files
    (benchmarks/results/document_guess_conll2003.json): 927 documents guessed for 946 in train,
    215 for 216 in validation, 227 for 231 in test; boundary precision 99.8 % / 100 % / 100 % and
    recall 97.8 % / 99.5 % / 98.3 % (train / validation / test); 95.6 % / 98.2 % / 96.5 % of the
    sentences sit in a guessed document holding exactly the sentences of their true one.
    """
    ids: list[int] = []
    sentences = [list(words) for words in tokens_per_sentence]
    starts = {0} if sentences else set()
    previous_dateline = -1
    for i, words in enumerate(sentences):
        if not _is_dateline(words) or i == 0:
            continue
        start = i - 1  # the headline, or the place of a date that stands alone
        if len(words) == 1 and start - 1 > previous_dateline:
            start -= 1
        for _ in range(2):
            if start - 1 > previous_dateline and _is_header_line(sentences[start]) and start not in starts:
                start -= 1
            else:
                break
        if start - 1 > previous_dateline and sentences[start] and sentences[start][0][:1].islower():
            start -= 1  # a headline cut in two after an abbreviation ("... Mass ." / "governor has ...")
        if start > previous_dateline:
            starts.add(start)
        previous_dateline = i
    for i, words in enumerate(sentences[:-1]):
        if words and words[0] in _SIGN_OFF_OPENERS and any(word.lower() in _SIGN_OFF_WORDS for word in words):
            starts.add(i + 1)  # "-- London Newsroom +44 171 542 ..." ends an article
    document = -1
    for i in range(len(sentences)):
        document += i in starts
        ids.append(document)
    return ids


def read_conll_sentences(
    path: str | os.PathLike, label_names: Sequence[str] = LABEL_NAMES, tag_column: int = -1
) -> tuple[list[list[str]], list[list[str]]]:
    """Read a CoNLL file into (sentences, IOB2 tag lists); the tag is the last column by default.
    See :func:`read_conll`."""
    sentences, tags, _ = _read_sentences(path, label_names, tag_column)
    return sentences, tags


def _read_sentences(
    path: str | os.PathLike, label_names: Sequence[str], tag_column: int = -1
) -> tuple[list[list[str]], list[list[str]], list[int]]:
    """Sentences, IOB2 tags and the document of each sentence (:func:`document_ids`), one reading."""
    allowed = allowed_tags(label_names)
    sentences, tag_lists = [], []
    all_rows, documents = _read_rows_and_documents(path)
    for rows in all_rows:
        for line_number, parts in rows:
            _check_tag(parts[tag_column], allowed, str(path), line_number)
        sentences.append([parts[0] for _, parts in rows])
        tag_lists.append([parts[tag_column] for _, parts in rows])

    converted = [iob1_to_iob2(sentence_tags) for sentence_tags in tag_lists]
    changed = sum(a != b for old, new in zip(tag_lists, converted) for a, b in zip(old, new))
    if changed:
        warnings.warn(
            f"{path}: converted IOB1 to IOB2 ({changed:,} entity-initial I- tags became B-).",
            IOB1ConversionWarning,
            stacklevel=3,
        )
    for sentence_tags in converted:
        for tag in sentence_tags:
            if tag not in label_names:  # a B-X made from I-X whose B-X is not a label
                raise CoNLLFormatError(str(path), None, f"tag {tag!r} is not in label_names {list(label_names)}")
    return sentences, converted, documents


def conll_features(label_names: Sequence[str] = LABEL_NAMES):
    """The datasets features of a course split: ``id``, ``tokens``, ``ner_tags`` (ClassLabel) and
    ``document`` (the article each sentence comes from: 0, 1, 2, ... in file order)."""
    from datasets import ClassLabel, Features, List, Value

    return Features(
        {
            "id": Value("string"),
            "tokens": List(Value("string")),
            "ner_tags": List(ClassLabel(names=list(label_names))),
            "document": Value("int32"),
        }
    )


def read_conll(path: str | os.PathLike, label_names: Sequence[str] = LABEL_NAMES):
    """Read one CoNLL-format file into a ``datasets.Dataset`` with ``id``, ``tokens``, ``ner_tags``
    and ``document`` (each sentence's document, from the ``-DOCSTART-`` lines: :func:`document_ids`).

    Accepts 2-column (word tag) and 4-column (word POS chunk tag) files, ``-DOCSTART-`` lines,
    CRLF line ends, a byte-order mark and trailing whitespace. IOB1 files are converted to IOB2,
    with an :class:`IOB1ConversionWarning` that says how many tags changed. Unknown tags and
    malformed lines raise :class:`CoNLLFormatError` naming the file and line.
    """
    from datasets import Dataset

    sentences, tags, documents = _read_sentences(path, label_names)
    index = {name: i for i, name in enumerate(label_names)}
    return Dataset.from_dict(
        {
            "id": [str(i) for i in range(len(sentences))],
            "tokens": sentences,
            "ner_tags": [[index[tag] for tag in sentence_tags] for sentence_tags in tags],
            "document": documents,
        },
        features=conll_features(label_names),
    )


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


def tag_names(tag_ids: Sequence[int], label_names: Sequence[str] = LABEL_NAMES) -> list[str]:
    """Label ids to tag strings (seqeval wants strings)."""
    return [label_names[i] for i in tag_ids]


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
