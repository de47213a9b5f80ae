import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mathAnswersMatch } from '../../core/grade/math-equiv.js';
import { SympyChecker } from './sympy-checker.js';

const probe = await SympyChecker.start();
const available = probe.status.available;
await probe.close();
if (!available) console.warn(`sympy tests skipped: ${'reason' in probe.status ? probe.status.reason : ''}`);

const dir = mkdtempSync(join(tmpdir(), 'agora-sympy-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SympyChecker without sympy', () => {
  it('reports unavailable for a missing interpreter and answers checks with unavailable', async () => {
    const c = await SympyChecker.start({ pythons: [join(dir, 'no-such-python')] });
    expect(c.status.available).toBe(false);
    expect(await c.equivalent('1', '1')).toBe('unavailable');
    await c.close();
  });

  it('reports unavailable when the interpreter cannot import sympy', async () => {
    // -S drops site-packages, where sympy lives: the script's own "ready: false" greeting.
    const wrapper = join(dir, 'python-no-site');
    writeFileSync(wrapper, '#!/bin/sh\nexec python3 -S "$@"\n');
    chmodSync(wrapper, 0o755);
    const c = await SympyChecker.start({ pythons: [wrapper] });
    expect(c.status).toEqual({ available: false, reason: expect.stringContaining('sympy') });
    await c.close();
  });
});

describe.skipIf(!available)('SympyChecker with sympy', () => {
  let c: SympyChecker;
  beforeAll(async () => {
    c = await SympyChecker.start();
  });
  afterAll(async () => c.close());

  it.each([
    ['2\\sqrt{3}', '\\sqrt{12}', 'equal'],
    ['\\frac{1}{2}', '0.5', 'equal'],
    ['(x+1)^2', 'x^2+2x+1', 'equal'],
    ['\\frac{\\sqrt{3}}{3}', '\\frac{1}{\\sqrt{3}}', 'equal'],
    ['\\sqrt[3]{8}', '2', 'equal'],
    ['y=2x+1', 'y=1+2x', 'equal'],
    ['\\sqrt{2}', '1.414', 'different'],
    ['\\pi', '3', 'different'],
  ])('%s vs %s -> %s', async (a, b, verdict) => {
    expect(await c.equivalent(a, b)).toBe(verdict);
  });

  it('never evaluates an answer as code, and refuses huge powers', async () => {
    expect(await c.equivalent('__import__("os").system("touch pwned")', '1')).toBe('unparseable');
    expect(await c.equivalent('\\exec(1)', '1')).toBe('unparseable');
    expect(await c.equivalent('2^{10^{10}}', '1')).toBe('unparseable');
  });

  it("settles the brief's cases through mathAnswersMatch", async () => {
    expect(await mathAnswersMatch('\\sqrt{12}', '2\\sqrt{3}', c)).toEqual({ equal: true, by: 'symbolic' });
    expect((await mathAnswersMatch('0.5', '\\frac{1}{2}', c)).equal).toBe(true);
    expect((await mathAnswersMatch('(3, \\pi/2)', '\\left( 3, \\frac{\\pi}{2} \\right)', c)).equal).toBe(true);
    expect((await mathAnswersMatch('2\\sqrt{2}', '\\sqrt{12}', c)).equal).toBe(false);
  });
});

describe('SympyChecker with a process that stops answering', () => {
  it('times the check out, replaces the process, and goes on', async () => {
    const script = join(dir, 'hangs.py');
    writeFileSync(
      script,
      'import json, sys, time\nprint(json.dumps({"ready": True, "sympy": "fake"}), flush=True)\nfor line in sys.stdin:\n    req = json.loads(line)\n    if req["a"] == "hang":\n        time.sleep(3600)\n    print(json.dumps({"id": req["id"], "result": "equal" if req["a"] == req["b"] else "different"}), flush=True)\n',
    );
    const c = await SympyChecker.start({ script, timeoutMs: 100 });
    expect(c.status).toEqual({ available: true, python: 'python3', version: 'fake' });
    const [hung, after] = await Promise.all([c.equivalent('hang', '1'), c.equivalent('a', 'a')]);
    expect(hung).toBe('timeout');
    expect(after).toBe('equal');
    await c.close();
  });
});

describe('SympyChecker with a process whose lines are not replies', () => {
  // A fake math_equiv.py: "noise" answers a line that is not JSON, "strid" a reply whose id is
  // a string, "maybe" a verdict that does not exist; anything else is answered properly.
  const script = join(dir, 'garbles.py');
  writeFileSync(
    script,
    [
      'import json, sys',
      'print(json.dumps({"ready": True, "sympy": "fake"}), flush=True)',
      'for line in sys.stdin:',
      '    req = json.loads(line)',
      '    if req["a"] == "noise": print("Warning: something", flush=True)',
      '    elif req["a"] == "strid": print(json.dumps({"id": str(req["id"]), "result": "equal"}), flush=True)',
      '    elif req["a"] == "maybe": print(json.dumps({"id": req["id"], "result": "maybe"}), flush=True)',
      '    else: print(json.dumps({"id": req["id"], "result": "equal" if req["a"] == req["b"] else "different"}), flush=True)',
      '',
    ].join('\n'),
  );

  it.each(['noise', 'strid', 'maybe'])(
    'a check answered by %s is an error at once (not a timeout later), said, and the next check gets a working process',
    async (kind) => {
      // A long per-check limit: a line that was skipped would leave the check waiting for it.
      const c = await SympyChecker.start({ script, timeoutMs: 60_000 });
      expect(await c.equivalent(kind, '1')).toBe('error');
      expect(c.lastProblem).toMatch(/garbles\.py answered a line that is not a reply \((not JSON: Warning|id: |result: )/);
      expect(await c.equivalent('a', 'a')).toBe('equal');
      await c.close();
    },
  );

  it('a greeting of another shape is named in the reason sympy is unavailable', async () => {
    const odd = join(dir, 'odd-greeting.py');
    writeFileSync(odd, 'import json\nprint(json.dumps({"ready": True}), flush=True)\n');
    const c = await SympyChecker.start({ script: odd, pythons: ['python3'] });
    expect(c.status).toEqual({ available: false, reason: expect.stringMatching(/unexpected greeting from .*odd-greeting\.py: sympy: /) as unknown });
    await c.close();
  });
});
