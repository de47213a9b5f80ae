"""Makes a saved student loadable by the server that evaluates it.

transformers 5 saves `"tokenizer_class": "TokenizersBackend"`, a class transformers 4.x (what
many vLLM installs run) does not have, and a config with `use_cache: false` (set for
training), which makes generation recompute the whole prefix for every token. After the
final save both are rewritten; nothing else in the files changes. Pure JSON: no transformers.
"""

from __future__ import annotations

import json
import os

# A tokenizer.json loads in every transformers version through this class.
PORTABLE_TOKENIZER_CLASS = "PreTrainedTokenizerFast"


def _read(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _write(path: str, data: dict) -> None:
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(path + ".tmp", path)


def portable_tokenizer_class(name: object, has_tokenizer_json: bool) -> object:
    """Keeps a 4.x-style class name (e.g. PreTrainedTokenizerFast, LlamaTokenizerFast);
    anything else becomes PreTrainedTokenizerFast when tokenizer.json is there to load."""
    if not has_tokenizer_json:
        return name
    if isinstance(name, str) and name.endswith("Fast"):
        return name
    return PORTABLE_TOKENIZER_CLASS


def make_servable(output_dir: str, chat_template: str | None = None) -> list[str]:
    """Rewrites config.json and tokenizer_config.json in place; returns what changed."""
    changed = []
    config_path = os.path.join(output_dir, "config.json")
    if os.path.isfile(config_path):
        config = _read(config_path)
        if config.get("use_cache") is not True:
            config["use_cache"] = True
            _write(config_path, config)
            changed.append("config.json: use_cache true")
    tok_path = os.path.join(output_dir, "tokenizer_config.json")
    if os.path.isfile(tok_path):
        tok = _read(tok_path)
        before = dict(tok)
        has_json = os.path.isfile(os.path.join(output_dir, "tokenizer.json"))
        tok["tokenizer_class"] = portable_tokenizer_class(tok.get("tokenizer_class"), has_json)
        # 4.x reads extra_special_tokens as a mapping and fails on 5's list.
        if isinstance(tok.get("extra_special_tokens"), list):
            tok.pop("extra_special_tokens")
            if "additional_special_tokens" not in tok and before["extra_special_tokens"]:
                tok["additional_special_tokens"] = before["extra_special_tokens"]
        # transformers before 4.47 read the template from here only, not chat_template.jinja.
        if chat_template and not tok.get("chat_template"):
            tok["chat_template"] = chat_template
        if tok != before:
            _write(tok_path, tok)
            changed.append("tokenizer_config.json: " + ", ".join(k for k in sorted(set(tok) | set(before)) if tok.get(k) != before.get(k)))
    return changed
