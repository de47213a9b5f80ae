"""End to end: sft.py --tiny-random trains, saves, resumes and writes the progress protocol,
with the paper's recipe (packing, per-epoch step decay, system message) by default and agora's
earlier one (one padded example per row, linear with warmup) as options. Needs torch and
transformers (CPU is enough; a few seconds each); skipped without them."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SFT = os.path.join(HERE, "sft.py")
HAS_STACK = all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers", "tokenizers", "accelerate"))


def conversation(i):
    return {"messages": [{"role": "user", "content": f"What is {i}+{i}?"}, {"role": "assistant", "content": f"{i}+{i} = {2 * i}. [RESULT] {2 * i} [/RESULT]"}]}


def pytest_approx(value):
    return Approx(value)


class Approx(float):
    """Equal to floats within 1e-9 relative (learning rates go through float32 and back)."""

    def __eq__(self, other):
        return isinstance(other, (int, float)) and abs(other - float(self)) <= 1e-9 * max(1.0, abs(float(self)))

    __hash__ = float.__hash__


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@unittest.skipUnless(HAS_STACK, "torch/transformers/accelerate are not installed")
class TinyRandomSmokeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.data = os.path.join(self.dir, "train.jsonl")
        with open(self.data, "w", encoding="utf-8") as f:
            for i in range(16):
                f.write(json.dumps(conversation(i)) + "\n")
        self.out = os.path.join(self.dir, "out")
        self.progress = os.path.join(self.dir, "progress.jsonl")

    def tearDown(self):
        self.tmp.cleanup()

    def run_sft(self, *extra):
        args = [sys.executable, SFT, "--tiny-random", "--data", self.data, "--output-dir", self.out, "--progress-file", self.progress,
                "--max-length", "128", "--per-device-batch-size", "2", "--grad-accum", "1", "--logging-steps", "1", "--epochs", "1",
                "--fsdp", "off", "--lr", "1e-3", *extra]
        env = {**os.environ, "CUDA_VISIBLE_DEVICES": os.environ.get("AGORA_SMOKE_CUDA", "")}
        res = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
        self.assertEqual(res.returncode, 0, res.stderr[-3000:])
        return res

    def test_trains_saves_and_reports(self):
        # agora's earlier recipe: one example per row, linear schedule with warmup.
        self.run_sft("--packing", "false", "--lr-scheduler", "linear", "--warmup-ratio", "0.25")
        lines = read_lines(self.progress)
        steps = [line for line in lines if "step" in line]
        self.assertEqual([s["step"] for s in steps], list(range(1, 9)))  # 16 examples / batch 2, one epoch
        self.assertTrue(all(s["total_steps"] == 8 and isinstance(s["loss"], float) for s in steps))
        # Warmup over 2 of 8 steps, then linear decay to 0 (transformers 5 drops warmup_ratio:
        # without agora's own schedule the first step would already be at the peak). transformers
        # 5 logs the lr a step used, 4.x the one after it: both ramp up to 1e-3 by step 3.
        lrs = [s["learning_rate"] for s in steps]
        self.assertLessEqual(lrs[0], 5e-4 + 1e-12)
        self.assertLess(lrs[0], lrs[1])
        self.assertIn(pytest_approx(1e-3), lrs[1:3])
        self.assertEqual(max(lrs), pytest_approx(1e-3))
        self.assertLess(lrs[-1], lrs[3])
        self.assertIn("eta_seconds", steps[-1])
        self.assertEqual(lines[-1], {"status": "done", "checkpoint": self.out})
        for name in ("config.json", "agora-sft-done.json", "tokenizer_config.json"):
            self.assertTrue(os.path.exists(os.path.join(self.out, name)), name)
        self.assertEqual([p for p in os.listdir(self.out) if p.startswith("checkpoint-")], [])

        from transformers import AutoModelForCausalLM, AutoTokenizer

        tok = AutoTokenizer.from_pretrained(self.out)
        model = AutoModelForCausalLM.from_pretrained(self.out)
        self.assertIn("<|start_header_id|>", tok.chat_template)
        eos = model.generation_config.eos_token_id
        self.assertIn(tok.convert_tokens_to_ids("<|eot_id|>"), eos if isinstance(eos, list) else [eos])

        self.run_sft()  # finished: only the done line again
        self.assertEqual(read_lines(self.progress)[len(lines):], [{"status": "done", "checkpoint": self.out}])

    def test_default_recipe_packs_decays_per_epoch_and_saves_a_servable_student(self):
        res = self.run_sft("--base-model", "tiny-random", "--max-length", "256", "--epochs", "2", "--per-device-batch-size", "1")
        self.assertRegex(res.stderr, r"packed 16 examples into \d+ sequences of up to 256 tokens")
        packs = int(res.stderr.split("packed 16 examples into ")[1].split()[0])
        self.assertLess(packs, 16)
        steps = [line for line in read_lines(self.progress) if "step" in line]
        self.assertEqual([s["step"] for s in steps], list(range(1, 2 * packs + 1)))  # batch 1: one sequence a step
        # No warmup; lr x 0.85 once the first epoch is done.
        self.assertEqual({s["learning_rate"] for s in steps[: packs - 1]}, {1e-3})
        # (Steps packs+1 .. 2*packs-1: the same whether the lr is logged before or after the step.)
        self.assertEqual({round(s["learning_rate"], 12) for s in steps[packs : 2 * packs - 1]}, {round(1e-3 * 0.85, 12)})

        with open(os.path.join(self.out, "config.json"), encoding="utf-8") as f:
            self.assertIs(json.load(f)["use_cache"], True)
        with open(os.path.join(self.out, "tokenizer_config.json"), encoding="utf-8") as f:
            tok_config = json.load(f)
        self.assertEqual(tok_config["tokenizer_class"], "PreTrainedTokenizerFast")
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(self.out)
        prompt = tok.apply_chat_template([{"role": "user", "content": "2+2?"}], tokenize=False, add_generation_prompt=True)
        self.assertIn("<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful AI assistant.<|eot_id|>", prompt)

    def test_resumes_from_its_last_checkpoint(self):
        self.run_sft("--packing", "false", "--max-steps", "3", "--save-steps", "3", "--keep-checkpoints")
        self.assertTrue(os.path.isdir(os.path.join(self.out, "checkpoint-3")))
        os.remove(os.path.join(self.out, "agora-sft-done.json"))  # as if it had stopped at step 3
        first = len(read_lines(self.progress))
        res = self.run_sft("--packing", "false", "--max-steps", "6")
        self.assertIn("resuming from", res.stderr)
        resumed = [line["step"] for line in read_lines(self.progress)[first:] if "step" in line]
        self.assertEqual(resumed, [4, 5, 6])


if __name__ == "__main__":
    unittest.main()
