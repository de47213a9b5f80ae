"""Reads a cell's train.jsonl: one `{"messages": [{"role": ..., "content": ...}, ...]}` a line."""

from __future__ import annotations

import json

ROLES = ("system", "user", "assistant")


class DataError(ValueError):
    """Bad training data; the message names the file and line."""


def validate_messages(messages: object, where: str) -> list[dict]:
    if not isinstance(messages, list) or not messages:
        raise DataError(f"{where}: messages must be a non-empty list")
    out = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise DataError(f"{where}: messages[{i}] must be an object with role and content")
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            raise DataError(f"{where}: messages[{i}].role must be one of {', '.join(ROLES)}, got {role!r}")
        if not isinstance(content, str):
            raise DataError(f"{where}: messages[{i}].content must be a string")
        out.append({"role": role, "content": content})
    if not any(m["role"] == "assistant" for m in out):
        raise DataError(f"{where}: no assistant message, so nothing to train on")
    first = next(m for m in out if m["role"] != "system")
    if first["role"] != "user":
        raise DataError(f"{where}: the first message after system messages must be from the user")
    return out


def load_conversations(path: str) -> list[list[dict]]:
    """All conversations of a JSON-lines file; blank lines are skipped, anything else bad is an error."""
    conversations = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise DataError(f"{path}: cannot read training data: {e.strerror or e}") from e
    with f:
        for lineno, line in enumerate(f, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{where}: not JSON ({e.msg})") from e
            if not isinstance(record, dict) or "messages" not in record:
                raise DataError(f'{where}: expected an object with "messages"')
            conversations.append(validate_messages(record["messages"], where))
    if not conversations:
        raise DataError(f"{path}: no training examples")
    return conversations
