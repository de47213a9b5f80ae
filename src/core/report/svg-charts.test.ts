import { describe, expect, it } from 'vitest';
import { NO_PGR_FILL, pgrFill, textOn } from './pgr-color.js';
import { heatmapLayout, svgHeatmap } from './svg-heatmap.js';
import { esc, niceTicks, tickLabel } from './svg-parts.js';
import { scatterFrame, svgScatter, type ScatterSpec } from './svg-scatter.js';

describe('svg parts', () => {
  it('picks round ticks that cover the data', () => {
    expect(niceTicks(0, 20).values).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(-10, 50)).toEqual({ values: [-20, 0, 20, 40, 60], step: 20, min: -20, max: 60 });
    // Nothing to span: one step, so an axis still has two ends.
    expect(niceTicks(0, 0).values).toEqual([0, 1]);
    // 0.3 / 5 = 0.06 rounds up to a step of 0.1, and 3 x 0.1 reads 0.3, not 0.30000000000000004.
    expect(niceTicks(0, 0.3).values).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 0.003).values).toEqual([0, 0.001, 0.002, 0.003]);
  });

  it('labels ticks with the decimals their step needs', () => {
    expect(tickLabel(20, 20)).toBe('20');
    expect(tickLabel(0.2, 0.1)).toBe('0.2');
    expect(tickLabel(0.0025, 0.0005)).toBe('0.0025');
    expect(tickLabel(-0, 5)).toBe('0');
  });

  it('escapes text for HTML and attributes', () => {
    expect(esc(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
  });
});

describe('PGR colours', () => {
  it('runs from red at -50 through white at 0 to blue at 100, clamped past both', () => {
    expect(pgrFill(0)).toBe('#f7f7f7');
    expect(pgrFill(100)).toBe('#2166ac');
    expect(pgrFill(438)).toBe('#2166ac');
    expect(pgrFill(-50)).toBe('#b2182b');
    expect(pgrFill(-80)).toBe('#b2182b');
    // Halfway: (247 + 33) / 2 = 140, (247 + 102) / 2 = 174.5 -> 175, (247 + 172) / 2 = 209.5 -> 210.
    expect(pgrFill(50)).toBe('#8cafd2');
    // -25: halfway from red to white: 212.5 -> 213, 135.5 -> 136, 145.
    expect(pgrFill(-25)).toBe('#d58891');
  });

  it('writes white on the dark ends and dark text on the light middle', () => {
    expect([textOn(100), textOn(0), textOn(-50)]).toEqual(['#ffffff', '#1a1a1a', '#ffffff']);
  });
});

describe('scatter', () => {
  const spec: ScatterSpec = {
    points: [
      { label: 'a<b>', x: 10, y: 50, color: '#4e79a7', title: 'a: 10 USD' },
      { label: 'c', x: 20, y: -10, color: '#f28e2b', title: 'c: 20 USD' },
    ],
    legend: [{ color: '#4e79a7', text: 'a<b>: 10 USD' }, { color: '#f28e2b', text: 'c' }, { text: 'd: no PGR yet' }],
    xLabel: 'cost',
    yLabel: 'PGR',
    xTick: (v, step) => `$${tickLabel(v, step)}`,
    ariaLabel: 'test',
  };

  it('maps data to px over round axes: x from 0, y holding 0', () => {
    const f = scatterFrame(spec);
    // Plot area x 64..544, y 20..340; x ticks 0..20 by 5, y ticks -20..60 by 20.
    expect(f.x.values).toEqual([0, 5, 10, 15, 20]);
    expect(f.y.values).toEqual([-20, 0, 20, 40, 60]);
    expect([f.sx(10), f.sy(50)]).toEqual([64 + (10 / 20) * 480, 340 - (70 / 80) * 320]);
    expect([f.sx(10), f.sy(50)]).toEqual([304, 60]);
    expect([f.sx(20), f.sy(-10)]).toEqual([544, 300]);
    expect(f.width).toBe(544 + 40 + 340);
  });

  it('draws points, ticks, a dashed zero line and a legend that lists the unplotted, escaped', () => {
    const svg = svgScatter(spec);
    expect(svg).toContain('<circle cx="304" cy="60" r="6" fill="#4e79a7" class="point"><title>a: 10 USD</title></circle>');
    expect(svg).toContain('<circle cx="544" cy="300" r="6" fill="#f28e2b" class="point">');
    // y = 0 at 340 - 20 / 80 x 320 = 260.
    expect(svg).toContain('<line x1="64" y1="260" x2="544" y2="260" class="zero"/>');
    expect(svg).toContain('>$15</text>');
    expect(svg).toContain('>-20</text>');
    expect(svg).toContain('>a&lt;b&gt;</text>');
    expect(svg).not.toContain('<b>');
    // At the right edge the label sits left of its point.
    expect(svg).toContain('<text x="535" y="294" text-anchor="end" class="label">c</text>');
    // Legend rows 20 px apart from y 26, at x 584: the third, hollow, for a series with no point.
    expect(svg).toContain(
      '<circle cx="590" cy="66" r="5" fill="none" stroke="#999999" stroke-width="1.5"/><text x="602" y="70" class="legend missing">d: no PGR yet</text>',
    );
  });
});

describe('heatmap', () => {
  const spec = {
    rows: ['gpt-4o', 'llama-8b'],
    columns: [
      { top: 'Math', bottom: 'IG' },
      { top: 'Code', bottom: 'IG' },
      { top: 'Inst. Follow', bottom: 'IG' },
    ],
    cells: [
      [
        { value: 62, text: '62.0', title: 'gpt-4o math', href: '#cell-0' },
        { value: 34, text: '34.0', title: 't' },
        { text: 'n/a', title: 'no base <score>' },
      ],
      [
        { text: 'failed', title: 't' },
        { value: -12, text: '-12.0', title: 't' },
        { value: 50, text: '50.0', title: 'x' },
      ],
    ],
  };

  it('lays out rows of 30 px and columns of 84 px right of the labels', () => {
    const l = heatmapLayout(spec);
    // Longest label "llama-8b": 8 characters x 7 px + 12 = 68.
    expect(l.labelW).toBe(68);
    expect([l.x(2), l.y(1)]).toEqual([68 + 2 * 84, 40 + 30]);
    expect(l.height).toBe(40 + 2 * 30 + 48);
  });

  it('fills each square with its PGR colour and writes the number, escaped, linked to the drill-down', () => {
    const svg = svgHeatmap(spec, 'PGR');
    // Row 1, column 2 (PGR 50): a rect 1 px inside (237, 71), text centred at (278, 89).
    expect(svg).toContain(
      '<rect x="237" y="71" width="82" height="28" fill="#8cafd2"><title>x</title></rect><text x="278" y="89" text-anchor="middle" fill="#1a1a1a">50.0</text>',
    );
    expect(svg).toContain(`<a href="#cell-0"><rect x="69" y="41" width="82" height="28" fill="${pgrFill(62)}">`);
    expect(svg).toContain(`fill="${NO_PGR_FILL}"><title>no base &lt;score&gt;</title>`);
    expect(svg).toContain('>failed</text>');
    const long = svgHeatmap({ ...spec, rows: ['a-very-long-generator-id-of-forty-chars!', 'b'] }, 'PGR');
    expect(long).toContain('>a-very-long-generator-id-of…<title>a-very-long-generator-id-of-forty-chars!</title></text>');
  });
});
