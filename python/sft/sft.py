#!/usr/bin/env python3
"""agora's supervised fine-tuning script (the paper's training stage).

Full SFT of a base model on a cell's train.jsonl with Hugging Face transformers' Trainer,
loss on assistant turns only, the paper's recipe as defaults: examples packed into
4,096-token sequences, a fixed system message in the chat template, lr 1e-5 times 0.85 after
each epoch with no warmup, bf16, 5 epochs, per-device batch 4, gradient accumulation 8, seed 42.

    accelerate launch --num_processes 4 python/sft/sft.py --data train.jsonl \
        --output-dir ckpt --progress-file progress.jsonl --base-model meta-llama/Llama-3.1-8B

Runs as well under torchrun or plain python. With more than one process, --fsdp auto shards
the model with FSDP (needed for 8B). Restarted with the same --output-dir it resumes from
its last checkpoint; once finished it only repeats its done line. Progress goes to
--progress-file as JSON lines (see progress.py); stdout/stderr are the human log.
Smoke test without GPU or network: --tiny-random or --base-model tiny-random (a 2-layer
Llama, byte-level tokenizer).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from collate import TemplateError  # noqa: E402
from data import DataError  # noqa: E402
from progress import ProgressWriter  # noqa: E402
from templates import DEFAULT_SYSTEM_MESSAGE  # noqa: E402
from trainer_options import FsdpOptionError, fsdp_words  # noqa: E402

TINY_RANDOM = "tiny-random"

DONE_MARKER = "agora-sft-done.json"


class Terminated(BaseException):
    """SIGTERM: cancelled, preempted or out of time; recorded before exiting."""


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--data", required=True, help="train.jsonl: one {\"messages\": [...]} per line")
    p.add_argument("--output-dir", required=True, help="where checkpoints and the final model go")
    p.add_argument("--progress-file", required=True, help="JSON-lines progress for agora")
    p.add_argument("--base-model", default="meta-llama/Llama-3.1-8B")
    p.add_argument("--tiny-random", action="store_true", help="a tiny random Llama and local tokenizer instead of --base-model")
    p.add_argument("--chat-template", default="", help="llama3, a Jinja file, or empty for the base model's own")
    p.add_argument("--epochs", type=float, default=5.0)
    p.add_argument("--lr", type=float, default=1e-5)
    p.add_argument("--max-length", type=int, default=4096)
    p.add_argument("--per-device-batch-size", type=int, default=4)
    p.add_argument("--grad-accum", type=int, default=8)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--warmup-ratio", type=float, default=0.0, help="share of the steps the lr ramps up over (agora's earlier recipe: 0.03)")
    p.add_argument("--lr-scheduler", default="step",
                   help="step: lr x --lr-decay after each epoch (the paper's recipe); or a transformers schedule, e.g. linear or cosine")
    p.add_argument("--lr-decay", type=float, default=0.85, help="per-epoch lr factor of --lr-scheduler step")
    p.add_argument("--packing", type=parse_bool, default=True,
                   help="pack examples into --max-length sequences (the paper's recipe); false: one padded example per row")
    p.add_argument("--system-message", default=DEFAULT_SYSTEM_MESSAGE,
                   help="system turn of every conversation without one (the paper's recipe); empty for none")
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--bf16", type=parse_bool, default=True, help="bf16 mixed precision (off on CPU)")
    p.add_argument("--model-dtype", choices=["float32", "bfloat16"], default="float32", help="dtype of the weights the optimizer updates")
    p.add_argument("--fsdp", default="auto", help="auto (full_shard auto_wrap with >1 process), off, or words of: full_shard shard_grad_op auto_wrap offload")
    p.add_argument("--gradient-checkpointing", type=parse_bool, default=True)
    p.add_argument("--attn-implementation", default=None, help="e.g. sdpa or flash_attention_2")
    p.add_argument("--logging-steps", type=int, default=5)
    p.add_argument("--save-steps", type=int, default=100, help="checkpoint interval (for resuming)")
    p.add_argument("--save-total-limit", type=int, default=1)
    p.add_argument("--keep-checkpoints", action="store_true", help="keep checkpoint-* folders after the final save")
    p.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (smoke tests)")
    p.add_argument("--trust-remote-code", action="store_true")
    args = p.parse_args(argv)
    for name in ("max_length", "per_device_batch_size", "grad_accum", "logging_steps", "save_steps"):
        if getattr(args, name) <= 0:
            p.error(f"--{name.replace('_', '-')} must be positive")
    if args.epochs <= 0 or args.lr <= 0:
        p.error("--epochs and --lr must be positive")
    if not 0 <= args.warmup_ratio <= 1 or not 0 < args.lr_decay <= 1:
        p.error("--warmup-ratio must be within 0..1 and --lr-decay within (0, 1]")
    try:
        args.fsdp_words = fsdp_words(args.fsdp, int(os.environ.get("WORLD_SIZE", "1")))
    except FsdpOptionError as e:
        p.error(str(e))
    # The tiny random Llama as a base model name, so the default command trains it (train.baseModel: tiny-random).
    if args.base_model == TINY_RANDOM:
        args.tiny_random = True
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rank = int(os.environ.get("RANK", "0"))
    world = int(os.environ.get("WORLD_SIZE", "1"))
    who = f"rank {rank}: " if world > 1 else ""
    writer = ProgressWriter(args.progress_file)

    def on_term(signum, _frame):
        raise Terminated(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, on_term)
    try:
        from train import run_training

        checkpoint = run_training(args, rank=rank, world=world, writer=writer, done_marker=DONE_MARKER)
    except Terminated as e:
        writer.failed(f"{who}terminated by {e} (cancelled, preempted or out of time)")
        return 143
    except (DataError, TemplateError) as e:
        # Every process reads the same data and fails the same way: one line is enough.
        if rank == 0:
            writer.failed(str(e))
        print(f"sft: {e}", file=sys.stderr)
        return 2
    except BaseException as e:  # noqa: BLE001 - recorded for agora, then reported as a failure
        writer.failed(f"{who}{type(e).__name__}: {e}")
        traceback.print_exc()
        return 1
    if rank == 0:
        writer.done(checkpoint)
    return 0


if __name__ == "__main__":
    sys.exit(main())
