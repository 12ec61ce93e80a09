"""How often nercourse.split_words gives back CoNLL-2003's own tokens, per split.

For every sentence of a CoNLL folder the tokens are turned into text twice and split again:
- ``spaced``: the tokens joined by single spaces (split_words must not cut a CoNLL token apart);
- ``detokenized``: the text :func:`detokenize` makes of them, as a writer would have typed
  it (no space before a comma or full stop, after an opening bracket or quote, in "Germany's",
  "$5", ...), so split_words must also find the boundaries a space no longer marks.
A sentence agrees when the words' texts equal its tokens exactly. The most frequent disagreements
are listed as "tokens => words" with a token of context on each side and digits written as 0.

The data folder is a local path: the JSON records it as CONLL_DIR.

usage: python benchmarks/tokenization_agreement.py [--data-dir CONLL_DIR] [--top 15] [--json out.json]
       (--data-dir defaults to $NERCOURSE_DATA_DIR)
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex
from common import machine, table, write_json

from nercourse.conll import read_conll_rows
from nercourse.data import find_split_files
from nercourse.settings import DATA_DIR_ENV
from nercourse.words import Word, split_words

_CLITICS = ("s", "S", "re", "RE", "ve", "VE", "ll", "LL", "d", "D", "m", "M")  # as split_words splits them off
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%") | {"n't", "N'T"} | {f"'{c}" for c in _CLITICS}
_NO_SPACE_AFTER = frozenset("([{")
_CURRENCY = regex.compile(r"\p{Lu}{0,3}\$")


def detokenize(tokens: Sequence[str]) -> str:
    """The text a sentence's tokens were most likely cut from: the inverse of CoNLL's tokenization.

    Tokens are joined by single spaces except: no space before ``, . ; : ! ? ) ] } %``, the clitics
    ``'s 're 've 'll 'd 'm n't``, and closing quotes; none after ``( [ {``, opening quotes and a
    currency sign before a number (``$ 5`` -> ``$5``, ``C$ 1.5`` -> ``C$1.5``). Double quotes
    alternate open/close; a lone ``'`` after a word ending in s is a plural possessive
    (``players '`` -> ``players'``), otherwise single quotes alternate like double quotes.
    """
    return _detokenized(tokens)[0]


def _detokenized(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """:func:`detokenize`'s text and each token's (start, end) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    open_quotes = {'"': False, "'": False}
    glue_next = True  # no space before the first token
    for i, token in enumerate(tokens):
        glue, glue_after = token in _NO_SPACE_BEFORE, token in _NO_SPACE_AFTER
        if token in open_quotes:
            previous = tokens[i - 1] if i else ""
            if token == "'" and not open_quotes["'"] and previous[-1:] in ("s", "S") and previous.isalpha():
                glue = True  # the players' union
            elif open_quotes[token]:
                glue, open_quotes[token] = True, False
            else:
                glue_after, open_quotes[token] = True, True
        elif _CURRENCY.fullmatch(token) and i + 1 < len(tokens) and tokens[i + 1][:1].isdigit():
            glue_after = True
        if not (glue or glue_next):
            parts.append(" ")
            position += 1
        parts.append(token)
        spans.append((position, position + len(token)))
        position += len(token)
        glue_next = glue_after
    return "".join(parts), spans


def _spaced(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    spans, position = [], 0
    for token in tokens:
        spans.append((position, position + len(token)))
        position += len(token) + 1
    return " ".join(tokens), spans


@dataclass
class Agreement:
    """How many sentences :func:`split_words` splits exactly into their CoNLL tokens.

    ``disagreements`` counts patterns: the tokens where the split differs (with a token of context
    on each side and digits written as 0) and the words :func:`split_words` made of them.
    """

    sentences: int = 0
    equal: int = 0
    disagreements: Counter = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return self.equal / self.sentences if self.sentences else 1.0


def agreement(sentences: Iterable[Sequence[str]], *, detokenized: bool = False) -> Agreement:
    """Split each sentence's text with :func:`split_words` and compare the words with its tokens.

    The text is the tokens joined by single spaces, or with ``detokenized=True`` the text
    :func:`detokenize` makes of them (no space before a comma, after an opening bracket, ...).
    """
    join = _detokenized if detokenized else _spaced
    result = Agreement()
    for tokens in sentences:
        tokens = list(tokens)
        text, spans = join(tokens)
        words = split_words(text)
        result.sentences += 1
        if [w.text for w in words] == tokens:
            result.equal += 1
        else:
            result.disagreements[_disagreement(tokens, spans, words)] += 1
    return result


def _disagreement(tokens: list[str], spans: list[tuple[int, int]], words: list[Word]) -> str:
    """``"tokens => words"`` around the first place where words and tokens differ."""
    found = [(w.start, w.end) for w in words]
    first = next((i for i, (a, b) in enumerate(zip(spans, found)) if a != b), min(len(spans), len(found)))
    start = min(x[0] for x in (spans[first : first + 1] + found[first : first + 1]))
    end = max(x[1] for x in (spans[first : first + 1] + found[first : first + 1]))
    while True:  # grow the region until no token or word crosses its end
        crossing = [e for s, e in spans + found if s < end < e]
        if not crossing:
            break
        end = max(crossing)
    gold = [i for i, (s, _) in enumerate(spans) if start <= s < end]
    ours = [w.text for w in words if start <= w.start < end]
    left = tokens[gold[0] - 1 : gold[0]] if gold and gold[0] else []
    right = tokens[gold[-1] + 1 : gold[-1] + 2] if gold else []
    pattern = f"{' '.join(left + [tokens[i] for i in gold] + right)} => {' '.join(left + ours + right)}"
    return regex.sub(r"\d", "0", pattern)


def summary(result: Agreement, top: int) -> dict:
    return {
        "agree": result.equal,
        "share": round(result.share, 5),
        "top_disagreements": [{"pattern": p, "sentences": n} for p, n in result.disagreements.most_common(top)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=os.environ.get(DATA_DIR_ENV), help=f"default: ${DATA_DIR_ENV}")
    parser.add_argument("--top", type=int, default=15, help="disagreement patterns listed per split and form")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    if not args.data_dir:
        parser.error(f"pass --data-dir or set {DATA_DIR_ENV} to a folder with train.txt, validation.txt, test.txt")

    splits, rows = {}, []
    for split, path in find_split_files(args.data_dir).items():
        sentences = [[columns[0] for _, columns in sentence] for sentence in read_conll_rows(path)]
        spaced, detokenized = agreement(sentences), agreement(sentences, detokenized=True)
        splits[split] = {
            "sentences": spaced.sentences,
            "spaced": summary(spaced, args.top),
            "detokenized": summary(detokenized, args.top),
        }
        rows.append(
            {
                "split": split,
                "sentences": spaced.sentences,
                "spaced %": round(100 * spaced.share, 2),
                "detokenized %": round(100 * detokenized.share, 2),
            }
        )

    argv = [value.replace(args.data_dir, "CONLL_DIR") for value in sys.argv[1:]]
    write_json(
        args.json,
        {
            "machine": machine(),
            "command": shlex.join(["python", "benchmarks/tokenization_agreement.py", *argv]),
            "data": os.path.basename(os.path.normpath(args.data_dir)),
            "splits": splits,
        },
    )
    print(table(rows, ["split", "sentences", "spaced %", "detokenized %"]))


if __name__ == "__main__":
    main()
