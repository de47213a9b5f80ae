"""The paper's recipe pieces that need no torch: packing, the per-epoch step decay, warmup
from a ratio, the FSDP arguments for each transformers API, the default system message in
the template, and the checkpoint rewrite for serving."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from checkpoint_files import make_servable  # noqa: E402
from collate import IGNORE_INDEX  # noqa: E402
from packing import pack_examples, steps_per_epoch  # noqa: E402
from templates import DEFAULT_SYSTEM_MESSAGE, LLAMA3_TEMPLATE, with_default_system  # noqa: E402
from trainer_options import FsdpOptionError, fsdp_arguments, fsdp_words, step_decay_factor, warmup_steps  # noqa: E402

HAS_JINJA = importlib.util.find_spec("jinja2") is not None


def example(n: int, tag: int) -> dict:
    return {"input_ids": [tag] * n, "labels": [IGNORE_INDEX] * (n // 2) + [tag] * (n - n // 2)}


class PackingTest(unittest.TestCase):
    def test_packs_whole_examples_up_to_the_length_and_keeps_every_token(self):
        examples = [example(n, i) for i, n in enumerate([3, 5, 2, 7, 4, 1, 6])]
        packs = pack_examples(examples, 8, seed=42)
        self.assertTrue(all(len(p["input_ids"]) <= 8 and len(p["input_ids"]) == len(p["labels"]) for p in packs))
        self.assertLess(len(packs), len(examples))
        # Every example appears whole and once, its labels beside its tokens.
        flat = [(t, lab) for p in packs for t, lab in zip(p["input_ids"], p["labels"])]
        self.assertEqual(sorted(flat), sorted((t, lab) for e in examples for t, lab in zip(e["input_ids"], e["labels"])))
        for p in packs:
            tags = p["input_ids"]
            runs = [tags[0]] + [b for a, b in zip(tags, tags[1:]) if a != b]
            self.assertEqual(len(runs), len(set(runs)), "an example was split")

    def test_order_follows_the_seed(self):
        examples = [example(2, i) for i in range(10)]
        self.assertEqual(pack_examples(examples, 4, 1), pack_examples(examples, 4, 1))
        self.assertNotEqual(pack_examples(examples, 4, 1), pack_examples(examples, 4, 2))

    def test_refuses_an_example_longer_than_a_sequence(self):
        with self.assertRaises(ValueError):
            pack_examples([example(9, 0)], 8, 0)

    def test_steps_per_epoch_counts_a_partial_accumulation(self):
        self.assertEqual(steps_per_epoch(16, 2, 1, 1), 8)
        self.assertEqual(steps_per_epoch(17, 2, 1, 4), 3)  # 9 batches, 4 per step: 3 steps
        self.assertEqual(steps_per_epoch(1, 4, 4, 8), 1)


class ScheduleTest(unittest.TestCase):
    def test_step_decay_multiplies_by_gamma_each_epoch_without_warmup(self):
        factors = [step_decay_factor(s, 4, 0.85) for s in range(12)]
        self.assertEqual(factors[:4], [1.0] * 4)
        self.assertEqual(factors[4:8], [0.85] * 4)
        self.assertAlmostEqual(factors[8], 0.85**2)

    def test_warmup_from_a_ratio(self):
        self.assertEqual(warmup_steps(0.03, 100), 3)
        self.assertEqual(warmup_steps(0.03, 10), 1)
        self.assertEqual(warmup_steps(0, 100), 0)
        self.assertEqual([step_decay_factor(s, 100, 0.85, warmup=4) for s in range(5)], [0.0, 0.25, 0.5, 0.75, 1.0])


class FsdpTest(unittest.TestCase):
    def test_auto_shards_only_with_several_processes(self):
        self.assertEqual(fsdp_words("auto", 1), [])
        self.assertEqual(fsdp_words("auto", 4), ["full_shard", "auto_wrap"])
        self.assertEqual(fsdp_words("off", 4), [])
        with self.assertRaises(FsdpOptionError):
            fsdp_words("full_shard hybrid", 4)

    def test_current_api_passes_true_and_a_config(self):
        args = fsdp_arguments(["full_shard", "auto_wrap", "offload"], True, string_api=False)
        self.assertIs(args["fsdp"], True)
        self.assertEqual(args["fsdp_config"], {"activation_checkpointing": True, "reshard_after_forward": True, "state_dict_type": "FULL_STATE_DICT", "cpu_offload": True})
        self.assertFalse(args["gradient_checkpointing"])
        self.assertFalse(fsdp_arguments(["shard_grad_op"], False, string_api=False)["fsdp_config"]["reshard_after_forward"])

    def test_legacy_api_gets_the_words_and_no_fsdp_keeps_gradient_checkpointing(self):
        self.assertEqual(fsdp_arguments(["full_shard", "auto_wrap"], True, string_api=True)["fsdp"], "full_shard auto_wrap")
        off = fsdp_arguments([], True, string_api=False)
        self.assertEqual((off["fsdp"], off["gradient_checkpointing"]), (None, True))


@unittest.skipUnless(HAS_JINJA, "jinja2 is not installed")
class SystemMessageTest(unittest.TestCase):
    def render(self, template, messages):
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        return env.from_string(template).render(messages=messages, bos_token="<|begin_of_text|>", add_generation_prompt=True)

    def test_adds_the_system_turn_only_when_there_is_none(self):
        template = with_default_system(LLAMA3_TEMPLATE, DEFAULT_SYSTEM_MESSAGE)
        text = self.render(template, [{"role": "user", "content": 'Say "hi"'}])
        self.assertTrue(text.startswith(f"<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{DEFAULT_SYSTEM_MESSAGE}<|eot_id|>"
                                        "<|start_header_id|>user<|end_header_id|>\n\nSay \"hi\"<|eot_id|>"), text)
        own = self.render(template, [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "q"}])
        self.assertNotIn(DEFAULT_SYSTEM_MESSAGE, own)
        self.assertEqual(with_default_system(LLAMA3_TEMPLATE, ""), LLAMA3_TEMPLATE)


class ServableCheckpointTest(unittest.TestCase):
    def test_rewrites_cache_and_tokenizer_class_for_transformers_4(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "config.json"), "w") as f:
                json.dump({"model_type": "llama", "use_cache": False}, f)
            with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
                json.dump({"tokenizer_class": "TokenizersBackend", "extra_special_tokens": ["<|x|>"], "eos_token": "<|eot_id|>"}, f)
            open(os.path.join(d, "tokenizer.json"), "w").close()
            changed = make_servable(d, "{{ bos_token }}")
            self.assertEqual(len(changed), 2)
            with open(os.path.join(d, "config.json")) as f:
                self.assertEqual(json.load(f), {"model_type": "llama", "use_cache": True})
            with open(os.path.join(d, "tokenizer_config.json")) as f:
                self.assertEqual(json.load(f), {"tokenizer_class": "PreTrainedTokenizerFast", "additional_special_tokens": ["<|x|>"],
                                                "eos_token": "<|eot_id|>", "chat_template": "{{ bos_token }}"})
            self.assertEqual(make_servable(d, "{{ bos_token }}"), [])  # nothing left to change

    def test_keeps_a_class_transformers_4_has(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "tokenizer_config.json"), "w") as f:
                json.dump({"tokenizer_class": "LlamaTokenizerFast"}, f)
            open(os.path.join(d, "tokenizer.json"), "w").close()
            self.assertEqual(make_servable(d), [])


if __name__ == "__main__":
    unittest.main()
