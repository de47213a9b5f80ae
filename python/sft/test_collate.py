"""Assistant-only masking. Run: python3 -m pytest python/sft (or python3 -m unittest discover -s python/sft).

The template-level tests need only jinja2 (a stand-in tokenizer renders the real template the
way transformers does); the tokenizer and tensor tests need transformers / torch and are
skipped without them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from collate import IGNORE_INDEX, AssistantOnlyCollator, TemplateError, build_example, pad_batch, render_segments  # noqa: E402
from templates import LLAMA3_TEMPLATE  # noqa: E402

HAS_JINJA = importlib.util.find_spec("jinja2") is not None
HAS_TORCH = importlib.util.find_spec("torch") is not None
HAS_TRANSFORMERS = importlib.util.find_spec("transformers") is not None and importlib.util.find_spec("tokenizers") is not None

SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]

CONVERSATION = [
    {"role": "system", "content": "You are terse."},
    {"role": "user", "content": "What is 6*7?"},
    {"role": "assistant", "content": "  42\n"},
    {"role": "user", "content": "And 1+1?"},
    {"role": "assistant", "content": "2 [RESULT] 2 [/RESULT]"},
    {"role": "user", "content": "Thanks"},
]


class CharTokenizer:
    """One token per character, special tokens whole; renders templates like transformers
    (sandboxed Jinja, trim_blocks, lstrip_blocks)."""

    is_fast = True
    bos_token = "<|begin_of_text|>"

    def _tokens(self, text):
        out, i = [], 0
        while i < len(text):
            special = next((s for s in SPECIALS if text.startswith(s, i)), None)
            if special:
                out.append((SPECIALS.index(special), i, i + len(special)))
                i += len(special)
            else:
                out.append((1000 + ord(text[i]), i, i + 1))
                i += 1
        return out

    def __call__(self, text, add_special_tokens=False, return_offsets_mapping=False):
        toks = self._tokens(text)
        enc = {"input_ids": [t[0] for t in toks]}
        if return_offsets_mapping:
            enc["offset_mapping"] = [(t[1], t[2]) for t in toks]
        return enc

    def decode(self, ids):
        return "".join(SPECIALS[i] if i < 1000 else chr(i - 1000) for i in ids)

    def apply_chat_template(self, messages, chat_template, tokenize=False, add_generation_prompt=False):
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        return env.from_string(chat_template).render(messages=messages, add_generation_prompt=add_generation_prompt, bos_token=self.bos_token)


def trained_text(tokenizer, example):
    return tokenizer.decode([t for t, label in zip(example["input_ids"], example["labels"]) if label != IGNORE_INDEX])


@unittest.skipUnless(HAS_JINJA, "jinja2 is not installed")
class TemplateMaskingTest(unittest.TestCase):
    def setUp(self):
        self.tok = CharTokenizer()

    def render(self, messages, gen):
        return self.tok.apply_chat_template(list(messages), chat_template=LLAMA3_TEMPLATE, add_generation_prompt=gen)

    def test_segments_train_assistant_content_and_end_of_turn_only(self):
        segments = render_segments(CONVERSATION, self.render)
        self.assertEqual([text for text, trained in segments if trained], ["42<|eot_id|>", "2 [RESULT] 2 [/RESULT]<|eot_id|>"])
        self.assertEqual("".join(text for text, _ in segments), self.render(CONVERSATION, False))
        untrained = "".join(text for text, trained in segments if not trained)
        self.assertIn("<|start_header_id|>assistant<|end_header_id|>\n\n", untrained)
        self.assertTrue(untrained.endswith("Thanks<|eot_id|>"))

    def test_labels_by_offsets_and_by_segments_agree(self):
        a = build_example(CONVERSATION, self.tok, LLAMA3_TEMPLATE, 4096, use_offsets=True)
        b = build_example(CONVERSATION, self.tok, LLAMA3_TEMPLATE, 4096, use_offsets=False)
        self.assertEqual(a, b)
        self.assertEqual(self.tok.decode(a["input_ids"]), self.render(CONVERSATION, False))
        self.assertEqual(trained_text(self.tok, a), "42<|eot_id|>2 [RESULT] 2 [/RESULT]<|eot_id|>")
        self.assertEqual(len(a["input_ids"]), len(a["labels"]))
        for token, label in zip(a["input_ids"], a["labels"]):
            self.assertIn(label, (token, IGNORE_INDEX))

    def test_truncation_keeps_what_fits_and_drops_prompt_only_examples(self):
        full = build_example(CONVERSATION, self.tok, LLAMA3_TEMPLATE, 4096)
        first_trained = next(i for i, label in enumerate(full["labels"]) if label != IGNORE_INDEX)
        cut = build_example(CONVERSATION, self.tok, LLAMA3_TEMPLATE, first_trained + 1)
        self.assertEqual(len(cut["input_ids"]), first_trained + 1)
        self.assertEqual(trained_text(self.tok, cut), "4")
        self.assertIsNone(build_example(CONVERSATION, self.tok, LLAMA3_TEMPLATE, first_trained))

    def test_refuses_a_template_that_rewrites_earlier_turns(self):
        # Marks only the last message, as templates that strip reasoning from past answers do.
        rewriting = (
            "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}{% if loop.last %} (last){% endif %}\n{% endfor %}"
            "{% if add_generation_prompt %}assistant: {% endif %}"
        )
        with self.assertRaises(TemplateError):
            build_example(CONVERSATION, self.tok, rewriting, 4096)


class PaddingTest(unittest.TestCase):
    def test_right_pads_inputs_labels_and_mask(self):
        batch = pad_batch([{"input_ids": [5, 6, 7], "labels": [-100, 6, 7]}, {"input_ids": [8], "labels": [8]}], pad_token_id=0)
        self.assertEqual(batch["input_ids"], [[5, 6, 7], [8, 0, 0]])
        self.assertEqual(batch["labels"], [[-100, 6, 7], [8, -100, -100]])
        self.assertEqual(batch["attention_mask"], [[1, 1, 1], [1, 0, 0]])

    def test_pads_to_a_multiple_and_checks_lengths(self):
        batch = pad_batch([{"input_ids": [1, 2, 3], "labels": [1, 2, 3]}], pad_token_id=9, pad_to_multiple_of=8)
        self.assertEqual(batch["input_ids"], [[1, 2, 3, 9, 9, 9, 9, 9]])
        with self.assertRaises(ValueError):
            pad_batch([{"input_ids": [1, 2], "labels": [1]}], pad_token_id=0)
        with self.assertRaises(ValueError):
            pad_batch([], pad_token_id=0)

    @unittest.skipUnless(HAS_TORCH, "torch is not installed")
    def test_collator_returns_long_tensors(self):
        import torch

        out = AssistantOnlyCollator(pad_token_id=0, pad_to_multiple_of=4)([{"input_ids": [1, 2, 3, 4, 5], "labels": [-100, -100, 3, 4, 5]}])
        self.assertEqual(tuple(out["input_ids"].shape), (1, 8))
        self.assertEqual(out["labels"].dtype, torch.long)
        self.assertEqual(out["labels"][0, 5:].tolist(), [-100, -100, -100])


@unittest.skipUnless(HAS_TRANSFORMERS and HAS_JINJA, "transformers/tokenizers are not installed")
class TinyTokenizerTest(unittest.TestCase):
    def test_byte_tokenizer_masks_the_same_either_way(self):
        from tiny import build_tiny_tokenizer

        tok = build_tiny_tokenizer()
        text = "Grüße, 世界! <|eot_id|>"
        self.assertEqual(tok.decode(tok(text, add_special_tokens=False)["input_ids"]), text)
        a = build_example(CONVERSATION, tok, LLAMA3_TEMPLATE, 4096, use_offsets=True)
        b = build_example(CONVERSATION, tok, LLAMA3_TEMPLATE, 4096, use_offsets=False)
        self.assertEqual(a, b)
        self.assertEqual(tok.decode([t for t, label in zip(a["input_ids"], a["labels"]) if label != IGNORE_INDEX]), "42<|eot_id|>2 [RESULT] 2 [/RESULT]<|eot_id|>")
        rendered = tok.apply_chat_template(CONVERSATION, chat_template=LLAMA3_TEMPLATE, tokenize=False)
        self.assertEqual(tok.decode(a["input_ids"]), rendered)


if __name__ == "__main__":
    unittest.main()
