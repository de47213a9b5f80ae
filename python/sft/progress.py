"""The progress file agora reads (src/core/train/progress-protocol.ts): JSON lines,

    {"step": 10, "total_steps": 940, "epoch": 0.05, "loss": 1.23, "learning_rate": 1e-05,
     "tokens_per_second": 5400.0, "eta_seconds": 3600.0}
    {"status": "done", "checkpoint": "<dir>"}   or   {"status": "failed", "error": "..."}

Each record is one append of one line, so a reader never sees half a record except at the
very end of the file, which it holds back until the newline arrives.
"""

from __future__ import annotations

import json
import math
import os
import time


def _clean(value):
    # JSON has no NaN/Infinity (a diverged loss is NaN): write null instead.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class ProgressWriter:
    def __init__(self, path: str):
        self.path = path
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)

    def write(self, record: dict) -> None:
        line = json.dumps({k: _clean(v) for k, v in record.items()}, allow_nan=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line)
            f.flush()

    def step(self, step: int, total_steps: int, **fields) -> None:
        self.write({"step": int(step), "total_steps": int(total_steps), **{k: v for k, v in fields.items() if v is not None}})

    def done(self, checkpoint: str) -> None:
        self.write({"status": "done", "checkpoint": checkpoint})

    def failed(self, error: str) -> None:
        self.write({"status": "failed", "error": error or "unknown error"})


class RateClock:
    """Throughput and time left, measured from the first step of this process (a resumed run
    starts at its checkpoint's step; the steps before it took no time here)."""

    def __init__(self, start_step: int, now: float | None = None):
        self.start_step = start_step
        self.start = time.monotonic() if now is None else now

    def eta_seconds(self, step: int, total_steps: int, now: float | None = None) -> float | None:
        done = step - self.start_step
        if done <= 0:
            return None
        elapsed = (time.monotonic() if now is None else now) - self.start
        return max(0.0, elapsed / done * (total_steps - step))

    def per_second(self, step: int, amount_per_step: float, now: float | None = None) -> float | None:
        done = step - self.start_step
        elapsed = (time.monotonic() if now is None else now) - self.start
        if done <= 0 or elapsed <= 0:
            return None
        return done * amount_per_step / elapsed


def make_progress_callback(writer: ProgressWriter, tokens_per_step: float):
    """A transformers TrainerCallback writing one step record per logging step (rank 0 only).

    tokens_per_step: mean real (unpadded) tokens per optimizer step over all processes; the
    throughput is an estimate from it, the same whatever the transformers version counts.
    """
    from transformers import TrainerCallback

    class ProgressCallback(TrainerCallback):
        clock: RateClock | None = None

        def on_train_begin(self, args, state, control, **kwargs):
            self.clock = RateClock(state.global_step)

        def on_log(self, args, state, control, logs=None, **kwargs):
            # The end-of-training summary has train_loss, not loss: the done line covers it.
            if not state.is_world_process_zero or not logs or "loss" not in logs:
                return
            clock = self.clock or RateClock(state.global_step)
            tps = clock.per_second(state.global_step, tokens_per_step)
            eta = clock.eta_seconds(state.global_step, state.max_steps)
            writer.step(
                state.global_step,
                state.max_steps,
                epoch=round(float(state.epoch or 0.0), 4),
                loss=float(logs["loss"]),
                learning_rate=float(logs["learning_rate"]) if "learning_rate" in logs else None,
                tokens_per_second=round(tps, 1) if tps is not None else None,
                eta_seconds=round(eta, 1) if eta is not None else None,
            )

    return ProgressCallback()
