import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lrFindSpec } from './lr-find-spec.js';
import { renderSvg } from './render-svg.js';
import { reportHtml, type Figure } from './report-html.js';
import { runCharts, type Chart } from './run-charts.js';
import type { LrFindResult, RunRecord } from './runs.js';
import { summarize, words } from './summary.js';
import { tuningPoints, tuningSpec, type TuningPoint } from './tuning.js';
import type { TopLevelSpec } from 'vega-lite';
import { comparedMetric } from './compared-metric.js';
import { formatRate } from 'rmsprop/train';
import { writeFileAtomic } from '../write-file-atomic.js';

export interface ReportInput {
  /** Runs read by `readRuns`; the tuning runs of a compare (`info.command` `tune`) are reported apart. */
  runs?: RunRecord[];
  lrFind?: LrFindResult;
  title?: string;
}

/**
 * Removes a report from `outDir` (`report.html` and its SVG charts): a fresh run in a reused folder does
 * so before it starts, so that a report of another run never outlives it there.
 */
export function removeReport(outDir: string): void {
  if (!existsSync(outDir)) return;
  // Only the names a report writes: the folder may hold the user's own files (`--out .`).
  const ours = (f: string): boolean =>
    ['report.html', 'loss.svg', 'lr.svg', 'lr-find.svg', 'tuning.svg'].includes(f) || /^test-[a-z]+\.svg$/i.test(f);
  for (const f of readdirSync(outDir)) if (ours(f)) rmSync(join(outDir, f), { force: true });
}

/**
 * Writes `outDir/report.html` and each of its charts as `outDir/<chart>.svg` (`loss.svg`,
 * `test-loss.svg`, `test-accuracy.svg`, `lr.svg`, `lr-find.svg`), each file atomically, and returns
 * their paths.
 */
export async function writeReport(outDir: string, o: ReportInput): Promise<{ html: string; svgs: string[] }> {
  const all = o.runs ?? [];
  if (all.length === 0 && !o.lrFind) throw new Error('writeReport: no runs and no learning-rate range test to report');
  const tuningRuns = all.filter((r) => r.info.command === 'tune');
  const seedRuns = all.filter((r) => r.info.command !== 'tune');
  // Given only the tuning runs, the report compares them: each learning rate is an optimizer label of its
  // own, as the console named them.
  const runs = seedRuns.length > 0 ? seedRuns : tuningRuns.map(perRate);
  const tuning = seedRuns.length > 0 ? tuningRuns : [];
  await mkdir(outDir, { recursive: true });
  const draw = async (chart: Chart): Promise<Figure> => {
    const svg = await renderSvg(chart.spec);
    await writeFileAtomic(join(outDir, chart.file), svg);
    return { file: chart.file, title: chart.title, svg };
  };
  const figures: Figure[] = [];
  // One after the other: the machine may be busy training.
  for (const chart of runs.length > 0 ? runCharts(runs) : []) figures.push(await draw(chart));
  const comparison = summarize(runs);
  const tuningRows = tuningPoints(tuning, new Map(comparison.map((c) => [c.optimizer, c.lr])));
  const tuningFigure =
    tuningRows.length === 0
      ? null
      : await draw({
          file: 'tuning.svg',
          title: 'Learning-rate search',
          spec: tuningSpecOf(
            tuning,
            tuningRows,
            comparison.map((c) => c.optimizer),
          ),
        });
  const lrFind = o.lrFind && {
    result: o.lrFind,
    figure: await draw({ file: 'lr-find.svg', title: 'Learning-rate range test', spec: lrFindSpec(o.lrFind) }),
  };
  const title =
    o.title ??
    (runs.length > 0
      ? `rmsprop report: ${[...new Set(runs.map((r) => r.info.problem))].join(', ')}`
      : `rmsprop learning-rate range test: ${o.lrFind!.problem}`);
  const html = join(outDir, 'report.html');
  await writeFileAtomic(
    html,
    reportHtml({
      title,
      made: new Date(),
      runs,
      comparison,
      tuningRuns: tuning,
      tuning: tuningFigure ? { points: tuningRows, figure: tuningFigure } : null,
      figures,
      ...(lrFind ? { lrFind } : {}),
    }),
  );
  const drawn = [...figures, ...(tuningFigure ? [tuningFigure] : []), ...(lrFind ? [lrFind.figure] : [])];
  return { html, svgs: drawn.map((f) => join(outDir, f.file)) };
}

/** A search run labelled with its rate: `rmsprop lr 0.1`. */
function perRate(r: RunRecord): RunRecord {
  const lr = r.info.options.lr;
  return typeof lr === 'number'
    ? { ...r, info: { ...r.info, optimizer: `${r.info.optimizer} lr ${formatRate(lr)}` } }
    : r;
}

/** The search chart, in the comparison's colours (the same optimizer, the same colour). */
function tuningSpecOf(runs: RunRecord[], points: TuningPoint[], optimizers: string[]): TopLevelSpec {
  const { key, higherIsBetter } = comparedMetric(runs[0]!.info.metric);
  const accuracy = key === 'testAccuracy';
  return tuningSpec(points, {
    metricTitle: words(key),
    higherIsBetter,
    ...(accuracy ? { yFormat: '.2~%' } : {}),
    optimizers,
  });
}
