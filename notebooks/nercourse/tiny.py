"""A tiny, randomly initialised BERT for smoke runs and tests: seconds on a CPU, no download.

Its WordPiece vocabulary is trained with ``tokenizers`` on a CoNLL-format corpus (by default the
course's mini corpus), and its encoder is two small layers. It learns almost nothing in a smoke
run; it exists so that every code path of the course runs anywhere, offline.

:func:`tiny_ner_model` trains one for a few seconds on the mini corpus, so that notebook 00's first
``pipeline`` really tags entities offline (``nercourse.welcome_model`` picks it when there is no Hub).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from .alignment import align_labels_with_tokens
from .conll import read_conll_sentences
from .data import MINI_CORPUS_DIR, find_split_files
from .labels import LABEL_NAMES


def build_tiny_bert(
    output_dir: str | os.PathLike,
    corpus_dir: str | os.PathLike = MINI_CORPUS_DIR,
    *,
    vocab_size: int = 2000,
    hidden_size: int = 64,
    layers: int = 2,
    heads: int = 2,
    max_length: int = 256,
    seed: int = 0,
) -> str:
    """Write a tiny cased BERT (``BertModel`` weights + fast tokenizer) to ``output_dir``.

    ``max_length`` is small on purpose: long inputs then exercise the windowing code.
    Returns the folder as a string, ready for ``from_pretrained``.
    """
    import torch
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    words = [w for path in find_split_files(corpus_dir).values() for s in read_conll_sentences(path)[0] for w in s]

    wordpiece = BertWordPieceTokenizer(lowercase=False, strip_accents=False)
    wordpiece.train_from_iterator([words[i : i + 64] for i in range(0, len(words), 64)], vocab_size=vocab_size)
    wordpiece.save(str(output_dir / "tokenizer.json"))
    tokenizer = BertTokenizerFast(
        tokenizer_file=str(output_dir / "tokenizer.json"), do_lower_case=False, model_max_length=max_length
    )
    tokenizer.save_pretrained(output_dir)

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=hidden_size * 4,
        max_position_embeddings=max_length,
    )
    BertModel(config, add_pooling_layer=False).save_pretrained(output_dir)
    return str(output_dir)


TINY_NER_RECIPE = (
    "tiny-ner-1: WordPiece vocabulary = characters + words seen twice in train; 2 layers, hidden 64; "
    "6 epochs, batch 16, AdamW lr 3e-3, first-subword labels, seed 0"
)
"""What :func:`tiny_ner_model` builds and trains; part of its cache key, so a changed recipe is rebuilt."""


def tiny_ner_model(
    output_dir: str | os.PathLike | None = None, corpus_dir: str | os.PathLike = MINI_CORPUS_DIR, *, seed: int = 0
) -> str:
    """A tiny BERT trained for NER from scratch on the training split of ``corpus_dir`` (seconds on
    a CPU for the mini corpus), saved with its tokenizer and CoNLL-2003's label names; returns the folder.

    Unlike :func:`build_tiny_bert`, whose trained WordPiece vocabulary varies from run to run, its
    vocabulary is written out (the corpus's characters, as word starts and as ``##`` pieces, and
    every word seen at least twice), so the same corpus and seed give the same model. Without
    ``output_dir`` the model is built once and cached in the system's temporary folder (keyed by the
    corpus and :data:`TINY_NER_RECIPE`). It finds entities in sentences like its training data;
    names it never saw get rough, often wrong tags.
    """
    train_file = find_split_files(corpus_dir)["train"]
    if output_dir is None:
        key = hashlib.sha256(TINY_NER_RECIPE.encode() + b"\0" + train_file.read_bytes()).hexdigest()[:12]
        output_dir = Path(tempfile.gettempdir()) / "nercourse" / f"tiny-ner-{key}"
    output_dir = Path(output_dir)
    if (output_dir / "config.json").is_file():
        return str(output_dir)

    import torch
    from tokenizers import BertWordPieceTokenizer
    from transformers import (
        BertConfig,
        BertForTokenClassification,
        BertTokenizerFast,
        DataCollatorForTokenClassification,
    )
    from transformers.utils import logging as transformers_logging

    sentences, tags = read_conll_sentences(train_file)
    counts = Counter(word for words in sentences for word in words)
    characters = sorted({character for word in counts for character in word})
    frequent = sorted((w for w, n in counts.items() if n >= 2 and len(w) > 1), key=lambda w: (-counts[w], w))
    pieces = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *characters, *("##" + c for c in characters), *frequent]
    vocabulary = {piece: i for i, piece in enumerate(dict.fromkeys(pieces))}

    output_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tiny-ner-", dir=output_dir.parent))  # renamed when complete
    try:
        BertWordPieceTokenizer(vocabulary, lowercase=False, strip_accents=False).save(str(work / "tokenizer.json"))
        tokenizer = BertTokenizerFast(
            tokenizer_file=str(work / "tokenizer.json"), do_lower_case=False, model_max_length=256
        )
        torch.manual_seed(seed)
        config = BertConfig(
            vocab_size=len(tokenizer),
            hidden_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=256,
            max_position_embeddings=256,
            id2label=dict(enumerate(LABEL_NAMES)),
            label2id={name: i for i, name in enumerate(LABEL_NAMES)},
        )
        model = BertForTokenClassification(config)
        examples = []
        for words, word_tags in zip(sentences, tags, strict=True):
            encoding = tokenizer(words, is_split_into_words=True, truncation=True)
            labels = align_labels_with_tokens([LABEL_NAMES.index(tag) for tag in word_tags], encoding.word_ids())
            examples.append({**encoding, "labels": labels})
        collator = DataCollatorForTokenClassification(tokenizer)
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
        order = torch.Generator().manual_seed(seed)
        model.train()
        for _ in range(6):
            shuffled = torch.randperm(len(examples), generator=order).tolist()
            for start in range(0, len(shuffled), 16):
                loss = model(**collator([examples[i] for i in shuffled[start : start + 16]])).loss
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
        model.eval()
        bars = transformers_logging.is_progress_bar_enabled()
        transformers_logging.disable_progress_bar()  # "Writing model shards": noise in notebook 00's first cell
        try:
            model.save_pretrained(work / "model")
            tokenizer.save_pretrained(work / "model")
        finally:
            if bars:
                transformers_logging.enable_progress_bar()
        try:
            (work / "model").rename(output_dir)
        except OSError:  # another process finished first: its copy is the same model
            if not (output_dir / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return str(output_dir)
