"""Reading train.jsonl and choosing the chat template; plain Python, always runs."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from collate import TemplateError  # noqa: E402
from data import DataError, load_conversations  # noqa: E402
from templates import LLAMA3_TEMPLATE, end_of_turn_token, resolve_chat_template  # noqa: E402

GOOD = {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}


class LoadConversationsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "train.jsonl")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, *lines):
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")

    def error(self):
        with self.assertRaises(DataError) as ctx:
            load_conversations(self.path)
        return str(ctx.exception)

    def test_reads_messages_and_skips_blank_lines(self):
        system = {"messages": [{"role": "system", "content": "s"}, *GOOD["messages"]], "id": 7}
        self.write(GOOD, "", "   ", system)
        conversations = load_conversations(self.path)
        self.assertEqual(len(conversations), 2)
        self.assertEqual(conversations[1][0], {"role": "system", "content": "s"})

    def test_names_file_and_line(self):
        self.write(GOOD, "{not json")
        self.assertTrue(self.error().startswith(f"{self.path}:2: not JSON"))
        self.write(GOOD, {"msgs": []})
        self.assertEqual(self.error(), f'{self.path}:2: expected an object with "messages"')
        self.write({"messages": [{"role": "robot", "content": "x"}]})
        self.assertIn(":1: messages[0].role must be one of system, user, assistant, got 'robot'", self.error())
        self.write({"messages": [{"role": "user", "content": 3}, {"role": "assistant", "content": "x"}]})
        self.assertIn(":1: messages[0].content must be a string", self.error())
        self.write({"messages": [{"role": "user", "content": "only a question"}]})
        self.assertIn(":1: no assistant message", self.error())
        self.write({"messages": [{"role": "assistant", "content": "a"}, {"role": "user", "content": "q"}]})
        self.assertIn(":1: the first message after system messages must be from the user", self.error())

    def test_empty_and_missing_files(self):
        self.write("")
        self.assertEqual(self.error(), f"{self.path}: no training examples")
        os.remove(self.path)
        self.assertIn(f"{self.path}: cannot read training data", self.error())


class ChatTemplateChoiceTest(unittest.TestCase):
    def test_prefers_option_then_base_model_then_llama3(self):
        self.assertEqual(resolve_chat_template("llama3", "{{ own }}"), (LLAMA3_TEMPLATE, "llama3"))
        self.assertEqual(resolve_chat_template("", "{{ own }}"), ("{{ own }}", "base model"))
        self.assertEqual(resolve_chat_template(None, {"default": "{{ d }}", "tool_use": "x"}), ("{{ d }}", "base model"))
        template, source = resolve_chat_template("", None)
        self.assertEqual(template, LLAMA3_TEMPLATE)
        self.assertIn("has no chat template", source)

    def test_reads_a_template_file_and_refuses_unknown_names(self):
        with tempfile.NamedTemporaryFile("w", suffix=".jinja", delete=False) as f:
            f.write("{{ messages }}")
        try:
            self.assertEqual(resolve_chat_template(f.name, None), ("{{ messages }}", f.name))
        finally:
            os.remove(f.name)
        with self.assertRaises(TemplateError) as ctx:
            resolve_chat_template("chatml-ish", None)
        self.assertIn("not a built-in template (llama3) and no such file", str(ctx.exception))

    def test_end_of_turn_tokens(self):
        self.assertEqual(end_of_turn_token(LLAMA3_TEMPLATE), "<|eot_id|>")
        self.assertEqual(end_of_turn_token("{{ '<|im_start|>' }}...{{ '<|im_end|>' }}"), "<|im_end|>")
        self.assertIsNone(end_of_turn_token("{{ messages }}"))


if __name__ == "__main__":
    unittest.main()
