"""Chat templates for SFT: the base model's own, a built-in one, or a Jinja file.

Base checkpoints often ship without a chat template (or with one the student should not
use); the paper trains Llama-3.1-8B with the Llama-3 chat format, so that is the fallback.
"""

from __future__ import annotations

import json
import os

from collate import TemplateError

# The Llama-3 chat format without the date/tools preamble of the 3.1 Instruct template.
# Contents are trimmed as Meta's template does. The turn ends with <|eot_id|>, which the
# student learns to emit (the end of an assistant turn is trained, see collate.py).
LLAMA3_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "<|start_header_id|>{{ message['role'] }}<|end_header_id|>\n\n"
    "{{ message['content'] | trim }}<|eot_id|>"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)

BUILTIN_TEMPLATES = {"llama3": LLAMA3_TEMPLATE}

# Tokens that end a turn in common chat formats (Llama 3, ChatML, Gemma, Phi-3). The one a
# template uses is added to the saved model's generation config, so serving the student stops
# at the end of its answer rather than running on to the base model's end-of-text token.
END_OF_TURN_TOKENS = ("<|eot_id|>", "<|im_end|>", "<end_of_turn>", "<|end|>")


def resolve_chat_template(option: str | None, tokenizer_template: object) -> tuple[str, str]:
    """Returns (template, where it came from).

    option: '' or None for the base model's own (falling back to llama3), a built-in name,
    or a path to a Jinja file. tokenizer_template: the tokenizer's `chat_template` attribute
    (a string, a dict of named templates, or None).
    """
    if option:
        if option in BUILTIN_TEMPLATES:
            return BUILTIN_TEMPLATES[option], option
        if os.path.isfile(option):
            with open(option, encoding="utf-8") as f:
                text = f.read()
            if not text.strip():
                raise TemplateError(f"--chat-template {option}: the file is empty")
            return text, option
        raise TemplateError(
            f"--chat-template {option!r}: not a built-in template ({', '.join(sorted(BUILTIN_TEMPLATES))}) and no such file"
        )
    own = tokenizer_template
    if isinstance(own, dict):
        own = own.get("default")
    if isinstance(own, str) and own.strip():
        return own, "base model"
    return LLAMA3_TEMPLATE, "llama3 (the base model has no chat template)"


# The official recipe puts a fixed system message in every training conversation; agora's own.
DEFAULT_SYSTEM_MESSAGE = "You are a helpful AI assistant."


def with_default_system(template: str, message: str | None) -> str:
    """The template, rendering `message` as the system turn of a conversation that has none.

    Put into the template rather than into the data, so the saved student's template adds the
    same message when it is served: the student is asked the way it was trained. Conversations
    with their own system message keep it. Works with any template that loops over `messages`.
    """
    if not message:
        return template
    literal = json.dumps(message)  # a JSON string is a valid Jinja string literal
    return (
        "{%- if messages and messages[0]['role'] != 'system' %}"
        f"{{%- set messages = [{{'role': 'system', 'content': {literal}}}] + messages %}}"
        "{%- endif %}" + template
    )


def end_of_turn_token(template: str) -> str | None:
    """The end-of-turn token a template uses, when it is one agora knows."""
    return next((t for t in END_OF_TURN_TOKENS if t in template), None)
