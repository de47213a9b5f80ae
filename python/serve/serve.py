#!/usr/bin/env python3
"""A small OpenAI-compatible server for a trained student, on transformers (CPU or one GPU).

    python python/serve/serve.py --model <checkpoint> --port 8000

GET /v1/models lists the model (named by --served-model-name, default the --model path, as
`vllm serve` does); POST /v1/chat/completions answers with the model's chat template, greedy
at temperature 0, sampling otherwise, honouring top_p, max_tokens and repetition_penalty and
ignoring fields it has no use for. One request is generated at a time. It is for checking the
whole loop on a laptop or in CI with the tiny model; evaluate real students with vLLM.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, help="a checkpoint folder (or a Hugging Face model id)")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--served-model-name", default=None)
    p.add_argument("--max-new-tokens", type=int, default=1024, help="cap on max_tokens")
    return p.parse_args(argv)


class RequestError(ValueError):
    pass


class Model:
    def __init__(self, path: str):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModelForCausalLM.from_pretrained(path).to(self.device).eval()
        eos = self.model.generation_config.eos_token_id
        self.eos = list(eos) if isinstance(eos, (list, tuple)) else [eos] if eos is not None else []
        self.lock = threading.Lock()

    def chat(self, body: dict, cap: int) -> dict:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise RequestError("messages must be a non-empty list")
        max_tokens = min(int(body.get("max_tokens") or body.get("max_completion_tokens") or cap), cap)
        temperature = float(body.get("temperature", 1.0) or 0.0)
        ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)["input_ids"].to(self.device)
        kwargs = {"max_new_tokens": max_tokens, "eos_token_id": self.eos or None, "pad_token_id": self.tokenizer.pad_token_id}
        if temperature > 0:
            kwargs.update(do_sample=True, temperature=temperature, top_p=float(body.get("top_p") or 1.0))
        else:
            kwargs.update(do_sample=False)
        if body.get("repetition_penalty") is not None:
            kwargs["repetition_penalty"] = float(body["repetition_penalty"])
        if body.get("seed") is not None:
            self.torch.manual_seed(int(body["seed"]))
        with self.lock, self.torch.no_grad():
            out = self.model.generate(ids, attention_mask=self.torch.ones_like(ids), **kwargs)
        new = out[0, ids.shape[1]:].tolist()
        finished = bool(new) and new[-1] in self.eos
        text = self.tokenizer.decode(new, skip_special_tokens=True)
        return {"text": text, "prompt_tokens": ids.shape[1], "completion_tokens": len(new), "finish_reason": "stop" if finished or len(new) < max_tokens else "length"}


def make_handler(model: Model, name: str, cap: int):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, fmt, *args):
            print(f"serve: {self.address_string()} {fmt % args}", file=sys.stderr, flush=True)

        def send_json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def error(self, status: int, message: str) -> None:
            self.send_json(status, {"error": {"message": message, "type": "invalid_request_error" if status < 500 else "server_error"}})

        def do_GET(self):
            if self.path.rstrip("/") in ("/v1/models", "/models"):
                self.send_json(200, {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "agora"}]})
            elif self.path.rstrip("/") == "/health":
                self.send_json(200, {"status": "ok"})
            else:
                self.error(404, f"no route {self.path}")

        def do_POST(self):
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/chat/completions"):
                return self.error(404, f"no route {self.path}")
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if not isinstance(body, dict):
                    raise RequestError("the body must be a JSON object")
                if body.get("stream"):
                    raise RequestError("stream is not supported")
                result = model.chat(body, cap)
            except (RequestError, json.JSONDecodeError, TypeError, ValueError) as e:
                return self.error(400, str(e))
            except Exception as e:  # noqa: BLE001 - answered as a server error, the server goes on
                return self.error(500, f"{type(e).__name__}: {e}")
            self.send_json(200, {
                "id": f"chatcmpl-{uuid.uuid4().hex}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model") or name,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": result["text"]}, "finish_reason": result["finish_reason"]}],
                "usage": {"prompt_tokens": result["prompt_tokens"], "completion_tokens": result["completion_tokens"],
                          "total_tokens": result["prompt_tokens"] + result["completion_tokens"]},
            })

    return Handler


def main(argv=None) -> int:
    args = parse_args(argv)
    name = args.served_model_name or args.model
    print(f"serve: loading {args.model}", file=sys.stderr, flush=True)
    model = Model(args.model)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(model, name, args.max_new_tokens))
    print(f"serve: {name} on http://{args.host}:{args.port}/v1 ({model.device})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
