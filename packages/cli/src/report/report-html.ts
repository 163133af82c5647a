import { resolveOptions } from 'rmsprop/optim';
import { formatDuration, formatRate, formatValue } from 'rmsprop/train';
import type { RunInfo } from '../run-info.js';
import { divergence, type LrFindResult, type RunRecord } from './runs.js';
import { summaryTable, type OptimizerSummary } from './summary.js';
import type { TuningPoint } from './tuning.js';

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
  /** The learning-rate search runs of a compare, listed with the runs. */
  tuningRuns: RunRecord[];
  /** The search: each rate tried and its final metric, and its chart. */
  tuning: { points: TuningPoint[]; figure: Figure } | null;
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
  const sources = [
    ...(runs.length > 0 ? [plural(runs.length, 'run')] : []),
    ...(page.lrFind ? ['a learning-rate range test'] : []),
  ].join(' and ');
  // One run is reported as a run: no means, bands or sds over seeds.
  const single = page.runs.length === 1;
  const body = [
    `<h1>${esc(page.title)}</h1>`,
    `<p class="meta">Made by <code>rmsprop report</code> on ${esc(isoMinutes(page.made.toISOString()))} from ${sources}; problem ${problems.map((p) => `<code>${esc(p)}</code>`).join(', ')}.</p>`,
    problems.length > 1
      ? `<p class="warning">These results come from ${problems.length} different problems: their curves share axes and their figures are not comparable.</p>`
      : '',
    page.comparison.length === 0
      ? ''
      : single
        ? `<h2>Result</h2>\n${summaryHtml(page.comparison)}\n${RESULT_NOTE}`
        : `<h2>Comparison</h2>\n${summaryHtml(page.comparison)}\n${COMPARISON_NOTE}`,
    page.figures.length > 0 ? `<h2>Curves</h2>\n${page.figures.map(figureHtml).join('\n')}` : '',
    page.tuning ? tuningSection(page.tuning.points, page.tuning.figure, page.comparison) : '',
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

const COMPARISON_NOTE = `<p class="note">lr: the learning rate the runs were given (after tuning, when tuned);
seeds: runs, one per seed; final: the metric at each run's last epoch, mean ± sample sd over the runs that did not
diverge; best epoch of the mean: the best value of the curve averaged over seeds, and its epoch; epochs to target:
the mean over the runs that reached it of the first epoch that did (DeepOBS speed), with how many of the runs reached
it; time per run: wall time. Diverged runs, in red, are left out of these figures.</p>`;

const RESULT_NOTE = `<p class="note">final: the metric at the last epoch; best epoch: the best value of any epoch,
and which; time: wall time of the run.</p>`;

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
    [
      'options (resolved)',
      Object.entries(r.options)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(', ') || 'the defaults',
    ],
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
    'options (beside the defaults)',
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
  'kind',
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

/**
 * The options that differ from the defaults of the library's optimizer (all of them when run.json does
 * not say which it is), and any other field of run.json (`schedule`, `limit`, …), as `name=value`.
 */
function settings(info: RunInfo): string {
  const defaults = defaultsOf(info.kind);
  const options = Object.entries(info.options).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]));
  const rest = Object.entries(info).filter(([k]) => !IN_COLUMNS.has(k));
  const text = [...options, ...rest].map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return text.length > 0 ? text.join(', ') : 'the defaults';
}

/** The resolved defaults of one of the library's optimizers; none for an unknown name. */
function defaultsOf(kind: string | undefined): Record<string, unknown> {
  if (kind === undefined) return {};
  try {
    const { group, optimizer } = resolveOptions(kind, {});
    return { ...group, ...optimizer };
  } catch {
    return {}; // an optimizer without a default learning rate, or one this version does not know
  }
}

/** The learning-rate search: its chart, and each rate tried with its final metric and whether it diverged. */
function tuningSection(points: TuningPoint[], figure: Figure, comparison: OptimizerSummary[]): string {
  const metric = comparison[0]?.metric === 'testAccuracy' ? 'final test accuracy' : 'final test loss';
  const format = (v: number): string =>
    metric === 'final test accuracy' ? `${(100 * v).toFixed(2)}%` : formatValue(v);
  const rows = points.map((p) => {
    const cells = [
      esc(p.optimizer),
      formatRate(p.lr),
      p.final === null ? '—' : format(p.final),
      p.divergedAt === null ? '' : `<span class="diverged-mark">diverged at step ${p.divergedAt}</span>`,
      p.chosen ? 'chosen' : '',
    ];
    return `<tr${p.divergedAt === null ? '' : ' class="diverged"'}>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  return `<h2>Learning-rate search</h2>
<p class="note">Each optimizer trained once (on the first seed) at each learning rate of a log-spaced grid; the rate
with the best ${metric.replace('final ', '')} at the last epoch was chosen for the runs above (DeepOBS protocol).</p>
${figureHtml(figure)}
<table>
<thead><tr><th>optimizer</th><th>learning rate</th><th>${metric}</th><th>diverged</th><th></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
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
