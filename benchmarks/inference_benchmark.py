"""Prediction speed on a whole split, like for like: the Hugging Face pipeline against the course's
NerTagger (notebook 05), doing the same work on the same device.

Two kinds of work, each with three contenders:

(a) text -> entities with character offsets. Each sentence's words joined by spaces is the text.
    ``pipeline("token-classification", aggregation_strategy="first")`` one text at a time and with
    ``batch_size=64``, against ``NerTagger.entities_batch`` (which splits the text into words itself).
(b) words -> one tag per word. The pipeline gets the space-joined words and its entities are mapped
    back to IOB2 tags, a tag per word (a word whose first character lies in an entity takes its
    type: B- on the entity's first word, I- after); against ``NerTagger.predict_words`` on the words. The pipeline's part of
    (b) is the pipeline call of (a) plus the mapping, so each pipeline pass is timed once and the
    mapping of its output is timed on its own and added.

The pipeline loads the model folder the way a user would (``pipeline(..., model=FOLDER)``, in the
precision NerTagger uses on this device: bf16 or fp16 weights on a GPU, fp32 on a CPU; NerTagger
keeps fp32 weights and autocasts). After one warm-up pass of every contender on 64 sentences, each
measurement is repeated ``--repeats`` times (at least 3) in one run, the contenders' order reversed
on every other repeat, and the median is reported; every raw time is in the JSON.

The two paths are checked against each other: the share of words whose tags are identical (both
written as IOB2, since the pipeline groups I- after O into a new entity as conlleval does) and the
share of entities found by both with the same type and offsets.

usage: python benchmarks/inference_benchmark.py --model FINETUNED_DIR --data-dir CONLL_DIR
           [--split test] [--limit N] [--repeats 3] [--batch-size N] [--json out.json]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from common import finish, median, model_summary, record, table, timed, write_json

import nercourse
from nercourse.labels import tag_spans

PIPELINE_BATCH = 64
WARM_UP_SENTENCES = 64
ONE_BY_ONE, BATCHED, TAGGER = "pipeline, one text at a time", f"pipeline, batch_size={PIPELINE_BATCH}", "NerTagger"
ROW_COLUMNS = ["path", "median_s", "sentences_per_s", "vs_pipeline_one_by_one", "vs_pipeline_batch_64"]


def join_words(words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """The words joined by single spaces, and each word's (start, end) character offsets in it."""
    spans, position = [], 0
    for word in words:
        spans.append((position, position + len(word)))
        position += len(word) + 1
    return " ".join(words), spans


def tags_from_entities(entities: Sequence[dict], spans: Sequence[tuple[int, int]]) -> list[str]:
    """One IOB2 tag per word from pipeline entities (``entity_group``, ``start``, ``end``).

    A word takes the type of the entity that holds its first character (the pipeline's own words
    can be smaller than CoNLL's: it starts a new word at every piece of "U.S." that does not begin
    with "##"), B- if it is the entity's first word and I- after; other words are O."""
    tags = ["O"] * len(spans)
    for entity in entities:
        inside = [i for i, (start, _) in enumerate(spans) if entity["start"] <= start < entity["end"]]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + entity["entity_group"]
    return tags


def as_iob2(tags: Sequence[str]) -> list[str]:
    """Tags rewritten so that every entity (by conlleval's rule) starts with B-."""
    rewritten = ["O"] * len(tags)
    for kind, first, end in tag_spans(list(tags)):
        rewritten[first:end] = ["B-" + kind] + ["I-" + kind] * (end - first - 1)
    return rewritten


def word_agreement(tags_a: Sequence[Sequence[str]], tags_b: Sequence[Sequence[str]]) -> dict:
    """How many words carry the same IOB2 tag in both."""
    pairs = [
        (a, b) for sa, sb in zip(tags_a, tags_b, strict=True) for a, b in zip(as_iob2(sa), as_iob2(sb), strict=True)
    ]
    same = sum(a == b for a, b in pairs)
    return {"words": len(pairs), "identical": same, "share": round(same / max(1, len(pairs)), 5)}


def entity_agreement(pipeline_entities: Sequence[Sequence[dict]], tagger_entities) -> dict:
    """How many entities both found with the same type and character offsets (of all either found)."""
    both = either = 0
    for found_p, found_t in zip(pipeline_entities, tagger_entities, strict=True):
        keys_p = {(e["entity_group"], e["start"], e["end"]) for e in found_p}
        keys_t = {(e.type, e.start, e.end) for e in found_t}
        both += len(keys_p & keys_t)
        either += len(keys_p | keys_t)
    return {"entities_either": either, "entities_both": both, "share": round(both / max(1, either), 5)}


def _pipeline_for(tagger, model_path: str):
    import torch
    from transformers import pipeline

    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(tagger.precision, torch.float32)
    return pipeline(
        "token-classification",
        model=model_path,
        tokenizer=model_path,
        aggregation_strategy="first",
        device=tagger.device,
        dtype=dtype,
    ), str(dtype).removeprefix("torch.")


def _rows(times: dict[str, list[float]], sentences: int) -> list[dict]:
    rows = []
    for path, raw in times.items():
        seconds = median(raw)
        rows.append(
            {
                "path": path,
                "median_s": round(seconds, 3),
                "sentences_per_s": round(sentences / seconds, 1),
                "raw_s": raw,
            }
        )
    one, batched = rows[0]["sentences_per_s"], rows[1]["sentences_per_s"]
    for row in rows:
        row["vs_pipeline_one_by_one"] = round(row["sentences_per_s"] / one, 2)
        row["vs_pipeline_batch_64"] = round(row["sentences_per_s"] / batched, 2)
    return rows


def measure(
    model_path: str,
    sentences: Sequence[Sequence[str]],
    *,
    repeats: int = 3,
    batch_size: int | None = None,
    log: Callable[[str], None] = print,
) -> dict:
    """Time (a) text -> entities and (b) words -> tags for pipeline and NerTagger on ``sentences``.

    The part of a result file that the GPU suite's inference part reuses as it is.
    """
    if repeats < 1:
        raise nercourse.NerCourseError(
            f"repeats={repeats}: time each contender at least once (3 or more for a median)."
        )
    sentences = [list(words) for words in sentences]
    joined = [join_words(words) for words in sentences]
    texts = [text for text, _ in joined]
    tagger = nercourse.NerTagger.from_pretrained(model_path, batch_size=batch_size)
    ner, pipeline_dtype = _pipeline_for(tagger, model_path)

    def mapped(outputs):
        return [tags_from_entities(found, spans) for found, (_, spans) in zip(outputs, joined, strict=True)]

    contenders = {
        ONE_BY_ONE: lambda part: [ner(text) for text in part],
        BATCHED: lambda part: ner(part, batch_size=PIPELINE_BATCH),
        "NerTagger.entities_batch": lambda part: tagger.entities_batch(part),
        "NerTagger.predict_words": None,  # takes words, not text
    }
    for run in contenders.values():  # warm-up: kernels, allocator, tokenizer caches
        if run is None:
            tagger.predict_words(sentences[:WARM_UP_SENTENCES])
        else:
            run(texts[:WARM_UP_SENTENCES])

    text_times: dict[str, list[float]] = {ONE_BY_ONE: [], BATCHED: [], "NerTagger.entities_batch": []}
    word_times: dict[str, list[float]] = {ONE_BY_ONE: [], BATCHED: [], "NerTagger.predict_words": []}
    orders, outputs = [], {}
    for repeat in range(repeats):
        order = list(contenders) if repeat % 2 == 0 else list(reversed(contenders))
        orders.append(order)
        for name in order:
            if name == "NerTagger.predict_words":
                seconds, (tags, _) = timed(lambda: tagger.predict_words(sentences))
                word_times[name].append(round(seconds, 3))
                outputs[name] = tags
                continue
            seconds, found = timed(lambda run=contenders[name]: run(texts))
            text_times[name].append(round(seconds, 3))
            outputs[name] = found
            if name in word_times:  # the pipeline's words path: the same pass, then the mapping
                mapping_seconds, outputs[name + " tags"] = timed(lambda found=found: mapped(found))
                word_times[name].append(round(seconds + mapping_seconds, 3))
        log(f"repeat {repeat + 1}/{repeats}: " + ", ".join(f"{n} {t[-1]:.2f} s" for n, t in text_times.items()))

    tagger_tags = outputs["NerTagger.predict_words"]
    n = len(sentences)
    return {
        "sentences": n,
        "words": sum(map(len, sentences)),
        "repeats": repeats,
        "orders": orders,
        "tagger": {"precision": tagger.precision, "batch_size": tagger.batch_size, "device": str(tagger.device)},
        "pipeline": {"dtype": pipeline_dtype, "aggregation_strategy": "first", "batch_size": PIPELINE_BATCH},
        "text_to_entities": {
            "rows": _rows(text_times, n),
            "entity_agreement_with_pipeline_one_by_one": entity_agreement(
                outputs[ONE_BY_ONE], outputs["NerTagger.entities_batch"]
            ),
            "entity_agreement_with_pipeline_batch": entity_agreement(
                outputs[BATCHED], outputs["NerTagger.entities_batch"]
            ),
        },
        "words_to_tags": {
            "rows": _rows(word_times, n),
            "tag_agreement_with_pipeline_one_by_one": word_agreement(outputs[ONE_BY_ONE + " tags"], tagger_tags),
            "tag_agreement_with_pipeline_batch": word_agreement(outputs[BATCHED + " tags"], tagger_tags),
        },
    }


def summary_lines(result: dict) -> list[str]:
    """The two Markdown tables of a measurement, with the agreement under each."""
    text, words = result["text_to_entities"], result["words_to_tags"]
    return [
        "(a) text -> entities",
        "",
        table(text["rows"], ROW_COLUMNS),
        "",
        f"entities identical (type and offsets) with the pipeline, batch 64: "
        f"{100 * text['entity_agreement_with_pipeline_batch']['share']:.2f} %",
        "",
        "(b) words -> tags",
        "",
        table(words["rows"], ROW_COLUMNS),
        "",
        f"word tags identical with the pipeline, batch 64: {100 * words['tag_agreement_with_pipeline_batch']['share']:.2f} %",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a fine-tuned model folder")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--split", default="test")
    parser.add_argument("--limit", type=int, default=None, help="first N sentences only (quick checks)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=None, help="NerTagger batch (default: 256 on GPU, 32 on CPU)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    nercourse.quiet()
    result = record({"FINETUNED": args.model, "CONLL_DIR": args.data_dir})
    sentences = list(nercourse.load_conll2003(args.data_dir)[args.split]["tokens"])[: args.limit]
    result.update(split=args.split, model=model_summary(args.model))
    result.update(measure(args.model, sentences, repeats=args.repeats, batch_size=args.batch_size))
    write_json(args.json, finish(result), echo=False)
    print("\n".join(summary_lines(result)))


if __name__ == "__main__":
    main()
