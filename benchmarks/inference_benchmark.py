"""Prediction speed on a whole split: pipeline("token-classification") one sentence at a time,
the pipeline with batch_size=64, and the course's batched NerTagger, on the same device.

Each path goes from a split's words to one result per sentence. The pipeline gets the words
joined by spaces (it takes text) and aggregation_strategy="first"; NerTagger takes the words
and returns one tag per word. Sentences per second are measured after one warm-up pass.

usage: python benchmarks/inference_benchmark.py --model FINETUNED_DIR --data-dir CONLL_DIR
           [--split test] [--limit N] [--json out.json]
"""

from __future__ import annotations

import argparse
import time

from common import machine, table, write_json

import nercourse


def timed(function, repeat: int = 1) -> float:
    import torch

    best = float("inf")
    for _ in range(repeat):
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        started = time.perf_counter()
        function()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    import torch
    from transformers import pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--split", default="test")
    parser.add_argument("--limit", type=int, default=None, help="first N sentences only (quick checks)")
    parser.add_argument("--batch-size", type=int, default=None, help="NerTagger batch (default: 256 on GPU, 32 on CPU)")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    nercourse.quiet()
    split = nercourse.load_conll2003(args.data_dir)[args.split]
    sentences = list(split["tokens"])[: args.limit]
    texts = [" ".join(words) for words in sentences]
    tagger = nercourse.NerTagger.from_pretrained(args.model, batch_size=args.batch_size)
    device = 0 if torch.cuda.is_available() else -1
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(tagger.precision, torch.float32)
    ner = pipeline(
        "token-classification",
        model=tagger.model,
        tokenizer=tagger.tokenizer,
        aggregation_strategy="first",
        device=device,
        dtype=dtype,
    )

    tagger.predict_words(sentences[:64])  # warm-up: kernels, allocator
    ner(texts[:8])
    rows = []
    for name, run in (
        ("pipeline, one sentence at a time", lambda: [ner(t) for t in texts]),
        ("pipeline, batch_size=64", lambda: ner(texts, batch_size=64)),
        ("nercourse.NerTagger.predict_words", lambda: tagger.predict_words(sentences)),
    ):
        seconds = timed(run)
        rows.append({"path": name, "seconds": round(seconds, 3), "sentences_per_s": round(len(sentences) / seconds, 1)})
    base_one, base_batch = rows[0]["sentences_per_s"], rows[1]["sentences_per_s"]
    for row in rows:
        row["vs_one_by_one"] = round(row["sentences_per_s"] / base_one, 2)
        row["vs_batch_64"] = round(row["sentences_per_s"] / base_batch, 2)
    write_json(
        args.json,
        {
            "machine": machine(),
            "model": args.model,
            "sentences": len(sentences),
            "precision": tagger.precision,
            "rows": rows,
        },
    )
    print(table(rows, ["path", "seconds", "sentences_per_s", "vs_one_by_one", "vs_batch_64"]))


if __name__ == "__main__":
    main()
