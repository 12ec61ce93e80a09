"""A tiny, randomly initialised BERT for smoke runs and tests: seconds on a CPU, no download.

Its WordPiece vocabulary is trained with ``tokenizers`` on a CoNLL-format corpus (by default the
course's mini corpus), and its encoder is two small layers. It learns almost nothing in a smoke
run; it exists so that every code path of the course runs anywhere, offline.
"""

from __future__ import annotations

import os
from pathlib import Path

from .conll import read_conll_sentences
from .data import MINI_CORPUS_DIR, find_split_files


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
