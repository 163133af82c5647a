import { formatDuration, formatRate } from 'rmsprop/train';
import type { RunInfo } from '../run-info.js';
import { divergence, type LrFindResult, type RunRecord } from './runs.js';
import { summaryTable, type OptimizerSummary } from './summary.js';

/** A chart as it goes into the page: its file (also its anchor), title and SVG text. */
export interface Figure {
  file: string;
  title: string;
  svg: string;
}

export interface ReportPage {
  title: string;
  /** When the report was made. */
  made: Date;
  /** The runs compared, in `comparison` and the figures. */
  runs: RunRecord[];
  comparison: OptimizerSummary[];
  /** The learning-rate search runs of a compare, summarized apart. */
  tuning: OptimizerSummary[];
  tuningRuns: RunRecord[];
  figures: Figure[];
  lrFind?: { result: LrFindResult; figure: Figure };
}

/**
 * The report as one self-contained HTML page: the SVGs inline, the style in the page, no script and no
 * request to anywhere, so it can be mailed or archived as a single file.
 */
export function reportHtml(page: ReportPage): string {
  const runs = [...page.runs, ...page.tuningRuns];
  const problems = [
    ...new Set([...runs.map((r) => r.info.problem), ...(page.lrFind ? [page.lrFind.result.problem] : [])]),
  ];
  const body = [
    `<h1>${esc(page.title)}</h1>`,
    `<p class="meta">Made by <code>rmsprop report</code> on ${esc(isoMinutes(page.made.toISOString()))} from ${plural(runs.length, 'run')}${page.lrFind ? ' and a learning-rate range test' : ''}; problem ${problems.map((p) => `<code>${esc(p)}</code>`).join(', ')}.</p>`,
    problems.length > 1
      ? `<p class="warning">These results come from ${problems.length} different problems: their curves share axes and their figures are not comparable.</p>`
      : '',
    page.comparison.length > 0 ? `<h2>Comparison</h2>\n${summaryHtml(page.comparison)}\n${COMPARISON_NOTE}` : '',
    page.figures.length > 0 ? `<h2>Curves</h2>\n${page.figures.map(figureHtml).join('\n')}` : '',
    page.tuning.length > 0
      ? `<h2>Learning-rate search</h2>\n<p class="note">The tuning runs, one label per learning rate tried.</p>\n${summaryHtml(page.tuning)}`
      : '',
    page.lrFind ? lrFindSection(page.lrFind.result, page.lrFind.figure) : '',
    runs.length > 0 ? runsSection(runs) : '',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(page.title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.filter((s) => s !== '').join('\n')}
</body>
</html>
`;
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #e4e4e4; text-align: right; vertical-align: top; }
th:first-child, td:first-child, td.text, table.runs td, table.runs th { text-align: left; }
tr.diverged td { background: #fdecea; } .diverged-mark { color: #b3261e; font-weight: 600; }
figure { margin: 1.2rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption, .meta, .note { color: #555; font-size: .9rem; } .warning { color: #b3261e; }
code { font-size: .85em; overflow-wrap: anywhere; }
`;

const COMPARISON_NOTE = `<p class="note">final: the metric at each run's last epoch, mean ± sample sd over the runs
that did not diverge; best: the best epoch of the mean curve over seeds; epochs to target: the mean over the runs that
reached it of the first epoch that did (DeepOBS speed), with how many of the runs reached it; time: wall time per run.
Diverged runs, in red, are left out of these figures.</p>`;

function summaryHtml(summaries: OptimizerSummary[]): string {
  const { header, rows } = summaryTable(summaries);
  const body = rows
    .map((row, i) => {
      const cls = summaries[i]!.diverged > 0 ? ' class="diverged"' : '';
      return `<tr${cls}>${row.map((cell) => `<td>${esc(cell)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table>
<thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function figureHtml(f: Figure): string {
  return `<figure id="${esc(f.file)}">
${f.svg}
<figcaption>${esc(f.title)}, also in <code>${esc(f.file)}</code></figcaption>
</figure>`;
}

function lrFindSection(r: LrFindResult, figure: Figure): string {
  const settings: [string, string][] = [
    ['problem', r.problem],
    ['optimizer', r.optimizer],
    ['options', JSON.stringify(r.options)],
    ['seed', String(r.seed)],
    ['learning rates', `${formatRate(r.minLr)} to ${formatRate(r.maxLr)}, ${r.lrs.length} steps`],
    ['suggestion', Number.isFinite(r.suggestion) ? `${formatRate(r.suggestion)} (${r.method})` : `none (${r.method})`],
  ];
  return `<h2>Learning-rate range test</h2>
${figureHtml(figure)}
<table>
${settings.map(([k, v]) => `<tr><td>${esc(k)}</td><td class="text"><code>${esc(v)}</code></td></tr>`).join('\n')}
</table>`;
}

/** Every run with its settings and how it ended, diverged ones marked. */
function runsSection(runs: RunRecord[]): string {
  const header = [
    'optimizer',
    'seed',
    'problem',
    'epochs',
    'batch size',
    'options',
    'started',
    'time',
    'status',
    'directory',
  ];
  const rows = runs.map((r) => {
    const cells = [
      esc(r.info.optimizer),
      String(r.info.seed),
      esc(r.info.problem),
      `${r.epochs.at(-1)?.epoch ?? 0}/${r.info.epochs}`,
      String(r.info.batchSize),
      `<code>${esc(settings(r.info))}</code>`,
      r.begin ? esc(isoMinutes(r.begin.time)) : '—',
      formatDuration(r.seconds),
      status(r),
      `<code>${esc(r.dir)}</code>`,
    ];
    return `<tr${r.diverged ? ' class="diverged"' : ''}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<h2>Runs</h2>
<table class="runs">
<thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** The fields of run.json that have columns of their own (or say nothing about a single run). */
const IN_COLUMNS = new Set([
  'format',
  'command',
  'problem',
  'optimizer',
  'options',
  'seed',
  'epochs',
  'batchSize',
  'metric',
  'target',
]);

/** The options, and any other field of run.json (`schedule`, `limit`, …). */
function settings(info: RunInfo): string {
  const rest = Object.entries(info).filter(([k]) => !IN_COLUMNS.has(k));
  return [
    JSON.stringify(info.options),
    ...rest.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`),
  ].join(' ');
}

/** How a run ended, as HTML. */
function status(r: RunRecord): string {
  const why = divergence(r);
  if (why !== null) return `<span class="diverged-mark">diverged</span>: ${esc(why)}`;
  if (r.end === null) return 'unfinished (no end line in its log)';
  if (r.end.stopped) return `stopped in epoch ${r.end.stopped.epoch} by ${esc(r.end.stopped.by)}`;
  return 'finished';
}

/** `2025-11-24T09:04:05.123Z` → `2025-11-24 09:04 UTC`; anything else as it is. */
function isoMinutes(time: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}).*Z$/.exec(time);
  return m ? `${m[1]} ${m[2]} UTC` : time;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}
