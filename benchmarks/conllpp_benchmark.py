"""The same model on CoNLL-2003's test split and on CoNLL++, its corrected copy.

One pass of ``NerTagger`` over the test split gives one tag per word; those predictions are scored
against both golds (``nercourse.compare_scores``), and the corrected sentences are sorted by whom the
model agrees with where the correction changed the tags (``nercourse.corrected_disagreements``).

usage: python benchmarks/conllpp_benchmark.py --model FINETUNED_DIR --data-dir CONLL_DIR
           --conllpp CONLLPP_TEST_FILE [--json out.json]
"""

from __future__ import annotations

import argparse
import sys
import time

from common import finish, model_summary, record, write_json

import nercourse
from nercourse.data import find_split_files
from nercourse.labels import gold_tags

KEYS = ("precision", "recall", "f1", "strict_f1")


def measure(model_path: str, original, corrected, device: str | None = None) -> dict:
    tagger = nercourse.NerTagger.from_pretrained(model_path, device=device)
    started = time.perf_counter()
    _, predictions = nercourse.evaluate_split(tagger, original)
    seconds = time.perf_counter() - started
    both = nercourse.compare_scores(original, corrected, predictions)
    found = nercourse.corrected_disagreements(
        list(original["tokens"]), gold_tags(original), gold_tags(corrected), predictions
    )
    return {
        "sentences": len(original),
        "predict_seconds": round(seconds, 1),
        "scores": {gold: {key: round(100 * values[key], 2) for key in KEYS} for gold, values in both.items()},
        "corrected_sentences": len(found),
        "verdicts": nercourse.verdict_counts(found),
        "agrees_with_correction": [item.describe() for item in found if item.verdict == "agrees with correction"],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a fine-tuned model folder")
    parser.add_argument("--data-dir", required=True, help="a folder with the CoNLL-2003 files")
    parser.add_argument("--conllpp", required=True, help="the CoNLL++ test file (CoNLL format)")
    parser.add_argument("--device", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    nercourse.quiet()
    result = record({"FINETUNED": args.model, "CONLL_DIR": args.data_dir, "CONLLPP_FILE": args.conllpp})
    original = nercourse.read_conll(find_split_files(args.data_dir)["test"])
    corrected = nercourse.load_conllpp(args.conllpp)
    result.update(model=model_summary(args.model), **measure(args.model, original, corrected, device=args.device))
    write_json(args.json, finish(result), echo=False)
    s = result["scores"]
    print(f"test F1: CoNLL-2003 {s['conll2003']['f1']:.2f}, CoNLL++ {s['conllpp']['f1']:.2f}")
    print(f"{result['corrected_sentences']} corrected sentences: {result['verdicts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
