"""Write a randomly initialised bert-base-sized BERT (12 layers, hidden 768, 12 heads) with the
WordPiece tokenizer of a given model folder: speed measurements without downloading
bert-base-cased. Random weights learn nothing useful; use them for timings only.

usage: python benchmarks/make_random_bert_base.py TOKENIZER_FOLDER OUTPUT_FOLDER
"""

from __future__ import annotations

import sys


def main(tokenizer_folder: str, output_folder: str) -> None:
    import torch
    from transformers import AutoTokenizer, BertConfig, BertModel

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_folder)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(tokenizer))  # BertConfig's defaults are bert-base's sizes
    model = BertModel(config, add_pooling_layer=False)
    model.save_pretrained(output_folder)
    tokenizer.save_pretrained(output_folder)
    print(f"wrote {output_folder}: {sum(p.numel() for p in model.parameters()) / 1e6:.0f}M parameters")


if __name__ == "__main__":
    main(*sys.argv[1:3])
