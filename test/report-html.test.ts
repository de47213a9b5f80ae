import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../src/config/load-config.js';
import type { CellScores } from '../src/core/snapshot.js';
import { cellSubject, saveOutput, saveVerdict } from '../src/store/eval-repo.js';
import { InstanceRepo } from '../src/store/instance-repo.js';
import { openStore } from '../src/store/open-store.js';
import { syncRunFromConfig } from '../src/store/run-repo.js';
import { colorBlobs, decodePng, type Blob, type Pixels } from './support/png-pixels.js';
import { runAgora } from './support/run-cli.js';
import { tempDir } from './support/temp-run.js';
import { payCall } from './support/paid-call.js';
import { storeMetrics, type MetricRow } from './support/instance-metrics.js';

const CONFIG = `
name: html
instancesPerCell: 10
budget: { usd: 100 }
generators:
  - { id: gpt-4o, provider: openai, model: gpt-4o-2024-08-06, price: { input: 2.5, output: 10 } }
  - { id: llama-8b, provider: openai-compatible, model: llama-3.1-8b, baseURL: "http://127.0.0.1:9/v1", price: { input: 0.055, output: 0.055 } }
  - { id: claude, provider: anthropic, model: claude-3-5-sonnet-20241022, price: { input: 3, output: 15 } }
settings: [math/instance, code/instance, inst/instance]
evaluate:
  judge: { generator: { id: judge, provider: openai, model: gpt-4-1106-preview, price: { input: 10, output: 30 } } }
  baselines: { base: { scores: { gsm8k: 19.84, math: 19.84, mbpp: 40, humaneval: 30 } }, reference: { scores: paper } }
  problemSolving: { gpt-4o: 80, llama-8b: 40, claude: 90 }
`;

/** An error text that would run as a script if the report did not escape it. */
const HOSTILE = '<script>document.title="pwned"</script> CUDA out of memory & more';

const pgr = (value: number): CellScores => ({ benchmarks: { gsm8k: 50, math: 30 }, pgrByBenchmark: { gsm8k: { value }, math: { value } }, pgr: { value } });

/**
 * Two judged instances and two instruction embeddings per cell. Cell values: judge means
 * 4.5, 3.5, 2, 5 (and 3 for gpt-4o's unscored inst cell); c-dist of two unit vectors at 90°,
 * 45°, 0° and 135°: 1, 1 - 1/sqrt(2), 0, 1 + 1/sqrt(2).
 */
function metrics(cellId: number, judge: readonly number[], embeddings: readonly (readonly number[])[]): MetricRow[] {
  return [
    ...judge.map((value, i) => ({ cellId, instanceId: i + 1, metric: 'quality.judge' as const, value })),
    ...embeddings.map((vector, i) => ({ cellId, instanceId: i + 1, metric: 'diversity.instruction' as const, vector })),
  ];
}

/**
 * A run as the real store holds it. PGRs: gpt-4o 62 (math) and 34 (code), inst scored without
 * one; llama-8b -12 (code), math failed with HOSTILE; claude 88 (math). Generation costs:
 * gpt-4o 12.5 + 7.5 = 20, llama-8b 2, claude 30; the judge 3 on gpt-4o's inst cell.
 */
function buildRun(dir: string): string {
  const configFile = path.join(dir, 'sweep.yaml');
  fs.writeFileSync(configFile, CONFIG);
  const config = loadConfigFile(configFile);
  const db = openStore(path.join(dir, 'runs/html/agora.db'));
  try {
    syncRunFromConfig(db, config);
    const id = (g: string, s: string) => (db.prepare(`SELECT id FROM cells WHERE generator = ? AND setting = ?`).get(g, s) as { id: number }).id;
    const score = (g: string, s: string, v: CellScores) =>
      db.prepare(`UPDATE cells SET stage = 'score', state = 'done', scores_json = ? WHERE id = ?`).run(JSON.stringify(v), id(g, s));
    score('gpt-4o', 'math/instance', pgr(62));
    score('gpt-4o', 'code/instance', pgr(34));
    score('gpt-4o', 'inst/instance', { benchmarks: {}, pgrByBenchmark: {}, pgr: { reason: 'no base-model score on AlpacaEval 2.0' } });
    score('llama-8b', 'code/instance', pgr(-12));
    score('claude', 'math/instance', pgr(88));
    db.prepare(`UPDATE cells SET stage = 'train', state = 'failed', error = ? WHERE id = ?`).run(HOSTILE, id('llama-8b', 'math/instance'));
    const call = (generator: string, cellId: number, purpose: string, usd: number) => payCall(db, { generator, cellId, purpose, usd });
    call('gpt-4o', id('gpt-4o', 'math/instance'), 'generate', 12.5);
    call('gpt-4o', id('gpt-4o', 'code/instance'), 'generate', 7.5);
    call('llama-8b', id('llama-8b', 'code/instance'), 'generate', 2);
    call('claude', id('claude', 'math/instance'), 'generate', 30);
    call('judge', id('gpt-4o', 'inst/instance'), 'judge', 3);
    const instances = new InstanceRepo(db);
    const gm = id('gpt-4o', 'math/instance');
    for (let i = 0; i < 3; i++) instances.reject({ cellId: gm, reason: 'no [RESULT] <answer>', seedIndex: null, callId: null });
    instances.accept({
      cellId: gm,
      instruction: 'What is 2 + 2? <b>bold</b>',
      response: 'Four. [RESULT] 4 [/RESULT]',
      instructionKey: 'k1',
      seedIndex: null,
      callId: null,
    });
    instances.accept({ cellId: gm, instruction: 'x'.repeat(5000), response: 'long', instructionKey: 'k2', seedIndex: null, callId: null });
    // Item ids sort as numbers: 2 before 10.
    saveOutput(db, cellSubject(gm), gm, 'gsm8k', '10', 'The answer is 4');
    saveOutput(db, cellSubject(gm), gm, 'gsm8k', '2', 'The answer is <5>');
    saveVerdict(db, cellSubject(gm), 'gsm8k', '2', 0, { expected: '4', extracted: '5' });
    storeMetrics(db, [
      ...metrics(
        gm,
        [4, 5],
        [
          [1, 0],
          [0, 1],
        ],
      ),
      ...metrics(
        id('gpt-4o', 'code/instance'),
        [3, 4],
        [
          [1, 0],
          [1, 1],
        ],
      ),
      ...metrics(
        id('llama-8b', 'code/instance'),
        [2, 2],
        [
          [1, 0],
          [2, 0],
        ],
      ),
      ...metrics(
        id('claude', 'math/instance'),
        [5, 5],
        [
          [1, 0],
          [-1, 1],
        ],
      ),
      ...metrics(
        id('gpt-4o', 'inst/instance'),
        [3, 3],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ]);
  } finally {
    db.close();
  }
  return configFile;
}

let dir = '';
let file = '';
let html = '';
let cleanup = () => {};

beforeAll(async () => {
  const t = tempDir('agora-report-html-');
  dir = t.dir;
  cleanup = t.cleanup;
  const configFile = buildRun(dir);
  file = path.join(dir, 'exports', 'report.html');
  const r = await runAgora(['report', '--format', 'html', '--out', file, '--config', configFile], { cwd: dir });
  expect(r.stderr).toContain(`wrote ${file}`);
  expect(r.code).toBe(0);
  html = fs.readFileSync(file, 'utf8');
}, 60_000);
afterAll(() => cleanup());

describe('agora report --format html', () => {
  it('writes one self-contained page: inline SVG and CSS, no script, nothing loaded from elsewhere', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|srcset)=|<link|@import|url\(/i);
    // The only URL is the SVG namespace (a name, never fetched).
    expect(html.match(/https?:\/\/[^"\s]*/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(html.match(/<svg /g)).toHaveLength(5);
  });

  it('escapes what the run recorded: an error message with a <script> stays text', () => {
    expect(html).toContain('&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt; CUDA out of memory &amp; more');
    expect(html).toContain('no [RESULT] &lt;answer&gt;');
  });

  it('has the heatmap, the cost-against-PGR scatter, the tables, a place for the analyses and a drill-down per cell', () => {
    for (const id of ['matrix', 'cost-pgr', 'tables', 'analyses', 'cells']) expect(html).toContain(`<section id="${id}">`);
    expect(html).toMatch(/<text [^>]*>62\.0<\/text>/);
    expect(html).toMatch(/<text [^>]*>-12\.0<\/text>/);
    // The scatter's legend: gpt-4o's two PGRs of three settings (62 and 34: 48), its generation cost only.
    expect(html).toContain('gpt-4o: 20.00 USD, PGR 48.0 (2/3 settings)');
    expect(html).toContain('claude: 30.00 USD, PGR 88.0 (1/3 settings)');
    expect(html).toContain('<caption>Table 2: Performance Gap Recovered (%)');
    expect(html).toContain('<td>gpt-4o</td><td>gpt-4o-2024-08-06</td><td class="num">20.00</td><td class="num">3.00</td>');
    // The analyses: four cells with both metrics and a PGR; gpt-4o's inst cell has metrics, no PGR.
    const analyses = html.match(/<section id="analyses">[\s\S]*?<\/section>/)?.[0] ?? '';
    expect(analyses).toContain('4 of 5 cells enter the PCA and the regressions');
    expect(analyses).toContain(
      '<td>gpt-4o</td><td>inst/instance</td><td class="num">3.00</td><td class="num">1.000</td><td class="num"></td><td>no: no PGR: no base-model score on AlpacaEval 2.0</td>',
    );
    expect(analyses).toContain('<td>claude</td><td>math/instance</td><td class="num">5.00</td><td class="num">1.707</td><td class="num">88.0</td><td>yes</td>');
    // Two metrics z-scored correlate r = 2.81067 / sqrt(5.25 x 1.75) = 0.92728: PC1 explains (1 + r) / 2.
    expect(analyses).toMatch(
      /<tr><td>PC1<\/td><td class="num">96\.4<\/td><td class="num">96\.4<\/td><td class="num">0\.707<\/td><td class="num">0\.707<\/td><\/tr>/,
    );
    expect(analyses).toMatch(
      /<tr><td>PC2<\/td><td class="num">3\.6<\/td><td class="num">100\.0<\/td><td class="num">0\.707<\/td><td class="num">-0\.707<\/td><\/tr>/,
    );
    // PGR on the judge alone: Sxy = 169, Sxx = 5.25, slope 32.190; R² = 169² / (5.25 x 5492) = 0.991.
    expect(analyses).toMatch(
      /<td>Quality \(judge\)<\/td><td class="num">32\.190<\/td><td class="num">[\d.]+<\/td><td class="num">[\d.<]+<\/td><td class="num">0\.991<\/td>/,
    );
    // Problem solving 80, 80, 40, 90 against PGR 62, 34, -12, 88: r = 2650 / sqrt(1475 x 5492) = 0.931;
    // ranks (2.5, 2.5, 1, 4) and (3, 2, 1, 4): rho = 4.5 / sqrt(4.5 x 5) = 0.949.
    expect(analyses).toContain('<td>Pearson r</td><td class="num">0.931</td>');
    expect(analyses).toContain('<td>Spearman ρ</td><td class="num">0.949</td>');
    expect(analyses).toContain('<td>R² (PGR on problem solving)</td><td class="num">0.867</td>');
    expect(analyses).toContain('Not computed in any cell, so left out: difficulty.judge, difficulty.openJudge');
    expect(html.match(/<details id="cell-\d+"/g)).toHaveLength(9);
    const gptMath = html.match(/<details id="cell-\d+" class="cell state-done"><summary><b>gpt-4o<\/b> · math\/instance[\s\S]*?<\/details>/)?.[0] ?? '';
    expect(gptMath).toContain('PGR 62.0');
    expect(gptMath).toContain('<td>no [RESULT] &lt;answer&gt;</td><td class="num">3</td>');
    expect(gptMath).toContain('generation 12.50 USD; judge 0.00 USD');
    // Sample instances (newest first, a long one cut) and the student's first answers with their verdicts.
    expect(gptMath).toContain('<pre>What is 2 + 2? &lt;b&gt;bold&lt;/b&gt;</pre>');
    expect(gptMath).toContain(`<pre>${'x'.repeat(1200)}\n[... 3800 more characters]</pre>`);
    expect(gptMath.indexOf('x'.repeat(1200))).toBeLessThan(gptMath.indexOf('What is 2 + 2?'));
    expect(gptMath).toMatch(
      /<td>GSM8K<\/td><td>2<\/td><td><pre>The answer is &lt;5&gt;<\/pre><\/td><td class="num">0<\/td><td><pre>\{\n &quot;expected&quot;: &quot;4&quot;,\n &quot;extracted&quot;: &quot;5&quot;\n\}<\/pre><\/td>/,
    );
    expect(gptMath.indexOf('<td>2</td>')).toBeLessThan(gptMath.indexOf('<td>10</td>'));
    expect(gptMath).toContain(
      '<h4>Intrinsic metrics</h4><table><thead><tr><th>Metric</th><th>Value</th><th>Instances</th></tr></thead><tbody><tr><td>Quality (judge)</td><td class="num">4.50</td><td class="num">2</td></tr>',
    );
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const run = promisify(execFile);

/** Headless Chromium on the report, its own profile so parallel runs never share one. */
async function chromium(args: readonly string[]): Promise<string> {
  const profile = fs.mkdtempSync(path.join(dir, 'chromium-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', `--user-data-dir=${profile}`];
  const { stdout } = await run(CHROMIUM!, [...flags, ...args, `file://${file}`], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

const near = (a: number, b: number, within = 2) => Math.abs(a - b) <= within;
const centre = (b: Blob) => [(b.left + b.right) / 2, (b.top + b.bottom) / 2] as const;

describe.skipIf(!CHROMIUM)('the html report in headless Chromium', () => {
  it('parses to a DOM with both charts and no script element', async () => {
    const dom = await chromium(['--dump-dom']);
    expect(dom.match(/<svg /g)).toHaveLength(5);
    for (const kind of ['bars', 'loadings']) expect(dom).toMatch(new RegExp(`<svg [^>]*class="chart ${kind}"`));
    expect(dom).toMatch(/<svg [^>]*class="chart heatmap"/);
    expect(dom).toMatch(/<svg [^>]*class="chart scatter"/);
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toContain('&lt;script&gt;document.title="pwned"&lt;/script&gt;');
    expect(dom).toContain('<title>agora report: html</title>');
  }, 120_000);

  it("draws the heatmap's squares and the scatter's points where the layout puts them", async () => {
    const img = await screenshot();
    expect([img.width, img.height]).toEqual([1400, 6000]);
    const analysesTop = colorBlobs(img, BAR)[0]!.top;
    // Heatmap fills, by hand from the scale (-50 red 178,24,43; 0 white 247,247,247; 100 blue 33,102,172):
    // 62: 247 + 0.62 x (33 - 247, 102 - 247, 172 - 247) = (114, 157, 201); 34: (174, 198, 222);
    // 88: (59, 119, 181); -12 lies 38/50 of the way from red to white: (230, 193, 198).
    const square = (rgb: [number, number, number]) => {
      const b = colorBlobs(img, rgb)[0];
      expect(b, `a square of ${rgb.join(',')}`).toBeDefined();
      // 84 x 30 per cell less a 1 px gutter on each side.
      expect([b!.right - b!.left + 1, b!.bottom - b!.top + 1]).toEqual([82, 28]);
      return b!;
    };
    const gptMath = square([114, 157, 201]);
    const gptCode = square([174, 198, 222]);
    const llamaCode = square([230, 193, 198]);
    const claudeMath = square([59, 119, 181]);
    expect([gptCode.left - gptMath.left, gptCode.top - gptMath.top]).toEqual([84, 0]);
    expect([llamaCode.left - gptMath.left, llamaCode.top - gptMath.top]).toEqual([84, 30]);
    expect([claudeMath.left - gptMath.left, claudeMath.top - gptMath.top]).toEqual([0, 60]);
    // Scatter points (Tableau colours: gpt-4o #4e79a7, claude #e15759). Axes: x 0..30 USD over
    // 480 px, y -20..100 over 320 px, so gpt-4o (20, 48) and claude (30, 88) lie
    // (10 / 30 x 480, -40 / 120 x 320) = (160, -106.7) apart. Each colour also marks the legend,
    // right of the plot: the point is the leftmost blob.
    const point = (rgb: [number, number, number]) => {
      // The analyses' scatter, further down, uses the same colours: only the cost scatter's here.
      const blobs = colorBlobs(img, rgb).filter((b) => b.pixels > 30 && b.top < analysesTop);
      expect(blobs).toHaveLength(2);
      return [...blobs].sort((a, b) => a.left - b.left);
    };
    const [gpt, gptLegend] = point([0x4e, 0x79, 0xa7]);
    const [claude, claudeLegend] = point([0xe1, 0x57, 0x59]);
    const [gx, gy] = centre(gpt!);
    const [cx, cy] = centre(claude!);
    expect(near(cx - gx, 160) && near(cy - gy, -106.7)).toBe(true);
    // Both below the heatmap, as the page orders them.
    expect(gy).toBeGreaterThan(claudeMath.bottom);
    // Legend rows 20 px apart: gpt-4o first, claude third.
    expect(near(centre(claudeLegend!)[1] - centre(gptLegend!)[1], 40)).toBe(true);
  }, 120_000);

  it('draws the explained-variance bars, the loadings heatmap and the problem-solving scatter from the run', async () => {
    const img = await screenshot();
    // Bars: PC1 (1 + 0.92728) / 2 = 96.36% and PC2 3.64% of 480 px: 462.5 and 17.5 px, rows 26 px apart.
    const bars = colorBlobs(img, BAR)
      .filter((b) => b.pixels > 100)
      .sort((a, b) => a.top - b.top);
    expect(bars).toHaveLength(2);
    const [pc1, pc2] = bars as [Blob, Blob];
    expect(near(pc1.right - pc1.left + 1, 462.5, 1.5) && near(pc2.right - pc2.left + 1, 17.5, 1.5)).toBe(true);
    expect([pc2.top - pc1.top, pc1.left]).toEqual([26, pc2.left]);
    // Loadings of two z-scored metrics are ±1/sqrt(2): white to blue 0.7071 of the way is
    // (96, 144, 194), to red (198, 89, 103). PC1 (0.707, 0.707); PC2 (0.707, -0.707): three blue
    // squares and one red, 64 x 26 less a 1 px gutter, the red one at diversity (row 2), PC2 (column 2).
    // Big regions only: anti-aliased edges elsewhere can hit a colour for a few pixels.
    const big = (b: Blob) => b.pixels > 500;
    const blue = colorBlobs(img, [96, 144, 194])
      .filter(big)
      .sort((a, b) => a.top - b.top || a.left - b.left);
    const red = colorBlobs(img, [198, 89, 103]).filter(big);
    expect(blue).toHaveLength(3);
    expect(red).toHaveLength(1);
    for (const b of [...blue, ...red]) expect([b.right - b.left + 1, b.bottom - b.top + 1]).toEqual([62, 24]);
    expect([red[0]!.left - blue[0]!.left, red[0]!.top - blue[0]!.top]).toEqual([64, 26]);
    expect(blue[0]!.top).toBeGreaterThan(pc2.bottom);
    // Problem solving (x, 0..100 over 480 px) against PGR (y, -20..100 over 320 px): llama-8b
    // (40, -12) and claude (90, 88) lie (240, -266.7) apart. Below the loadings; leftmost is the point.
    const below = (rgb: [number, number, number]) =>
      colorBlobs(img, rgb)
        .filter((b) => b.pixels > 30 && b.top > blue[2]!.bottom)
        .sort((a, b) => a.left - b.left)[0]!;
    const [lx, ly] = centre(below([0xf2, 0x8e, 0x2b]));
    const [cx, cy] = centre(below([0xe1, 0x57, 0x59]));
    expect(near(cx - lx, 240) && near(cy - ly, -266.7)).toBe(true);
  }, 120_000);
});

/** The explained-variance bars' fill (svg-pca.ts BAR_FILL, #8c6bb1). */
const BAR: [number, number, number] = [0x8c, 0x6b, 0xb1];

let shot: Promise<Pixels> | undefined;
/** One screenshot, tall enough for the whole page down to the analyses, shared by the pixel checks. */
function screenshot(): Promise<Pixels> {
  shot ??= (async () => {
    const png = path.join(dir, 'report.png');
    await chromium([`--screenshot=${png}`, '--window-size=1400,6000']);
    return decodePng(fs.readFileSync(png));
  })();
  return shot;
}

if (!CHROMIUM) console.warn('report-html: no chromium at /usr/bin/chromium; the browser checks skip (Debian: apt-get install chromium)');
