#!/usr/bin/env python3
"""Symbolic equivalence of two MATH answers with sympy, as a long-lived JSON-lines process.

agora's TypeScript grader settles everything that string rules can (Hendrycks' strip_string,
PRM800K-style normalisation, exact rationals) and asks this process only about the rest, e.g.
`2\\sqrt{3}` against `\\sqrt{12}`.

Protocol: the first line written is {"ready": true, "sympy": "<version>"} or
{"ready": false, "error": "..."} (then the process exits). Each request line
{"id": 1, "a": "<latex>", "b": "<latex>", "timeout": 2.0} gets one reply line
{"id": 1, "result": "equal" | "different" | "unparseable" | "timeout" | "error", "detail": "..."}.

Answers come from model outputs, so they are never handed to sympy as code: LaTeX is
translated by a small converter that only emits numbers, operators, single-letter symbols
and a fixed set of function names; large powers are refused before anything is evaluated.
"""
import json
import re
import signal
import sys
from tokenize import TokenError

try:
    import resource

    # A runaway simplification should die, not take the machine's memory with it.
    _limit = 2 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (_limit, _limit))
except Exception:  # pragma: no cover - platform without resource limits
    pass

try:
    import sympy
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )
except Exception as exc:  # sympy missing: say so and stop, the caller skips symbolic checks
    print(json.dumps({"ready": False, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
    sys.exit(0)

TRANSFORMS = standard_transformations + (implicit_multiplication_application, convert_xor)
FUNCTIONS = {"sqrt", "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "log", "exp", "pi", "oo"}
COMMANDS = {
    "pi": " pi ", "infty": " oo ", "infinity": " oo ", "cdot": "*", "times": "*", "div": "/",
    "sin": " sin ", "cos": " cos ", "tan": " tan ", "sec": " sec ", "csc": " csc ", "cot": " cot ",
    "arcsin": " asin ", "arccos": " acos ", "arctan": " atan ", "ln": " log ", "log": " log ", "exp": " exp ",
}
GREEK = {"alpha", "beta", "gamma", "delta", "theta", "lambda", "mu", "phi", "omega", "sigma", "rho", "tau"}
COMMANDS.update({g: f" {g} " for g in GREEK})
FUNCTIONS |= GREEK
IGNORED = {"left", "right", "displaystyle", "limits", "!", ",", ";", ":", " ", "circ"}
LOCALS = {c: sympy.Symbol(c) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"}
LOCALS.update({"pi": sympy.pi, "oo": sympy.oo, "e": sympy.E})
LOCALS.update({g: sympy.Symbol(g) for g in GREEK})


class Unparseable(Exception):
    pass


class Timeout(Exception):
    pass


def _group(s, i):
    """The argument at s[i]: a {balanced} group, a \\command, or one character."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        raise Unparseable("missing argument")
    if s[i] == "{":
        depth = 0
        for j in range(i, len(s)):
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            if depth == 0:
                return s[i + 1 : j], j + 1
        raise Unparseable("unbalanced braces")
    if s[i] == "\\":
        m = re.match(r"\\[a-zA-Z]+", s[i:])
        if m:
            return m.group(0), i + len(m.group(0))
    return s[i], i + 1


def to_python(s, depth=0):
    if depth > 20 or len(s) > 400:
        raise Unparseable("too long or too deep")
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            m = re.match(r"\\([a-zA-Z]+|.)", s[i:])
            name = m.group(1) if m else ""
            i += 1 + len(name)
            if name in ("frac", "dfrac", "tfrac"):
                a, i = _group(s, i)
                b, i = _group(s, i)
                out.append(f"(({to_python(a, depth + 1)})/({to_python(b, depth + 1)}))")
            elif name == "sqrt":
                if i < len(s) and s[i] == "[":
                    j = s.index("]", i)
                    n = to_python(s[i + 1 : j], depth + 1)
                    x, i = _group(s, j + 1)
                    out.append(f"(({to_python(x, depth + 1)})**(1/({n})))")
                else:
                    x, i = _group(s, i)
                    out.append(f"sqrt({to_python(x, depth + 1)})")
            elif name in IGNORED:
                continue
            elif name in COMMANDS:
                out.append(COMMANDS[name])
            else:
                raise Unparseable(f"\\{name}")
        elif c == "{":
            g, i = _group(s, i)
            out.append(f"({to_python(g, depth + 1)})")
        elif c == "^":
            out.append("**")
            i += 1
        elif c == "_":
            g, i = _group(s, i + 1)
            if not re.fullmatch(r"[0-9a-zA-Z]+", g):
                raise Unparseable("subscript")
            out.append("_" + g)
        elif re.match(r"[0-9a-zA-Z+\-*/(). =]", c):
            out.append(c)
            i += 1
        else:
            raise Unparseable(repr(c))
    return "".join(out)


def _split_names(code):
    def fix(m):
        word = m.group(0)
        if word in FUNCTIONS or re.fullmatch(r"[a-zA-Z](_[0-9a-zA-Z]+)?", word):
            return word
        if re.fullmatch(r"[a-zA-Z]+", word):
            return "*".join(word)  # `xy` is x times y, never a name to look up
        raise Unparseable(word)

    return re.sub(r"[a-zA-Z_][a-zA-Z_0-9]*", fix, code)


def parse(latex):
    code = _split_names(to_python(latex))
    if "__" in code or not code.strip():
        raise Unparseable("empty")
    expr = parse_expr(code, local_dict=dict(LOCALS), transformations=TRANSFORMS, evaluate=False)
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Pow) and not node.exp.free_symbols and abs(complex(sympy.N(node.exp, 5))) > 1000:
            raise Unparseable("power too large")
        if isinstance(node, sympy.Integer) and abs(node) > 10 ** 100:
            raise Unparseable("number too large")
    return expr


def equivalent(a, b):
    if ("=" in a) != ("=" in b):
        return False
    if "=" in a:
        la, ra = a.split("=", 1)
        lb, rb = b.split("=", 1)
        return equivalent(la, lb) and equivalent(ra, rb)
    ea, eb = parse(a), parse(b)
    diff = sympy.simplify(ea - eb)
    if diff == 0:
        return True
    if not diff.free_symbols:
        # An exact nonzero rational difference is a different answer, however large the
        # values: a relative tolerance made 2^40 + 1 equal to 2^40. The tolerance is only for
        # irrational values that simplify cannot bring to 0.
        if diff.is_Rational:
            return False
        value = complex(sympy.N(diff, 30))
        scale = max(1.0, abs(complex(sympy.N(eb, 30))))
        return abs(value) <= 1e-9 * scale
    return False


def _on_alarm(signum, frame):
    raise Timeout()


def main():
    signal.signal(signal.SIGALRM, _on_alarm)
    print(json.dumps({"ready": True, "sympy": sympy.__version__}), flush=True)
    cache = {}
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            rid, a, b = req["id"], str(req["a"]), str(req["b"])
            timeout = float(req.get("timeout", 2.0))
        except Exception as exc:
            print(json.dumps({"id": None, "result": "error", "detail": f"bad request: {exc}"}), flush=True)
            continue
        key = (a, b)
        if key in cache:
            result, detail = cache[key]
        else:
            detail = ""
            try:
                signal.setitimer(signal.ITIMER_REAL, timeout)
                result = "equal" if equivalent(a, b) else "different"
            except Timeout:
                result = "timeout"
            except (Unparseable, SyntaxError, TypeError, ValueError, sympy.SympifyError, TokenError) as exc:
                result, detail = "unparseable", str(exc)[:200]
            except Exception as exc:
                result, detail = "error", f"{type(exc).__name__}: {exc}"[:200]
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            if result != "timeout":
                cache[key] = (result, detail)
        print(json.dumps({"id": rid, "result": result, "detail": detail}), flush=True)


if __name__ == "__main__":
    main()
