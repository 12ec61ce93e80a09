"""The course's sentence splitter against pysbd and spaCy's sentencizer, on whole articles.

Every document of a CoNLL split becomes one text as in ``document_benchmark.py`` (its sentences
joined by a space, one paragraph, and by a line break), and each splitter cuts it into sentences:

- ``course``: ``nercourse.split_sentences``;
- ``pysbd``: ``pysbd.Segmenter(language="en", clean=False, char_span=True)`` (rule-based, pure Python);
- ``spacy``: ``spacy.blank("en")`` with the rule-based ``sentencizer`` pipe (no model to download).

A library's sentences are character spans; the words are always the course's (``split_words``), each
in the sentence where its first character lies, so that only the boundaries differ between splitters.
Two things are measured for each splitter and joiner:

- (a) boundaries: a boundary is where a sentence ends inside a document (not its last one); found
  against the gold ``-DOCSTART-`` sentences: recall, precision, F1, and the documents split exactly;
- (b) word-level F1 of ``NerTagger`` (``by_sentence=True``, the splitter finding the sentences) against
  the gold sentences given one by one, with the same fine-tuned model, scored as in
  ``document_benchmark.py`` (entities mapped back to the gold words by their offsets).

usage: python benchmarks/sentence_splitter_benchmark.py --model FINETUNED --data-dir CONLL_DIR
           [--split test] [--splitters course,pysbd,spacy] [--joiners space,newline] [--json out.json]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from common import finish, model_summary, record, table, write_json
from document_benchmark import JOINERS, article, boundary_recovery, documents_of, tag_documents

import nercourse
from nercourse.data import find_split_files

Splitter = Callable[[str], list[list[nercourse.Word]]]
REFERENCE = "sentences one by one"
ROW_COLUMNS = ["splitter", "joiner", "boundary_precision", "boundary_recall", "boundary_f1", "documents_split_exactly"]
ROW_COLUMNS += ["f1", "vs_sentences", "seconds"]


def words_from_starts(text: str, starts: list[int]) -> list[list[nercourse.Word]]:
    """The course's words of ``text`` in sentences that begin at the character offsets ``starts``: each
    word goes to the sentence that holds its first character; no sentence is empty."""
    sentences: list[list[nercourse.Word]] = []
    bounds, k = sorted(starts), 0
    for word in nercourse.split_words(text):
        opens = False
        while k < len(bounds) and bounds[k] <= word.start:
            opens, k = True, k + 1
        if opens or not sentences:
            sentences.append([])
        sentences[-1].append(word)
    return sentences


def pysbd_splitter() -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return lambda text: words_from_starts(text, [span.start for span in segmenter.segment(text)])


def spacy_splitter() -> Splitter:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return lambda text: words_from_starts(text, [sentence.start_char for sentence in nlp(text).sents])


SPLITTERS: dict[str, Callable[[], Splitter]] = {
    "course": lambda: nercourse.split_sentences,
    "pysbd": pysbd_splitter,
    "spacy": spacy_splitter,
}
LIBRARIES = {"pysbd": "pysbd", "spacy": "spacy"}


class SplitterTagger(nercourse.NerTagger):
    """``NerTagger`` with ``by_sentence=True`` whose sentences come from ``split``."""

    def __init__(self, model, tokenizer, split: Splitter, **kwargs):
        super().__init__(model, tokenizer, **kwargs)
        self.split = split

    def sentences(self, text):
        return self.split(text)


def library_versions(names) -> dict:
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(LIBRARIES.get(name, name))
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def git_revision() -> str | None:
    """The commit the splitters' code comes from (``-dirty`` when the working tree had changes)."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def measure(model_path: str, documents, splitters: list[str], joiners: list[str], device=None) -> dict:
    model, tokenizer = nercourse.load_finetuned(model_path)
    gold = [tags for document in documents for _, tags in document]

    def score(predictions) -> dict:
        scores = nercourse.score_words(gold, predictions)
        return {key: 100 * scores[key] for key in ("f1", "precision", "recall")}

    started = time.perf_counter()
    reference_tagger = nercourse.NerTagger(model, tokenizer, device=device)
    predicted, _ = reference_tagger.predict_words([words for document in documents for words, _ in document])
    reference = {"path": REFERENCE, "seconds": time.perf_counter() - started, **score(predicted)}

    rows = []
    for name in splitters:
        split = SPLITTERS[name]()
        tagger = SplitterTagger(model, tokenizer, split, device=device)
        for joiner in joiners:
            texts, spans_of = zip(*(article(document, JOINERS[joiner]) for document in documents))
            started = time.perf_counter()
            boundaries = boundary_recovery(documents, texts, split)
            split_seconds = time.perf_counter() - started
            started = time.perf_counter()
            predicted = tag_documents(tagger, list(texts), spans_of)
            row = {"splitter": name, "joiner": joiner, "seconds": time.perf_counter() - started, **score(predicted)}
            row["vs_sentences"] = row["f1"] - reference["f1"]
            row.update(boundaries, split_seconds=split_seconds)
            rows.append(row)
    return {"sentences": len(gold), "words": sum(map(len, gold)), "reference": reference, "rows": rows}


def summary_lines(result: dict) -> list[str]:
    reference = result["reference"]
    lines = [
        f"{result['split']}: {result['sentences']} sentences in {result['rows'][0]['documents']} documents;"
        f" sentences one by one: word-level F1 {reference['f1']:.2f}",
        "",
        table(result["rows"], ROW_COLUMNS),
    ]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a fine-tuned model folder")
    parser.add_argument("--data-dir", required=True, help="a folder with CoNLL files that keep -DOCSTART- lines")
    parser.add_argument("--split", default="test")
    parser.add_argument("--splitters", default=",".join(SPLITTERS), help="comma-separated, of: " + ", ".join(SPLITTERS))
    parser.add_argument("--joiners", default="space,newline", help="comma-separated, of: " + ", ".join(JOINERS))
    parser.add_argument("--device", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    splitters, joiners = args.splitters.split(","), args.joiners.split(",")
    for name, known in [(s, SPLITTERS) for s in splitters] + [(j, JOINERS) for j in joiners]:
        if name not in known:
            parser.error(f"unknown: {name!r}; choose from {', '.join(known)}")

    nercourse.quiet()
    result = record({"FINETUNED": args.model, "CONLL_DIR": args.data_dir})
    result["machine"].update(library_versions(s for s in splitters if s in LIBRARIES))
    result.update(git_revision=git_revision(), split=args.split, model=model_summary(args.model))
    documents = documents_of(find_split_files(args.data_dir)[args.split])
    result.update(measure(args.model, documents, splitters, joiners, device=args.device))
    write_json(args.json, finish(result), echo=False)
    print("\n".join(summary_lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
