import { DOMAIN_LABEL, METHOD_LABEL, METHODS, parseSetting } from '../setting.js';
import { coverageNote } from './cost-pgr.js';
import { analysesHtml } from './html-analyses.js';
import { cellAnchors, cellsHtml, pgrWords } from './html-cells.js';
import { benchmarksHtml, generationHtml, table2Html, table3Html } from './html-tables.js';
import { generatorColor } from './pgr-color.js';
import type { Report } from './render.js';
import { METHOD_SHORT, usd } from './md-values.js';
import { cellStatus } from './report-model.js';
import { svgHeatmap, type HeatCell, type HeatmapSpec } from './svg-heatmap.js';
import { esc, tickLabel } from './svg-parts.js';
import { svgScatter, type ScatterSpec } from './svg-scatter.js';
import { variantsHtml } from './variant-html.js';

/** A section computed elsewhere (issue 13's analyses): its anchor, title and finished, escaped HTML. */
export interface HtmlSection {
  readonly id: string;
  readonly title: string;
  readonly html: string;
}

// No script may run and nothing may load from anywhere: the file is read offline, mailed, archived.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;margin:24px;max-width:1280px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}h4{margin:12px 0 4px}
nav a{margin-right:12px}.sub,.note{color:#555}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:4px 0}
.flag{color:#b2182b;font-weight:700}.reason{color:#555}ol.notes{color:#555;font-size:13px}
svg.chart{max-width:100%;height:auto;display:block;margin:8px 0}
svg text{fill:#1a1a1a}svg text.axis{fill:#444;font-size:11px}svg text.head{font-weight:600}svg text.title{font-weight:600}
svg text.label{font-size:11px}svg text.legend.missing{fill:#777}
svg line.grid{stroke:#e5e5e5}svg line.zero{stroke:#888;stroke-dasharray:4 3}svg line.frame,svg line.tick{stroke:#333}
svg circle.point{stroke:#fff;stroke-width:1.5}h3{font-size:15px;margin:20px 0 6px}
details.cell{border:1px solid #ddd;border-radius:4px;margin:4px 0;padding:4px 8px}details.cell summary{cursor:pointer}
details.state-failed summary,details.state-blocked summary{color:#b2182b}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}dt{font-weight:600}dd{margin:0}
pre{white-space:pre-wrap;margin:0;font-size:12px}.pending{color:#555;font-style:italic}
`;

function heatmapSpec(r: Report): HeatmapSpec {
  const byKey = new Map(r.cells.map((c) => [`${c.generator}\t${c.setting}`, c]));
  const anchors = cellAnchors(r.cells);
  const rows = r.table2.rows.map((row) => row.generator);
  const cells = rows.map((g) =>
    r.settings.map((s): HeatCell => {
      const c = byKey.get(`${g}\t${s}`);
      const href = anchors.get(`${g}\t${s}`);
      const link = href ? { href: `#${href}` } : {};
      if (!c) return { text: '–', title: `${g} ${s}: not in this sweep` };
      const pgr = c.scores?.pgr;
      if (pgr && 'value' in pgr)
        return {
          value: pgr.value,
          text: `${pgr.value.toFixed(1)}${pgr.flag === undefined ? '' : '!'}`,
          title: `${g} ${s}: ${pgrWords(pgr)}${pgr.flag ? `: ${pgr.flag}` : ''}`,
          ...link,
        };
      if (pgr) return { text: 'n/a', title: `${g} ${s}: ${pgrWords(pgr)}`, ...link };
      // Where it stands in a word (failed, running, blocked, ...); the tooltip and the drill-down say more.
      const word = c.state === 'pending' ? '·' : c.state === 'budget-exhausted' ? 'budget' : c.state;
      return { text: word, title: `${g} ${s}: ${cellStatus(c)}`, ...link };
    }),
  );
  const columns = r.settings.map((s) => {
    const { domain, method } = parseSetting(s);
    return { top: DOMAIN_LABEL[domain], bottom: METHOD_SHORT[method] };
  });
  return { rows, columns, cells };
}

function scatterSpec(r: Report): ScatterSpec {
  const points = r.costPgr.flatMap((s, i) =>
    s.meanPgr === undefined
      ? []
      : [
          {
            label: s.generator,
            x: s.costUsd,
            y: s.meanPgr,
            color: generatorColor(i),
            title: `${s.generator}: ${usd(s.costUsd)} USD, mean PGR ${s.meanPgr.toFixed(1)} over ${coverageNote(s)}`,
          },
        ],
  );
  const legend = r.costPgr.map((s, i) =>
    s.meanPgr === undefined
      ? { text: `${s.generator}: ${usd(s.costUsd)} USD, no PGR yet (${coverageNote(s)})` }
      : {
          color: generatorColor(i),
          text: `${s.generator}: ${usd(s.costUsd)} USD, PGR ${s.meanPgr.toFixed(1)}${s.flagged > 0 ? '!' : ''} (${coverageNote(s)})`,
        },
  );
  return {
    points,
    legend,
    xLabel: 'API cost of the generated data (USD)',
    yLabel: 'Mean PGR (%)',
    xTick: (v, step) => `$${tickLabel(v, step)}`,
    ariaLabel: 'Cost against mean PGR per generator',
  };
}

function section(id: string, title: string, html: string): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${html}\n</section>`;
}

const ANALYSES_PENDING =
  '<p class="pending">Not computed for this run: the report was built without the intrinsic metrics\' analyses (instruction difficulty, response quality, instruction and response diversity, their PCA and the regression of PGR on them).</p>';

const ANALYSES_TITLE = 'What makes a good data generator: intrinsic metrics, PCA, regression';

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.
 * `analyses`: sections computed elsewhere; without them the analyses section says they are not computed.
 */
export function renderHtml(r: Report, opts: { readonly analyses?: readonly HtmlSection[] } = {}): string {
  const scored = r.cells.filter((c) => c.scores?.pgr && 'value' in c.scores.pgr).length;
  const anyPoint = r.costPgr.some((s) => s.meanPgr !== undefined);
  const methods = METHODS.map((m) => `${METHOD_SHORT[m]}: ${METHOD_LABEL[m]}`).join(', ');
  const generators = r.table2.rows.map((row) => row.generator);
  const analyses = opts.analyses ?? (r.analysis ? [{ id: 'analyses', title: ANALYSES_TITLE, html: analysesHtml(r.analysis, generators) }] : []);
  const body = [
    `<header><h1>agora report: ${esc(r.name)}</h1><p class="sub">${r.table2.rows.length} generators × ${r.settings.length} settings; ${scored} of ${r.cells.length} cells have a PGR.</p>`,
    `<nav><a href="#matrix">PGR matrix</a><a href="#cost-pgr">Cost against PGR</a><a href="#tables">Tables</a><a href="#${esc(analyses[0]?.id ?? 'analyses')}">Analyses</a><a href="#cells">Cells</a></nav></header>`,
    section(
      'matrix',
      'PGR per generator and setting',
      `<ul class="note">${r.baselineLines.map((l) => `<li>${esc(l.replace(/^- /, ''))}</li>`).join('')}</ul>${svgHeatmap(heatmapSpec(r), 'PGR per generator and setting')}<p class="note">Columns: domain over method (${esc(methods)}). A number with ! cannot be read as recovery (see Table 2's notes). Click a square for the cell's details.</p>`,
    ),
    section(
      'cost-pgr',
      'Cost against PGR',
      `<p class="note">Per generator: x, the API cost of its generated data (its own calls; judging is not included); y, the mean PGR of its settings that have one (how many, in brackets). Generators without a PGR are listed, not plotted.</p>${anyPoint ? svgScatter(scatterSpec(r)) : '<p class="pending">No generator has a PGR yet: the chart fills as cells are scored.</p>'}`,
    ),
    section('tables', 'Tables', [table2Html(r), table3Html(r), benchmarksHtml(r), generationHtml(r)].join('\n')),
    ...(r.ablation || r.fixedBudget ? [section('variants', 'Ablation and fixed budget', variantsHtml(r.ablation, r.fixedBudget))] : []),
    analyses.length > 0 ? analyses.map((a) => section(a.id, a.title, a.html)).join('\n') : section('analyses', ANALYSES_TITLE, ANALYSES_PENDING),
    section('cells', 'Cells', cellsHtml(r.cells, generators, r.settings, r.analysis)),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>agora report: ${esc(r.name)}</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}
