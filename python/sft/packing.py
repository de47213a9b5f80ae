"""Packing: several tokenised examples in one training sequence, as the paper's recipe does.

The official recipe concatenates examples into 4,096-token sequences, so an optimizer step
sees about as many tokens whatever the examples' lengths (one padded example per row gives
3-7x more steps at the same learning rate). Two choices here, both stated in the README:
- Each example stays whole in one sequence (greedy, in a seeded shuffled order); the official
  code cuts the concatenated stream every 4,096 tokens, splitting an example across two
  sequences and dropping the last partial piece. Keeping examples whole never trains a
  response without its prompt and drops nothing.
- As in the official code, attention is not masked between the examples of one sequence
  (positions run on across them); the loss is still on responses only (labels carry -100
  everywhere else, including the boundary between two examples).

Pure Python: no torch needed to test it.
"""

from __future__ import annotations

import random
from typing import Sequence


def pack_examples(examples: Sequence[dict], max_length: int, seed: int) -> list[dict]:
    """Groups examples (each with input_ids and labels of at most max_length tokens) into
    sequences of at most max_length tokens. The order is shuffled with `seed` first, so a
    sequence mixes examples from all over the file rather than neighbours."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    packs: list[dict] = []
    ids: list[int] = []
    labels: list[int] = []
    for index in order:
        example = examples[index]
        length = len(example["input_ids"])
        if length > max_length:
            raise ValueError(f"example {index} has {length} tokens, more than the sequence length {max_length}")
        if ids and len(ids) + length > max_length:
            packs.append({"input_ids": ids, "labels": labels})
            ids, labels = [], []
        ids = ids + list(example["input_ids"])
        labels = labels + list(example["labels"])
    if ids:
        packs.append({"input_ids": ids, "labels": labels})
    return packs


def steps_per_epoch(sequences: int, per_device_batch: int, world: int, grad_accum: int) -> int:
    """Optimizer steps in one epoch, counted as transformers 5 counts them (a last, partial
    accumulation is a step too): each process sees ceil(sequences / (batch * world)) batches."""
    batches = -(-sequences // (per_device_batch * world))
    return max(1, -(-batches // grad_accum))
