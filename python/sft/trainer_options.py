"""What sft.py asks of transformers' Trainer, worked out without importing it: the learning-
rate schedule (the paper's per-epoch step decay, or a transformers schedule with warmup) and
the FSDP arguments for the installed transformers.

Both are computed here because the Trainer's own handling moved under us: transformers 5
drops `warmup_ratio` (its `warmup_steps` takes a ratio below 1 instead; 4.x wants an int), and
5.20 stops reading `fsdp` as a string ("full_shard auto_wrap"): `fsdp=True` with the details
in `fsdp_config` is the current form.
"""

from __future__ import annotations

import math

# The official recipe's StepLR: lr x gamma after each epoch, no warmup.
STEP_SCHEDULER = "step"


def warmup_steps(ratio: float, total_steps: int) -> int:
    return math.ceil(ratio * total_steps) if ratio > 0 else 0


def step_decay_factor(step: int, per_epoch: int, gamma: float, warmup: int = 0) -> float:
    """The lr multiplier after `step` optimizer steps: gamma ** (epochs completed), times a
    linear ramp over the first `warmup` steps when one is asked for."""
    factor = gamma ** (step // max(1, per_epoch))
    if warmup > 0 and step < warmup:
        factor *= step / warmup
    return factor


FSDP_OFF = ("", "off", "no", "none", "false")
# The words of transformers' legacy fsdp string that agora translates to fsdp_config.
KNOWN_FSDP_WORDS = ("full_shard", "shard_grad_op", "auto_wrap", "offload")


class FsdpOptionError(ValueError):
    pass


def fsdp_words(option: str, world_size: int) -> list[str]:
    """--fsdp as words: auto is full_shard auto_wrap when more than one process trains."""
    value = option.strip().lower()
    if value == "auto":
        return ["full_shard", "auto_wrap"] if world_size > 1 else []
    if value in FSDP_OFF:
        return []
    words = value.split()
    unknown = [w for w in words if w not in KNOWN_FSDP_WORDS]
    if unknown:
        raise FsdpOptionError(f"--fsdp {option!r}: unknown {', '.join(unknown)}; use auto, off, or words of {' '.join(KNOWN_FSDP_WORDS)}")
    return words


def fsdp_arguments(words: list[str], checkpointing: bool, string_api: bool) -> dict:
    """TrainingArguments' fsdp, fsdp_config and gradient-checkpointing switches.

    string_api: the installed transformers reads `fsdp` as a string (4.x). Otherwise
    `fsdp=True` and fsdp_config say everything (transformers 5). FSDP checkpoints activations
    itself; transformers refuses both switches at once."""
    if not words:
        return {
            "fsdp": "" if string_api else None,
            "fsdp_config": None,
            "gradient_checkpointing": checkpointing,
            "gradient_checkpointing_kwargs": {"use_reentrant": False} if checkpointing else None,
        }
    if string_api:
        return {"fsdp": " ".join(words), "fsdp_config": {"activation_checkpointing": checkpointing},
                "gradient_checkpointing": False, "gradient_checkpointing_kwargs": None}
    config = {
        "activation_checkpointing": checkpointing,
        # shard_grad_op keeps the parameters gathered between forward and backward.
        "reshard_after_forward": "shard_grad_op" not in words,
        # A full state dict, so the saved model loads anywhere (vLLM, from_pretrained).
        "state_dict_type": "FULL_STATE_DICT",
    }
    if "offload" in words:
        config["cpu_offload"] = True
    return {"fsdp": True, "fsdp_config": config, "gradient_checkpointing": False, "gradient_checkpointing_kwargs": None}


def fsdp_takes_a_string(training_arguments_cls) -> bool:
    """transformers 4.x: the fsdp field defaults to "" and takes option words; 5.x defaults to
    None and takes True (with the words in fsdp_config)."""
    field = getattr(training_arguments_cls, "__dataclass_fields__", {}).get("fsdp")
    return field is not None and field.default == ""
