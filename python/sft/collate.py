"""Assistant-only loss: tokenise a conversation with its chat template and label only the
assistant turns (labels are -100 everywhere else), then pad batches.

The paper trains on responses only. An assistant turn's trained span is everything the
template renders after the generation prompt up to the end of that turn: its content and
the end-of-turn token (so the student learns to stop), never the role header.

Nothing here imports torch or transformers at module level, so the masking is testable with
any object that has `apply_chat_template` and `__call__` like a Hugging Face tokenizer.
"""

from __future__ import annotations

from typing import Callable, Sequence

IGNORE_INDEX = -100

Render = Callable[[Sequence[dict], bool], str]


class TemplateError(ValueError):
    """The chat template does not render conversations as growing prefixes of each other."""


def render_segments(messages: Sequence[dict], render: Render) -> list[tuple[str, bool]]:
    """Splits the rendered conversation into (text, trained) pieces.

    render(messages, add_generation_prompt) -> text. Needs a template whose rendering of a
    conversation's first k messages is a prefix of the rendering of all of them, which holds
    for Llama-3, ChatML and most others; templates that rewrite earlier turns (for example by
    dropping reasoning from past answers) are refused rather than mislabelled.
    """
    full = render(messages, False)
    segments: list[tuple[str, bool]] = []
    pos = 0
    for i, message in enumerate(messages):
        if message["role"] != "assistant":
            continue
        prompt = render(messages[:i], True)
        through = render(messages[: i + 1], False)
        if not (through.startswith(prompt) and full.startswith(through) and len(prompt) >= pos):
            raise TemplateError(
                f"the chat template does not render message {i} as an extension of the earlier ones; "
                "use --chat-template llama3 or a template without per-turn rewriting"
            )
        segments.append((full[pos : len(prompt)], False))
        segments.append((full[len(prompt) : len(through)], True))
        pos = len(through)
    segments.append((full[pos:], False))
    return [(text, trained) for text, trained in segments if text]


def _spans(segments: Sequence[tuple[str, bool]]) -> tuple[str, list[tuple[int, int]]]:
    text, spans, at = "", [], 0
    for piece, trained in segments:
        if trained:
            spans.append((at, at + len(piece)))
        text += piece
        at += len(piece)
    return text, spans


def tokenize_by_offsets(segments: Sequence[tuple[str, bool]], tokenizer) -> tuple[list[int], list[int]]:
    """Tokenises the whole text at once (as inference sees it) and labels each token whose
    first character lies in a trained span. Needs a fast tokenizer (offset mappings)."""
    text, spans = _spans(segments)
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids = list(enc["input_ids"])
    labels = []
    for token_id, (start, end) in zip(ids, enc["offset_mapping"]):
        trained = any(s <= start < e for s, e in spans) if end > start else False
        labels.append(token_id if trained else IGNORE_INDEX)
    return ids, labels


def tokenize_by_segments(segments: Sequence[tuple[str, bool]], tokenizer) -> tuple[list[int], list[int]]:
    """Tokenises piece by piece; for tokenizers without offset mappings."""
    ids: list[int] = []
    labels: list[int] = []
    for text, trained in segments:
        piece = list(tokenizer(text, add_special_tokens=False)["input_ids"])
        ids.extend(piece)
        labels.extend(piece if trained else [IGNORE_INDEX] * len(piece))
    return ids, labels


def build_example(messages: Sequence[dict], tokenizer, chat_template: str, max_length: int, use_offsets: bool | None = None) -> dict | None:
    """input_ids and labels for one conversation, cut to max_length; None when no trained
    token survives the cut (the prompt alone is longer than max_length)."""

    def render(msgs: Sequence[dict], add_generation_prompt: bool) -> str:
        return tokenizer.apply_chat_template(
            list(msgs), chat_template=chat_template, tokenize=False, add_generation_prompt=add_generation_prompt
        )

    segments = render_segments(messages, render)
    if use_offsets is None:
        use_offsets = bool(getattr(tokenizer, "is_fast", False))
    ids, labels = (tokenize_by_offsets if use_offsets else tokenize_by_segments)(segments, tokenizer)
    ids, labels = ids[:max_length], labels[:max_length]
    if all(label == IGNORE_INDEX for label in labels):
        return None
    return {"input_ids": ids, "labels": labels}


def pad_batch(features: Sequence[dict], pad_token_id: int, pad_to_multiple_of: int | None = None) -> dict:
    """Right-pads input_ids (with pad_token_id), labels (with -100) and builds attention_mask."""
    if not features:
        raise ValueError("cannot pad an empty batch")
    longest = max(len(f["input_ids"]) for f in features)
    if pad_to_multiple_of:
        longest = -(-longest // pad_to_multiple_of) * pad_to_multiple_of
    batch = {"input_ids": [], "labels": [], "attention_mask": []}
    for f in features:
        ids, labels = list(f["input_ids"]), list(f["labels"])
        if len(ids) != len(labels):
            raise ValueError(f"input_ids and labels differ in length ({len(ids)} vs {len(labels)})")
        fill = longest - len(ids)
        batch["input_ids"].append(ids + [pad_token_id] * fill)
        batch["labels"].append(labels + [IGNORE_INDEX] * fill)
        batch["attention_mask"].append([1] * len(ids) + [0] * fill)
    return batch


class AssistantOnlyCollator:
    """The Trainer's data_collator: pad_batch as torch tensors."""

    def __init__(self, pad_token_id: int, pad_to_multiple_of: int | None = 8):
        self.pad_token_id = pad_token_id
        self.pad_to_multiple_of = pad_to_multiple_of

    def __call__(self, features: Sequence[dict]) -> dict:
        import torch

        batch = pad_batch(features, self.pad_token_id, self.pad_to_multiple_of)
        return {key: torch.tensor(value, dtype=torch.long) for key, value in batch.items()}
