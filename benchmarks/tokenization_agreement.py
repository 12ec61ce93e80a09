"""How often nercourse.split_words gives back CoNLL-2003's own tokens, per split.

For every sentence of a CoNLL folder the tokens are turned into text twice and split again:
- ``spaced``: the tokens joined by single spaces (split_words must not cut a CoNLL token apart);
- ``detokenized``: the text nercourse.words.detokenize makes of them, as a writer would have typed
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

from common import machine, table, write_json

from nercourse.data import DATA_DIR_ENV, find_split_files, read_conll_rows
from nercourse.words import Agreement, agreement


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
