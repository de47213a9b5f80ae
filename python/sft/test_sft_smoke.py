"""End to end: sft.py --tiny-random trains, saves, resumes and writes the progress protocol.
Needs torch and transformers (CPU is enough; a few seconds); skipped without them."""

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
        self.run_sft()
        lines = read_lines(self.progress)
        steps = [line for line in lines if "step" in line]
        self.assertEqual([s["step"] for s in steps], list(range(1, 9)))  # 16 examples / batch 2, one epoch
        self.assertTrue(all(s["total_steps"] == 8 and isinstance(s["loss"], float) for s in steps))
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

    def test_resumes_from_its_last_checkpoint(self):
        self.run_sft("--max-steps", "3", "--save-steps", "3", "--keep-checkpoints")
        self.assertTrue(os.path.isdir(os.path.join(self.out, "checkpoint-3")))
        os.remove(os.path.join(self.out, "agora-sft-done.json"))  # as if it had stopped at step 3
        first = len(read_lines(self.progress))
        res = self.run_sft("--max-steps", "6")
        self.assertIn("resuming from", res.stderr)
        resumed = [line["step"] for line in read_lines(self.progress)[first:] if "step" in line]
        self.assertEqual(resumed, [4, 5, 6])


if __name__ == "__main__":
    unittest.main()
