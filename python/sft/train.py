"""The training run behind sft.py: data, tokenizer, model, Trainer, final save.

Imports torch and transformers; sft.py keeps them out of its own import so that argument
errors and the failure record do not depend on them.
"""

from __future__ import annotations

import glob
import inspect
import json
import os
import shutil
import sys
import time

from checkpoint_files import make_servable
from collate import AssistantOnlyCollator, build_example
from data import DataError, load_conversations
from packing import pack_examples, steps_per_epoch
from progress import make_progress_callback
from templates import end_of_turn_token, resolve_chat_template, with_default_system
from trainer_options import STEP_SCHEDULER, fsdp_arguments, fsdp_takes_a_string, step_decay_factor, warmup_steps


def log(rank: int, message: str) -> None:
    if rank == 0:
        print(f"sft: {message}", file=sys.stderr, flush=True)


def _version(module) -> tuple[int, int]:
    parts = module.__version__.split(".")
    return int(parts[0]), int("".join(c for c in parts[1] if c.isdigit()) or 0)


def training_arguments(cls, rank: int, **kwargs):
    """TrainingArguments with only the options this transformers version knows (names
    come and go between releases); what is dropped is said in the log."""
    known = inspect.signature(cls.__init__).parameters
    dropped = sorted(k for k in kwargs if k not in known)
    if dropped:
        log(rank, f"this transformers version has no {', '.join(dropped)}; left out")
    return cls(**{k: v for k, v in kwargs.items() if k in known})


def tokenize_all(conversations, tokenizer, template: str, max_length: int, rank: int, source: str) -> list[dict]:
    examples, dropped = [], 0
    for conversation in conversations:
        example = build_example(conversation, tokenizer, template, max_length)
        if example is None:
            dropped += 1
        else:
            examples.append(example)
    if not examples:
        raise DataError(f"{source}: no example has an assistant token within --max-length {max_length}")
    tokens = sum(len(e["input_ids"]) for e in examples)
    trained = sum(sum(1 for label in e["labels"] if label != -100) for e in examples)
    log(rank, f"{len(examples)} examples ({dropped} dropped: prompt longer than {max_length} tokens), "
        f"{tokens / len(examples):.0f} tokens each on average, {100 * trained / tokens:.1f}% of them trained")
    return examples


def load_model(args, tokenizer, rank: int):
    import torch
    import transformers

    if args.tiny_random:
        from tiny import build_tiny_model

        return build_tiny_model(tokenizer, args.max_length, args.seed)
    dtype = torch.bfloat16 if args.model_dtype == "bfloat16" else torch.float32
    kwargs = {"trust_remote_code": args.trust_remote_code}
    kwargs["dtype" if _version(transformers) >= (4, 56) else "torch_dtype"] = dtype
    if args.attn_implementation:
        kwargs["attn_implementation"] = args.attn_implementation
    log(rank, f"loading {args.base_model} ({args.model_dtype})")
    return transformers.AutoModelForCausalLM.from_pretrained(args.base_model, **kwargs)


def stop_at_end_of_turn(model, tokenizer, template: str, rank: int) -> None:
    """Serving the student must stop where its training answers stopped."""
    token = end_of_turn_token(template)
    token_id = tokenizer.convert_tokens_to_ids(token) if token else None
    if token_id is None or token_id == tokenizer.unk_token_id:
        return
    eos = model.generation_config.eos_token_id
    ids = list(eos) if isinstance(eos, (list, tuple)) else ([eos] if eos is not None else [])
    if token_id not in ids:
        model.generation_config.eos_token_id = ids + [token_id]
        log(rank, f"generation stops at {token} too (id {token_id})")


def make_trainer_class(args, per_epoch: int, rank: int):
    """The Trainer with agora's learning-rate schedule: the paper's per-epoch step decay, or a
    transformers schedule whose warmup is computed here (transformers 5 drops warmup_ratio)."""
    from torch.optim.lr_scheduler import LambdaLR
    from transformers import Trainer, get_scheduler

    class AgoraTrainer(Trainer):
        def create_scheduler(self, num_training_steps, optimizer=None):
            if self.lr_scheduler is None:
                optimizer = optimizer if optimizer is not None else self.optimizer
                warmup = warmup_steps(args.warmup_ratio, num_training_steps)
                if args.lr_scheduler == STEP_SCHEDULER:
                    self.lr_scheduler = LambdaLR(optimizer, lambda step: step_decay_factor(step, per_epoch, args.lr_decay, warmup))
                else:
                    self.lr_scheduler = get_scheduler(args.lr_scheduler, optimizer=optimizer, num_warmup_steps=warmup, num_training_steps=num_training_steps)
                self._created_lr_scheduler = True
                log(rank, f"lr schedule: {args.lr_scheduler}" + (f" x{args.lr_decay} every {per_epoch} steps (one epoch)" if args.lr_scheduler == STEP_SCHEDULER else "")
                    + f", {warmup} warmup steps of {num_training_steps}")
            return self.lr_scheduler

    return AgoraTrainer


def run_training(args, rank: int, world: int, writer, done_marker: str) -> str:
    output_dir = os.path.abspath(args.output_dir)
    if os.path.isfile(os.path.join(output_dir, done_marker)):
        log(rank, f"{output_dir} already holds the finished model; nothing to do")
        return output_dir

    # Bad data is reported before the heavy imports and any download.
    conversations = load_conversations(args.data)
    import torch
    import transformers
    from transformers import AutoTokenizer, TrainingArguments
    from transformers.trainer_utils import get_last_checkpoint

    transformers.set_seed(args.seed)
    if args.tiny_random:
        from tiny import build_tiny_tokenizer

        tokenizer = build_tiny_tokenizer()
    else:
        tokenizer = AutoTokenizer.from_pretrained(args.base_model, trust_remote_code=args.trust_remote_code)
    template, source = resolve_chat_template(args.chat_template, getattr(tokenizer, "chat_template", None))
    template = with_default_system(template, args.system_message)
    log(rank, f"chat template: {source}" + (f", system message {args.system_message!r} when a conversation has none" if args.system_message else ""))
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token  # padding is masked out of loss and attention
    examples = tokenize_all(conversations, tokenizer, template, args.max_length, rank, args.data)
    if args.packing:
        packed = pack_examples(examples, args.max_length, args.seed)
        log(rank, f"packed {len(examples)} examples into {len(packed)} sequences of up to {args.max_length} tokens")
        examples = packed
    per_epoch = steps_per_epoch(len(examples), args.per_device_batch_size, world, args.grad_accum)

    cuda = torch.cuda.is_available()
    bf16 = bool(args.bf16 and cuda and torch.cuda.is_bf16_supported())
    if args.bf16 and not bf16:
        log(rank, "bf16 is not available here (no CUDA GPU with bf16); training in float32")
    model = load_model(args, tokenizer, rank)
    model.config.use_cache = False
    stop_at_end_of_turn(model, tokenizer, template, rank)

    checkpointing = bool(args.gradient_checkpointing)
    targs = training_arguments(
        TrainingArguments,
        rank,
        output_dir=output_dir,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        per_device_train_batch_size=args.per_device_batch_size,
        gradient_accumulation_steps=args.grad_accum,
        learning_rate=args.lr,
        weight_decay=args.weight_decay,
        bf16=bf16,
        seed=args.seed,
        data_seed=args.seed,
        logging_strategy="steps",
        logging_steps=args.logging_steps,
        save_strategy="steps",
        save_steps=args.save_steps,
        save_total_limit=args.save_total_limit,
        report_to=[],
        disable_tqdm=True,
        remove_unused_columns=False,
        dataloader_num_workers=0,
        ddp_find_unused_parameters=False,
        use_cpu=not cuda,
        **fsdp_arguments(args.fsdp_words, checkpointing, fsdp_takes_a_string(TrainingArguments)),
    )
    mean_tokens = sum(len(e["input_ids"]) for e in examples) / len(examples)
    tokens_per_step = mean_tokens * args.per_device_batch_size * args.grad_accum * world
    trainer = make_trainer_class(args, per_epoch, rank)(
        model=model,
        args=targs,
        train_dataset=examples,
        data_collator=AssistantOnlyCollator(tokenizer.pad_token_id),
        callbacks=[make_progress_callback(writer, tokens_per_step)],
    )

    last = get_last_checkpoint(output_dir) if os.path.isdir(output_dir) else None
    if last:
        log(rank, f"resuming from {last}")
    trainer.train(resume_from_checkpoint=last)

    plugin = getattr(trainer.accelerator.state, "fsdp_plugin", None) if getattr(trainer, "is_fsdp_enabled", False) else None
    if plugin is not None and getattr(plugin, "fsdp_version", 1) == 1:
        # A full state dict, so the saved model loads anywhere (vLLM, from_pretrained); FSDP2 gets it from fsdp_config.
        plugin.set_state_dict_type("FULL_STATE_DICT")
    # Generation with the saved student uses the KV cache (training turned it off).
    model.config.use_cache = True
    trainer.save_model(output_dir)
    trainer.accelerator.wait_for_everyone()
    if trainer.is_world_process_zero():
        tokenizer.chat_template = template
        tokenizer.save_pretrained(output_dir)
        for change in make_servable(output_dir, template):
            log(rank, f"for serving: {change}")
        marker = os.path.join(output_dir, done_marker)
        with open(marker + ".tmp", "w", encoding="utf-8") as f:
            json.dump({"checkpoint": output_dir, "base_model": "tiny-random" if args.tiny_random else args.base_model,
                       "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, f)
        os.replace(marker + ".tmp", marker)
        # Only once the marker says the model is complete: until then they are the way back.
        if not args.keep_checkpoints:
            for path in glob.glob(os.path.join(output_dir, "checkpoint-*")):
                shutil.rmtree(path, ignore_errors=True)
    trainer.accelerator.wait_for_everyone()
    return output_dir
