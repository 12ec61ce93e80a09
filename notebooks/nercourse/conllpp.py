"""CoNLL++: the CoNLL-2003 test set with its label mistakes corrected, and what the corrections change.

Taught in notebook 04. About 5 % of the CoNLL-2003 test sentences carry a wrong tag (a team tagged as
a person, an entity cut short, a name left out). Wang et al. (2019), "CrossWeigh: Training Named
Entity Tagger from Imperfect Annotations" (EMNLP-IJCNLP 2019), corrected them by hand: CoNLL++ holds
the same 3,453 test sentences and the same words, with corrected tags in 186 of them (5.38 %). Scoring
one set of predictions against both golds shows how much of a model's "error" is the annotation's.

- :func:`load_test_file` reads one CoNLL-format file as a course split;
- :func:`load_conllpp` loads the CoNLL++ test split (a local file, or the pinned Hub copy);
- :func:`check_lined_up` checks that two golds hold the same sentences and words;
- :func:`compare_scores` scores the same predictions against the original and the corrected gold;
- :func:`corrected_disagreements` lists the corrected sentences and whom the model agrees with.

The course's mini corpus has such a pair too, for smoke runs and tests: ``test.txt`` and
``test_corrected.txt`` (:data:`MINI_CORRECTED_TEST`); its README says how the copy was made.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .conll import read_conll, with_labels
from .data import MINI_CORPUS_DIR
from .errors import NerCourseError
from .hub import hub_course_split, load_from_hub
from .labels import LABEL_NAMES, gold_tags, label_names_of, tag_spans
from .metrics import score_words
from .spans import read_jsonl

CONLLPP_HUB_DATASET = "ZihanWangKi/conllpp"
"""CoNLL++ on the Hugging Face Hub (the Hub's ``conllpp`` redirects here).

Checked against the repository's pages and files as the Hub shows them: its main branch holds the
loading script ``conllpp.py``, which datasets >= 4 refuses to run. The script builds one config,
``conllpp``, with splits ``train``, ``validation`` and ``test`` (3,453 sentences; train and
validation are CoNLL-2003's, included unchanged) and reads the test split from CrossWeigh's
``data/conllpp_test.txt``; its ``ner_tags`` are a ``ClassLabel`` with the names O, B-PER, I-PER,
B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC, the course's :data:`~nercourse.LABEL_NAMES` in the
same order. The Hub's parquet converter exported that config to the branch
:data:`CONLLPP_REVISION`, as folders ``conllpp/train``, ``conllpp/validation`` and ``conllpp/test``:
the course reads the parquet files of ``conllpp/test`` from there (:data:`CONLLPP_TEST_FILES`, a
pattern, so a re-export under other file names still loads), as it reads CoNLL-2003 from
``eriktks/conll2003``'s parquet branch. The label names and the 3,453 sentences are checked again on
every load."""
CONLLPP_REVISION = "refs/convert/parquet"
CONLLPP_TEST_FILES = "conllpp/test/*.parquet"
"""The test split's files on :data:`CONLLPP_REVISION`."""
CONLLPP_TEST_SIZE = 3453
"""Sentences in CoNLL++ (and in the CoNLL-2003 test split): the same sentences, in the same order."""
CONLLPP_CORRECTED_SENTENCES = 186
"""Sentences whose tags CoNLL++ changed, as its authors state (CrossWeigh's README: "there should be
exactly 186 sentences that differ from the original test set"; the paper: 5.38 % of the test sentences)."""
CONLLPP_SOURCE_FILE = "https://github.com/ZihanWangKi/CrossWeigh (data/conllpp_test.txt)"

MINI_CORRECTED_TEST = MINI_CORPUS_DIR / "test_corrected.txt"
"""The mini corpus's corrected copy of its ``test.txt`` (synthetic, made for this lesson)."""

TEST_FILE_NAMES = ("conllpp_test.txt", "test_corrected.txt", "test.txt")
"""The file :func:`load_conllpp` reads when given a folder: the first of these it holds (a corrected
copy before a plain ``test.txt``, so the mini corpus's folder gives its corrected copy)."""

BESIDE_DATA_NAMES = ("conllpp_test.txt", "test_corrected.txt")
"""A corrected test file that :func:`load_conllpp` finds next to the CoNLL-2003 files of ``data_dir``
(the mini corpus keeps its corrected copy as ``test_corrected.txt``)."""

VERDICTS = ("agrees with correction", "agrees with original", "neither")


def load_test_file(path: str | os.PathLike, label_names: Sequence[str] | None = LABEL_NAMES, *, align: str = "strict"):
    """One test file as a course split: a ``datasets.Dataset`` with ``id``, ``tokens`` and ``ner_tags``
    (``ClassLabel``). A CoNLL-format file (2 or 4 columns, IOB1, IOB2 or BIOES) is read with
    :func:`nercourse.read_conll`, a ``.jsonl`` file of span annotations with :func:`nercourse.read_jsonl`
    (``align`` is its option for spans off word boundaries). Use it for a test set that comes as a single
    file, such as CoNLL++.

    ``label_names=None`` takes the labels from the file itself; a file whose types are all CoNLL-2003's
    then gets :data:`~nercourse.LABEL_NAMES`, so its ids are the course's."""
    file = Path(path).expanduser()
    if file.is_dir():
        raise NerCourseError(
            f"{str(file)!r} is a folder, not a test file.\n"
            f"  How to fix: pass the file itself, e.g. {str(file / 'test.txt')!r}."
        )
    if not file.is_file():
        raise NerCourseError(
            f"{str(file)!r}: no such file.\n"
            "  How to fix: pass the path of a CoNLL-format file (one 'word ... tag' line per word, "
            "a blank line after each sentence), e.g. .../test.txt, or of a .jsonl file of span annotations."
        )
    split = read_jsonl(file, label_names, align=align) if file.suffix == ".jsonl" else read_conll(file, label_names)
    found = label_names_of(split)
    if label_names is None and set(found) <= set(LABEL_NAMES) and found != list(LABEL_NAMES):  # CoNLL-2003 types
        return with_labels(split, LABEL_NAMES)
    return split


def _local_test_file(path: str | os.PathLike) -> Path:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        return folder
    for name in TEST_FILE_NAMES:
        if (folder / name).is_file():
            return folder / name
    raise NerCourseError(
        f"Folder {str(folder)!r} has no {' or '.join(TEST_FILE_NAMES)}.\n"
        "  How to fix: pass the CoNLL++ test file itself, e.g. load_conllpp('.../conllpp_test.txt')."
    )


def _load_hub(revision: str, label_names: Sequence[str]):
    local_fix = (
        f"download the CoNLL++ test file from {CONLLPP_SOURCE_FILE} and pass it: "
        "load_conllpp('path/to/conllpp_test.txt') (or --test-file on the command line)."
    )
    hub = load_from_hub(
        "CoNLL++",
        CONLLPP_HUB_DATASET,
        local_fix,
        revision=revision,
        data_files={"test": CONLLPP_TEST_FILES},
        split="test",
    )
    if len(hub) != CONLLPP_TEST_SIZE:
        raise NerCourseError(
            f"{CONLLPP_HUB_DATASET} (revision {revision}) has {len(hub):,} test sentences, expected "
            f"{CONLLPP_TEST_SIZE:,}.\n  How to fix: {local_fix}"
        )
    return hub_course_split(hub, label_names, CONLLPP_HUB_DATASET)


def load_conllpp(
    path: str | os.PathLike | None = None,
    *,
    data_dir: str | os.PathLike | None = None,
    revision: str = CONLLPP_REVISION,
    label_names: Sequence[str] = LABEL_NAMES,
):
    """The CoNLL++ test split as a ``datasets.Dataset`` shaped like a course split.

    With ``path`` (the file, or a folder holding one of :data:`TEST_FILE_NAMES`) it is read
    locally and taken as it is (any size: a sample, or the mini corpus's ``test_corrected.txt``).
    Otherwise, when ``data_dir`` (the folder of the CoNLL-2003 files the notebook loads) holds
    ``conllpp_test.txt`` or ``test_corrected.txt``, that file; otherwise the pinned parquet copy of
    :data:`CONLLPP_HUB_DATASET`, which must have the course's label names and 3,453 sentences. With
    no network it fails in seconds with a message saying where to get the file.
    """
    if path is None and data_dir is not None:
        beside = [Path(data_dir).expanduser() / name for name in BESIDE_DATA_NAMES]
        path = next((file for file in beside if file.is_file()), None)
    if path is not None:
        return load_test_file(_local_test_file(path), label_names)
    return _load_hub(revision, label_names)


def _sentences(split_or_words) -> list[list[str]]:
    if hasattr(split_or_words, "features"):  # a datasets.Dataset
        return [list(words) for words in split_or_words["tokens"]]
    return [list(words) for words in split_or_words]


def check_lined_up(original, corrected, *, names: tuple[str, str] = ("the original", "the corrected file")) -> None:
    """Raise a :class:`NerCourseError` unless ``original`` and ``corrected`` hold the same sentences
    with the same words, in the same order (only their tags may differ).

    Each is a split (a ``Dataset`` with ``tokens``) or a list of sentences (lists of words). The
    message names the first sentence (counted from 1) that differs.
    """
    first, second = _sentences(original), _sentences(corrected)
    fix = (
        "  How to fix: the corrected gold must be the same test set with other tags (e.g. CoNLL++ against "
        "the CoNLL-2003 test split, not its validation split or a re-tokenised copy)."
    )
    for i, (a, b) in enumerate(zip(first, second)):
        if a != b:
            where = next((j for j, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            raise NerCourseError(
                f"Sentence {i + 1} differs: {names[0]} has {len(a)} words {a[:8]}, {names[1]} has {len(b)} words "
                f"{b[:8]} (first difference at word {where + 1}).\n" + fix
            )
    if len(first) != len(second):
        raise NerCourseError(
            f"{names[0]} has {len(first):,} sentences, {names[1]} has {len(second):,}: sentence "
            f"{min(len(first), len(second)) + 1} is missing from one of them.\n" + fix
        )


def _show(words: Sequence[str], spans) -> str:
    shown = [f'{kind} "{" ".join(words[start:end])}"' for kind, start, end in sorted(spans, key=_order)]
    return ", ".join(shown) or "nothing"


def _order(span: tuple[str, int, int]):
    return span[1], span[2], span[0]


@dataclass(frozen=True)
class CorrectedSentence:
    """A sentence whose corrected tags differ from the original ones, and what the model predicted.

    ``verdict`` looks only at the words the correction changed: from the first to the last word of
    the entities that one gold has and the other has not. Entities are compared as ``(type, first
    word, end word)``, the way the scores count them. ``"agrees with correction"`` when the predicted
    entities touching those words are exactly the corrected gold's there, ``"agrees with original"``
    when they are exactly the original's, ``"neither"`` otherwise. Mistakes elsewhere in the sentence
    do not count here.
    """

    sentence: int  # index in the split, from 0
    words: tuple[str, ...]
    original: tuple[str, ...]
    corrected: tuple[str, ...]
    predicted: tuple[str, ...]
    verdict: str

    @property
    def removed(self) -> list[tuple[str, int, int]]:
        """Entities of the original gold that the correction replaced."""
        return sorted(set(tag_spans(self.original)) - set(tag_spans(self.corrected)), key=_order)

    @property
    def added(self) -> list[tuple[str, int, int]]:
        """Entities of the corrected gold that the original did not have."""
        return sorted(set(tag_spans(self.corrected)) - set(tag_spans(self.original)), key=_order)

    def describe(self) -> str:
        """One line, e.g. ``sentence 27: original MISC "ARGENTINE" -> corrected MISC "ARGENTINE LEAGUE";
        predicted MISC "ARGENTINE" (agrees with original)``; the predicted entities shown are those that
        overlap the changed words."""
        nearby = _overlapping(tag_spans(self.predicted), _changed_region(self.original, self.corrected))
        return (
            f"sentence {self.sentence}: original {_show(self.words, self.removed)} -> corrected "
            f"{_show(self.words, self.added)}; predicted {_show(self.words, nearby)} ({self.verdict})"
        )


def _overlapping(spans, region: tuple[int, int]) -> set[tuple[str, int, int]]:
    return {span for span in spans if span[1] < region[1] and region[0] < span[2]}


def _changed_region(original: Sequence[str], corrected: Sequence[str]) -> tuple[int, int]:
    """The words from the first to the last one inside an entity that only one of the golds has."""
    changed = set(tag_spans(original)) ^ set(tag_spans(corrected))
    return min(span[1] for span in changed), max(span[2] for span in changed)


def _verdict(original: Sequence[str], corrected: Sequence[str], predicted: Sequence[str]) -> str:
    region = _changed_region(original, corrected)
    guess = _overlapping(tag_spans(predicted), region)
    if guess == _overlapping(tag_spans(corrected), region):
        return "agrees with correction"
    if guess == _overlapping(tag_spans(original), region):
        return "agrees with original"
    return "neither"


def _check_counts(words, *tag_lists: tuple[str, Sequence[Sequence[str]]]) -> None:
    for name, tags in tag_lists:
        if len(tags) != len(words):
            raise NerCourseError(
                f"{len(words):,} sentences of words but {len(tags):,} of {name} tags.\n"
                "  How to fix: pass one tag list per sentence of the split, in the split's order."
            )
        for i, (sentence_words, sentence_tags) in enumerate(zip(words, tags)):
            if len(sentence_words) != len(sentence_tags):
                raise NerCourseError(
                    f"Sentence {i} has {len(sentence_words)} words but {len(sentence_tags)} {name} tags.\n"
                    "  How to fix: every word needs exactly one tag."
                )


def corrected_disagreements(
    words: Sequence[Sequence[str]],
    original_tags: Sequence[Sequence[str]],
    corrected_tags: Sequence[Sequence[str]],
    predicted_tags: Sequence[Sequence[str]],
) -> list[CorrectedSentence]:
    """Every sentence whose original and corrected entities differ, with the model's verdict.

    All four arguments are lists of sentences (lists of strings: words, or tags such as ``"B-PER"``),
    in the same order. See :class:`CorrectedSentence` for the verdicts.
    """
    _check_counts(words, ("original", original_tags), ("corrected", corrected_tags), ("predicted", predicted_tags))
    found = []
    for i, (ws, before, after, guess) in enumerate(zip(words, original_tags, corrected_tags, predicted_tags)):
        if set(tag_spans(before)) == set(tag_spans(after)):
            continue
        found.append(
            CorrectedSentence(i, tuple(ws), tuple(before), tuple(after), tuple(guess), _verdict(before, after, guess))
        )
    return found


def verdict_counts(disagreements: Sequence[CorrectedSentence]) -> dict[str, int]:
    """How many corrected sentences got each verdict (all three keys, in :data:`VERDICTS` order)."""
    counts = dict.fromkeys(VERDICTS, 0)
    for item in disagreements:
        counts[item.verdict] += 1
    return counts


def compare_scores(original_split, corrected_split, predicted_tags: Sequence[Sequence[str]]) -> dict[str, dict]:
    """The same predictions scored against both golds: ``{"conll2003": scores, "conllpp": scores}``.

    ``original_split`` and ``corrected_split`` are course splits (e.g. CoNLL-2003's test split and
    :func:`load_conllpp`), checked to line up with :func:`check_lined_up`; ``predicted_tags`` holds
    one tag per word (e.g. from :func:`nercourse.evaluate_split`). Scores are
    :func:`nercourse.score_words`'s.
    """
    check_lined_up(original_split, corrected_split)
    words = _sentences(original_split)
    original, corrected = gold_tags(original_split), gold_tags(corrected_split)
    _check_counts(words, ("predicted", predicted_tags))
    return {"conll2003": score_words(original, predicted_tags), "conllpp": score_words(corrected, predicted_tags)}
