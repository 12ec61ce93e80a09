"""A pasted article against its sentences: word-level F1 of NerTagger on whole documents.

Each document of a CoNLL split (its ``-DOCSTART-`` boundaries) becomes one text, the way a user
pastes an article: every sentence's words joined by spaces, and the sentences joined by a line break
(``--joiner newline``, one sentence per line, as headlines, datelines and table rows are) or by a
space (``--joiner space``, one paragraph). Three ways to tag it:

- ``sentences one by one``: each gold sentence's words through ``NerTagger.predict_words`` on its own,
  how the model was trained and how the course scores it (the reference);
- ``document, by sentence``: ``NerTagger.entities(article)`` with ``by_sentence=True`` (the default):
  the tagger finds the sentences itself (``nercourse.split_sentences``) and runs each on its own;
- ``document, whole``: ``NerTagger(by_sentence=False).entities(article)``: the article as one word
  sequence, in windows of up to 512 subwords that hold several sentences.

Entities are mapped back to the gold words by their character offsets (a word takes the entity
that holds its first character, as in ``inference_benchmark.py``), so every gold word gets exactly
one prediction and the scores are the course's word-level seqeval F1, comparable with notebook 04.
The share of documents and of sentence boundaries that ``split_sentences`` recovers is recorded too
(``sentence_splitter_benchmark.py`` compares it with pysbd and spaCy).

usage: python benchmarks/document_benchmark.py --model FINETUNED_DIR --data-dir CONLL_DIR
           [--split test] [--json out.json]
"""

from __future__ import annotations

import argparse
import sys
import time

from common import finish, model_summary, record, table, write_json
from inference_benchmark import tags_from_entities

import nercourse
from nercourse.conll import document_ids, read_conll_sentences
from nercourse.data import find_split_files

JOINERS = {"newline": "\n", "space": " "}
REFERENCE, BY_SENTENCE, WHOLE = "sentences one by one", "document, by sentence", "document, whole"
ROW_COLUMNS = ["path", "f1", "vs_sentences", "seconds"]


def documents_of(path) -> list[list[tuple[list[str], list[str]]]]:
    """The file's documents, each a list of (words, gold tags) sentences."""
    sentences, tags = read_conll_sentences(path)
    found: dict[int, list] = {}
    for document, words, gold in zip(document_ids(path), sentences, tags, strict=True):
        found.setdefault(document, []).append((words, gold))
    return list(found.values())


def article(document, joiner: str) -> tuple[str, list[list[tuple[int, int]]]]:
    """The document as one text, and each sentence's word offsets into it."""
    parts, spans, position = [], [], 0
    for words, _ in document:
        sentence_spans = []
        for word in words:
            sentence_spans.append((position, position + len(word)))
            position += len(word) + 1
        spans.append(sentence_spans)
        parts.append(" ".join(words))
    text = joiner.join(parts)  # both joiners are one character, like the space between words
    return text, spans


def tag_documents(tagger, texts, spans_of) -> list[list[str]]:
    """One tag per gold word, sentence by sentence, from the entities the tagger finds in each text."""
    predictions = []
    for entities, spans in zip(tagger.entities_batch(texts), spans_of, strict=True):
        flat = [span for sentence in spans for span in sentence]
        groups = [{"entity_group": e.type, "start": e.start, "end": e.end} for e in entities]
        tags = tags_from_entities(groups, flat)
        for sentence in spans:
            predictions.append(tags[: len(sentence)])
            tags = tags[len(sentence) :]
    return predictions


def boundary_recovery(documents, texts, split=None) -> dict:
    """How well ``split`` (``nercourse.split_sentences`` by default) finds the gold sentences of each
    document. A boundary is where a sentence ends inside a document (the end of its last word); a
    document is split exactly when its boundaries are the gold ones, no more and no fewer."""
    split = split or nercourse.split_sentences
    exact_documents, found_boundaries, boundaries, predicted = 0, 0, 0, 0
    for document, text in zip(documents, texts, strict=True):
        gold = [" ".join(words) for words, _ in document]
        ends = {len(" ".join(gold[: k + 1])) for k in range(len(gold) - 1)}  # offsets of the gold boundaries
        seen = {sentence[-1].end for sentence in split(text)[:-1]}
        exact_documents += seen == ends
        boundaries += len(ends)
        predicted += len(seen)
        found_boundaries += len(ends & seen)
    precision = found_boundaries / predicted if predicted else 1.0
    recall = found_boundaries / boundaries if boundaries else 1.0
    return {
        "documents": len(documents),
        "documents_split_exactly": exact_documents,
        "gold_boundaries": boundaries,
        "gold_boundaries_found": found_boundaries,
        "boundaries_predicted": predicted,
        "boundary_precision": 100 * precision,
        "boundary_recall": 100 * recall,
        "boundary_f1": 100 * (2 * precision * recall / (precision + recall) if precision + recall else 0.0),
    }


def measure(model_path: str, documents, joiner: str, device: str | None = None) -> dict:
    model, tokenizer = nercourse.load_finetuned(model_path)
    by_sentence = nercourse.NerTagger(model, tokenizer, device=device)
    whole = nercourse.NerTagger(model, tokenizer, device=device, by_sentence=False)
    gold = [tags for document in documents for _, tags in document]
    texts, spans_of = zip(*(article(document, JOINERS[joiner]) for document in documents))

    rows = []
    started = time.perf_counter()
    reference, _ = by_sentence.predict_words([words for document in documents for words, _ in document])
    rows.append({"path": REFERENCE, "seconds": time.perf_counter() - started, "predictions": reference})
    for name, tagger in ((BY_SENTENCE, by_sentence), (WHOLE, whole)):
        started = time.perf_counter()
        predicted = tag_documents(tagger, list(texts), spans_of)
        rows.append({"path": name, "seconds": time.perf_counter() - started, "predictions": predicted})
    for row in rows:
        scores = nercourse.score_words(gold, row.pop("predictions"))
        row.update(f1=100 * scores["f1"], precision=100 * scores["precision"], recall=100 * scores["recall"])
    for row in rows:
        row["vs_sentences"] = row["f1"] - rows[0]["f1"]
    return {
        "joiner": joiner,
        "sentences": len(gold),
        "words": sum(map(len, gold)),
        "rows": rows,
        "sentence_splitting": boundary_recovery(documents, texts),
    }


def summary_lines(result: dict) -> list[str]:
    lines = [f"{result['split']}, sentences joined by a {result['joiner']}, word-level F1:", ""]
    lines += [table(result["rows"], ROW_COLUMNS), ""]
    s = result["sentence_splitting"]
    lines.append(
        f"split_sentences: {s['documents_split_exactly']}/{s['documents']} documents exactly, "
        f"{s['gold_boundaries_found']}/{s['gold_boundaries']} sentence boundaries found"
    )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a fine-tuned model folder")
    parser.add_argument("--data-dir", required=True, help="a folder with CoNLL files that keep -DOCSTART- lines")
    parser.add_argument("--split", default="test")
    parser.add_argument("--joiner", choices=sorted(JOINERS), default="newline")
    parser.add_argument("--device", default=None)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)

    nercourse.quiet()
    result = record({"FINETUNED": args.model, "CONLL_DIR": args.data_dir})
    path = find_split_files(args.data_dir)[args.split]
    documents = documents_of(path)
    result.update(split=args.split, model=model_summary(args.model))
    result.update(measure(args.model, documents, args.joiner, device=args.device))
    write_json(args.json, finish(result), echo=False)
    print("\n".join(summary_lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
