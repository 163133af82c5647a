import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { EpochLog, StepLog, StopInfo } from 'rmsprop/train';
import { LOG_FILE, RUN_FILE, RUN_FORMAT, type RunInfo } from '../run-info.js';
import type { Point } from './aggregate.js';
import { JsonFields, parseJson, parseJsonFile } from './json-fields.js';
import { sum } from './stats.js';

export const LR_FIND_FORMAT = 'rmsprop-lr-find/1';

/** The `begin` line of a run log. */
export interface BeginLine {
  epochs: number;
  startEpoch: number;
  /** Steps taken before this session (a resumed run's checkpoint's step); absent in older logs. */
  startStep?: number;
  stepsPerEpoch?: number;
  seed?: number;
  optimizer: string;
  parameters: number;
  /** ISO 8601. */
  time: string;
}

/** A `step` line of a run log, without its `type`. */
export type StepLine = StepLog;
/** An `epoch` line of a run log, without its `type`. */
export type EpochLine = EpochLog;

/** The `end` line of a run log, without its `type`. */
export interface EndLine {
  epoch: number;
  step: number;
  stopped: StopInfo | null;
  /** The error the run failed with. */
  error?: string;
  seconds: number;
}

export interface RunRecord {
  dir: string;
  info: RunInfo;
  /** The first `begin` line (when the run started), null when the log has none yet. */
  begin: BeginLine | null;
  steps: StepLine[];
  epochs: EpochLine[];
  /** The last `end` line; null while the run is under way or when it was killed. */
  end: EndLine | null;
  /** Wall time over all the run's sessions (a resumed run has several). */
  seconds: number;
  diverged: boolean;
}

/** `lr-find.json`: a learning-rate range test, written by `rmsprop lr-find`. */
export interface LrFindResult {
  format: typeof LR_FIND_FORMAT;
  problem: string;
  optimizer: string;
  options: Record<string, unknown>;
  seed: number;
  minLr: number;
  maxLr: number;
  lrs: number[];
  losses: number[];
  smoothed: number[];
  suggestion: number;
  method: string;
}

const LR_FIND_FILE = 'lr-find.json';

/**
 * The runs under `paths`, each a run directory (holding run.json and log.jsonl) or a directory searched
 * for them at any depth, in path order (seed-2 before seed-10). Throws a one-line error naming the file
 * and the fault when a path or a file is missing or malformed, or when no run is found at all (a path
 * may hold none, such as an lr-find directory given beside the runs).
 */
export function readRuns(paths: string[]): RunRecord[] {
  const dirs = new Map<string, string>();
  for (const path of paths) for (const dir of runDirs(path)) if (!dirs.has(resolve(dir))) dirs.set(resolve(dir), dir);
  if (dirs.size === 0)
    throw new Error(`no run found in ${paths.join(', ')}: a run directory holds ${RUN_FILE} and ${LOG_FILE}`);
  return [...dirs.values()].map(readRun);
}

/**
 * The range test in `dir/lr-find.json` (or in `dir` when it names that file), or null when there is none;
 * throws when the file is malformed.
 */
export function readLrFind(dir: string): LrFindResult | null {
  const file = basename(dir) === LR_FIND_FILE ? dir : join(dir, LR_FIND_FILE);
  if (!existsSync(file)) return null;
  const at = new JsonFields(parseJsonFile(file), file);
  at.format(LR_FIND_FORMAT);
  const [lrs, losses, smoothed] = [at.numbers('lrs'), at.numbers('losses'), at.numbers('smoothed')];
  if (losses.length !== lrs.length || smoothed.length !== lrs.length)
    throw new Error(
      `${file}: "lrs", "losses" and "smoothed" must have the same length, got ${lrs.length}, ${losses.length} and ${smoothed.length}`,
    );
  return {
    format: LR_FIND_FORMAT,
    problem: at.string('problem'),
    optimizer: at.string('optimizer'),
    options: at.object('options'),
    seed: at.number('seed'),
    minLr: at.number('minLr'),
    maxLr: at.number('maxLr'),
    lrs,
    losses,
    smoothed,
    suggestion: at.number('suggestion'),
    method: at.string('method'),
  };
}

/** The runs by optimizer label, in the order the labels first appear. */
export function groupByOptimizer(runs: RunRecord[]): Map<string, RunRecord[]> {
  const groups = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const group = groups.get(run.info.optimizer);
    if (group) group.push(run);
    else groups.set(run.info.optimizer, [run]);
  }
  return groups;
}

/** A run's `key` at each epoch that has it. */
export function epochCurve(run: RunRecord, key: string): Point[] {
  return run.epochs.flatMap((e) => {
    const y = e[key];
    return y === undefined ? [] : [{ x: e.epoch, y }];
  });
}

/**
 * Why the run diverged, or null: stopped by `nanGuard`, failed with an error, or a non-finite training
 * or test loss in its log. The one definition: the report, the run's result in train, compare and the
 * tuning, their --json summaries and --fail-on-divergence all ask it (through `RunRecord.diverged`).
 */
export function divergence(run: Pick<RunRecord, 'steps' | 'epochs' | 'end'>): string | null {
  if (run.end?.stopped?.by === 'nanGuard') return run.end.stopped.message;
  if (run.end?.error !== undefined) return `failed: ${run.end.error}`;
  const step = run.steps.find((s) => !Number.isFinite(s.loss));
  if (step) return `the training loss is ${step.loss} at step ${step.step}`;
  const epoch = run.epochs.find(
    (e) => !Number.isFinite(e.loss) || (e.testLoss !== undefined && !Number.isFinite(e.testLoss)),
  );
  return epoch ? `a loss is not finite in epoch ${epoch.epoch}` : null;
}

/** The step at which a diverged run stopped: the nanGuard's, the first non-finite loss's, or the log's last. */
export function divergedAt(run: Pick<RunRecord, 'steps' | 'epochs' | 'end'>): number | null {
  if (divergence(run) === null) return null;
  if (run.end?.stopped) return run.end.stopped.step;
  const step = run.steps.find((s) => !Number.isFinite(s.loss));
  return step?.step ?? run.end?.step ?? run.epochs.at(-1)?.step ?? null;
}

function runDirs(path: string): string[] {
  if (!existsSync(path)) throw new Error(`${path}: no such file or directory`);
  // Naming the run.json itself is as good as naming its directory.
  if (!statSync(path).isDirectory()) {
    if (basename(path) === RUN_FILE) return [dirname(path)];
    throw new Error(`${path}: not a directory (give run directories or directories holding them)`);
  }
  const names = new Set(readdirSync(path));
  if (names.has(RUN_FILE)) return [path];
  if (names.has(LOG_FILE))
    throw new Error(`${join(path, RUN_FILE)}: missing (${path} has a ${LOG_FILE} but no ${RUN_FILE})`);
  return (
    [...names]
      // Hidden folders (.git, editors' caches) hold no runs.
      .filter((name) => !name.startsWith('.') && statSync(join(path, name)).isDirectory())
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .flatMap((name) => runDirs(join(path, name)))
  );
}

/** The run in `dir`, which holds run.json and log.jsonl; throws as `readRuns` does. */
export function readRun(dir: string): RunRecord {
  const info = readRunInfo(join(dir, RUN_FILE));
  const file = join(dir, LOG_FILE);
  if (!existsSync(file)) throw new Error(`${file}: missing (a run directory holds ${RUN_FILE} and ${LOG_FILE})`);
  let begin: BeginLine | null = null;
  let steps: StepLine[] = [];
  let epochs: EpochLine[] = [];
  const ends: EndLine[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return;
      const at = new JsonFields(parseJson(text, `${file}: line ${i + 1}`), `${file}: line ${i + 1}`);
      const type = at.string('type');
      if (type === 'begin') {
        const line = readBegin(at);
        begin ??= line;
        // A resumed run starts again after its checkpoint (mid-epoch when `startStep` says so): what
        // the log holds past that point came from the session that was cut short, and is replaced.
        const { startStep, startEpoch } = line;
        steps = steps.filter((s) => (startStep === undefined ? s.epoch < startEpoch : s.step <= startStep));
        epochs = epochs.filter((e) => e.epoch < startEpoch);
      } else if (type === 'step') steps.push(readValues<StepLine>(at));
      else if (type === 'epoch') epochs.push(readValues<EpochLine>(at));
      else if (type === 'end') ends.push(readEnd(at));
      // Other types are left to later versions of the log format.
    });
  const end = ends.at(-1) ?? null;
  // A run without an end line is under way or was killed: its finished epochs are what it has spent.
  const seconds = sum((ends.length > 0 ? ends : epochs).map((e) => e.seconds));
  return { dir, info, begin, steps, epochs, end, seconds, diverged: divergence({ steps, epochs, end }) !== null };
}

function readRunInfo(file: string): RunInfo {
  if (!existsSync(file)) throw new Error(`${file}: missing`);
  const at = new JsonFields(parseJsonFile(file), file);
  at.format(RUN_FORMAT);
  const command = at.string('command');
  if (command !== 'train' && command !== 'compare' && command !== 'tune')
    throw new Error(`${file}: "command" must be "train", "compare" or "tune", got ${JSON.stringify(command)}`);
  const metric = at.o.metric;
  if (metric !== null && typeof metric !== 'string')
    throw new Error(`${file}: "metric" must be a string or null, got ${JSON.stringify(metric)}`);
  const optional = <T>(key: string, read: (key: string) => T): Partial<Record<string, T>> =>
    at.o[key] === undefined ? {} : { [key]: read(key) };
  // Fields this version does not know are kept, for a report to list among the settings.
  return {
    ...at.o,
    format: RUN_FORMAT,
    command,
    problem: at.string('problem'),
    optimizer: at.string('optimizer'),
    options: at.object('options'),
    seed: at.number('seed'),
    epochs: at.number('epochs'),
    batchSize: at.number('batchSize'),
    metric,
    ...optional('target', (k) => at.number(k)),
    ...optional('schedule', (k) => at.string(k)),
    ...optional('limit', (k) => at.number(k)),
  };
}

function readBegin(at: JsonFields): BeginLine {
  // The log leaves out what the run did not know (the length of a stream, a seed not given).
  return {
    epochs: at.number('epochs'),
    startEpoch: at.number('startEpoch'),
    ...(at.o.startStep === undefined ? {} : { startStep: at.number('startStep') }),
    ...(at.o.stepsPerEpoch === undefined ? {} : { stepsPerEpoch: at.number('stepsPerEpoch') }),
    ...(at.o.seed === undefined ? {} : { seed: at.number('seed') }),
    optimizer: at.string('optimizer'),
    parameters: at.number('parameters'),
    time: at.string('time'),
  };
}

/** A step or epoch line: its numbers by name (the metrics vary with the problem), those of every line checked. */
function readValues<T extends StepLine | EpochLine>(at: JsonFields): T {
  const values: Record<string, number> = {};
  for (const k of ['epoch', 'step', 'lr', 'loss', 'seconds']) values[k] = at.number(k);
  for (const k of Object.keys(at.o)) if (at.isNumber(k)) values[k] = at.number(k);
  return values as T;
}

function readEnd(at: JsonFields): EndLine {
  let stop: StopInfo | null = null;
  if (at.o.stopped !== null && at.o.stopped !== undefined) {
    const s = new JsonFields(at.o.stopped, `${at.where}: "stopped"`);
    stop = { by: s.string('by'), message: s.string('message'), epoch: s.number('epoch'), step: s.number('step') };
  }
  return {
    epoch: at.number('epoch'),
    step: at.number('step'),
    stopped: stop,
    ...(at.o.error === undefined ? {} : { error: at.string('error') }),
    seconds: at.number('seconds'),
  };
}
