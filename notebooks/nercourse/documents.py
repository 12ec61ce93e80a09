"""Documents: which article each sentence belongs to, from -DOCSTART- lines or guessed from the words.

Taught in notebook 08 (document context needs each sentence's article). A CoNLL file marks its
documents with ``-DOCSTART-`` lines (:func:`nercourse.read_conll` numbers them in the ``document``
column); the Hub's parquet copy of CoNLL-2003 dropped them, so :func:`guess_document_ids` finds the
articles again from their datelines. :func:`document_runs` groups a split's sentences by document.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

from .errors import NerCourseError

DOCUMENT_COLUMN = "document"
"""The column of a course split that holds each sentence's document (0, 1, 2, ... in file order)."""
ONE_DOCUMENT_WARNING_SENTENCES = 100
"""A split of more sentences than this in a single document most likely lost its document boundaries."""


class OneDocumentWarning(UserWarning):
    """A whole split is one document: its context crosses articles (a file without -DOCSTART- lines)."""


def warn_if_one_document(document_ids: Sequence[int], name: str) -> None:
    """Warn (:class:`OneDocumentWarning`) when ``document_ids`` put many sentences in a single document."""
    if len(document_ids) > ONE_DOCUMENT_WARNING_SENTENCES and len(set(document_ids)) == 1:
        warnings.warn(
            f"{name}: all {len(document_ids):,} sentences are one document (the file has no -DOCSTART- lines), "
            "so each sentence's context comes from its neighbours in the file, across articles. If the file "
            "holds several articles, put a -DOCSTART- line before each.",
            OneDocumentWarning,
            stacklevel=3,
        )


def document_runs(document_ids: Sequence[int]) -> list[list[int]]:
    """The sentence indices of each document, in order: runs of consecutive equal ``document_ids``.

    A document's sentences must be consecutive (a split in file order): a shuffled split would
    silently lose its context, so an id that comes back after another raises an error.
    """
    runs: list[list[int]] = []
    seen: set = set()
    for i, document in enumerate(document_ids):
        if runs and document_ids[runs[-1][0]] == document:
            runs[-1].append(i)
            continue
        if document in seen:
            raise NerCourseError(
                f"The sentences of document {document!r} are not consecutive (sentence {i} comes back to it "
                "after another document).\n"
                "  How to fix: pass the split in its original order (not shuffled or sampled) and choose "
                "the target sentences with targets=[...]."
            )
        seen.add(document)
        runs.append([i])
    return runs


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
