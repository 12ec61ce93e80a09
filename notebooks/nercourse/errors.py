"""The course's own error type.

Every problem a learner can fix (a bad data file, a missing model folder, no network) is raised as
:class:`NerCourseError` with a message that says what was wrong and what to do. The CLI prints
these messages without a traceback; anything else is a bug in the course and keeps its traceback.
Learners meet them from notebook 01 on (a CoNLL file with a bad line), in notebook 03 (a model
folder that is not there) and in notebook 07 (a JSONL span that cuts a word).
"""

from __future__ import annotations


class NerCourseError(Exception):
    """A problem with the learner's input or environment, explained in the message."""


class DataFormatError(NerCourseError, ValueError):
    """A data file (CoNLL or JSONL) that cannot be read; the message names the file and line."""

    def __init__(self, path: str, line_number: int | None, problem: str, fix: str = ""):
        where = f"{path}:{line_number}" if line_number is not None else str(path)
        message = f"{where}: {problem}"
        if fix:
            message += f"\n  How to fix: {fix}"
        super().__init__(message)
        self.path = str(path)
        self.line_number = line_number


class CoNLLFormatError(DataFormatError):
    """A CoNLL file that cannot be read; the message names the file and line."""
