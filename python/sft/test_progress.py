"""The progress protocol as sft.py writes it, and its failure records, with the real script
in a child process. Plain Python except where marked."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from progress import ProgressWriter, RateClock  # noqa: E402

SFT = os.path.join(HERE, "sft.py")
HAS_TORCH = importlib.util.find_spec("torch") is not None


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class ProgressWriterTest(unittest.TestCase):
    def test_writes_one_json_line_per_record_and_null_for_nan(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "sub", "progress.jsonl")
            w = ProgressWriter(path)
            w.step(10, 940, epoch=0.05, loss=1.23, learning_rate=1e-5, tokens_per_second=5400.0, eta_seconds=3600.0)
            w.step(11, 940, loss=float("nan"), eta_seconds=None)
            w.done("/ckpt")
            w.failed("")
            self.assertEqual(
                read_lines(path),
                [
                    {"step": 10, "total_steps": 940, "epoch": 0.05, "loss": 1.23, "learning_rate": 1e-5, "tokens_per_second": 5400.0, "eta_seconds": 3600.0},
                    {"step": 11, "total_steps": 940, "loss": None},
                    {"status": "done", "checkpoint": "/ckpt"},
                    {"status": "failed", "error": "unknown error"},
                ],
            )

    def test_rate_clock_counts_from_the_resumed_step(self):
        clock = RateClock(start_step=100, now=0.0)
        self.assertIsNone(clock.eta_seconds(100, 200, now=5.0))
        self.assertEqual(clock.eta_seconds(110, 200, now=20.0), 180.0)  # 2 s a step, 90 to go
        self.assertEqual(clock.per_second(110, 1000.0, now=20.0), 500.0)


class SftScriptRecordsTest(unittest.TestCase):
    """sft.py's own failure and restart records; these run without torch."""

    def run_sft(self, *args):
        return subprocess.run([sys.executable, SFT, *args], capture_output=True, text=True, timeout=120)

    def test_bad_data_writes_a_failed_line_naming_the_line(self):
        with tempfile.TemporaryDirectory() as d:
            data, progress = os.path.join(d, "train.jsonl"), os.path.join(d, "p.jsonl")
            with open(data, "w") as f:
                f.write('{"messages": [{"role": "user", "content": "q"}]}\n')
            res = self.run_sft("--data", data, "--output-dir", os.path.join(d, "out"), "--progress-file", progress)
            self.assertEqual(res.returncode, 2, res.stderr)
            self.assertEqual(read_lines(progress), [{"status": "failed", "error": f"{data}:1: no assistant message, so nothing to train on"}])

    def test_finished_output_dir_only_repeats_the_done_line(self):
        with tempfile.TemporaryDirectory() as d:
            out, progress = os.path.join(d, "out"), os.path.join(d, "p.jsonl")
            os.makedirs(out)
            with open(os.path.join(out, "agora-sft-done.json"), "w") as f:
                f.write("{}")
            res = self.run_sft("--data", os.path.join(d, "absent.jsonl"), "--output-dir", out, "--progress-file", progress)
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertEqual(read_lines(progress), [{"status": "done", "checkpoint": out}])

    def test_rejects_bad_flags_before_doing_anything(self):
        res = self.run_sft("--data", "x", "--output-dir", "y", "--progress-file", "z", "--max-length", "0")
        self.assertEqual(res.returncode, 2)
        self.assertIn("--max-length must be positive", res.stderr)

    @unittest.skipIf(HAS_TORCH, "torch is installed (this checks the record when it is missing)")
    def test_missing_torch_is_recorded_as_a_failure(self):
        with tempfile.TemporaryDirectory() as d:
            data, progress = os.path.join(d, "train.jsonl"), os.path.join(d, "p.jsonl")
            with open(data, "w") as f:
                f.write('{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]}\n')
            res = self.run_sft("--data", data, "--output-dir", os.path.join(d, "out"), "--progress-file", progress)
            self.assertEqual(res.returncode, 1)
            self.assertEqual(read_lines(progress), [{"status": "failed", "error": "ModuleNotFoundError: No module named 'torch'"}])


if __name__ == "__main__":
    unittest.main()
