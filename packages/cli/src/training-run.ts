import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, loadCheckpoint, saveCheckpoint } from 'rmsprop/io';
import { NonFiniteGradientError } from 'rmsprop/optim';
import {
  checkpoint,
  fit,
  learningRateSchedule,
  nanGuard,
  parametersOf,
  progress,
  trainingCheckpoint,
  type Callback,
  type EpochLog,
  type FitContext,
  type History,
  type Problem,
  type StopInfo,
  type TextStream,
  type TrainingCheckpoint,
} from 'rmsprop/train';
import { runLogFile } from 'rmsprop/train/node';
import { UsageError } from './cli-error.js';
import { parameterDigest } from './digest.js';
import { Interrupt, stopOnInterrupt, uninterrupted } from './interrupt.js';
import { removeReport } from './report/report.js';
import type { OptimizerChoice } from './optimizer-spec.js';
import { setup } from './problem-setup.js';
import { readRun, type RunRecord } from './report/runs.js';
import { differences, LOG_FILE, RUN_FORMAT, writeRunInfo, type RunInfo } from './run-info.js';
import type { ScheduleChoice } from './schedule-spec.js';
import type { TimeEstimate } from './time-estimate.js';

/** One training run as the commands describe it. */
export interface RunPlan {
  command: RunInfo['command'];
  problem: Problem;
  optimizer: OptimizerChoice;
  /** Replaces the optimizer's learning rate (a point of a tuning grid). */
  lr?: number;
  schedule?: ScheduleChoice;
  seed: number;
  epochs: number;
  batchSize: number;
  limit?: number;
  /** Where Fashion-MNIST is. */
  data?: string;
  target?: number;
  /** The run directory: run.json, log.jsonl, and the checkpoint unless `checkpoints` says elsewhere. */
  dir: string;
  /** `--checkpoint`: the folder of the checkpoint, then written at the end of every epoch too. */
  checkpoints?: string;
  /** Continue from the checkpoint (`--resume`). */
  resume?: boolean;
  /** Prefix of the terminal lines, whether to draw the live bar, and where both go (stdout). */
  label?: string;
  bar: boolean;
  stream: TextStream;
  /** The command's time estimate, and how many runs of its job come after this one. */
  estimate: TimeEstimate;
  runsAfter: number;
  interrupt: Interrupt;
}

export interface RunOutcome {
  dir: string;
  info: RunInfo;
  history: History;
  /** The last completed epoch. */
  last: EpochLog | null;
  /** The run as its log tells it, over all its sessions; `diverged` there is the report's (see divergence). */
  record: RunRecord;
  stopped: StopInfo | null;
  interrupted: boolean;
  /** The checkpoint file, when one was written. */
  checkpoint: string | null;
  /** SHA-256 of the final parameters (see parameterDigest). */
  parameters: string;
  seconds: number;
}

export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/**
 * The settings a checkpoint must share with the run that resumes it: all but the number of epochs, and
 * that too with a schedule, which spans the run's steps (a cosine's period, a one-cycle's total).
 */
const SAME = ['problem', 'optimizer', 'options', 'seed', 'batchSize', 'schedule', 'limit'] as const;
const SAME_WITH_SCHEDULE = [...SAME, 'epochs'] as const;

async function resumeFrom(path: string, info: RunInfo): Promise<TrainingCheckpoint> {
  if (!existsSync(path))
    throw new UsageError(
      `--resume: no checkpoint at ${path}; a run writes one on Ctrl-C, or every epoch with --checkpoint`,
    );
  let saved: TrainingCheckpoint;
  try {
    saved = await loadCheckpoint(path);
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(`--resume: ${e.message}`, { cause: e });
    throw e;
  }
  const theirs = ((saved.config ?? {}) as { run?: Partial<RunInfo> }).run ?? {};
  const scheduled = info.schedule !== undefined;
  const differ = differences(theirs, info, scheduled ? SAME_WITH_SCHEDULE : SAME);
  if (differ.length > 0)
    throw new UsageError(
      `--resume: the checkpoint at ${path} is of another run: ${differ.join(', ')}; ` +
        `resume with the flags of that run (${scheduled ? "all of them: --schedule spans the run's epochs" : 'only --epochs may change'})`,
    );
  return saved;
}

/** What run.json says of the run `plan` describes. */
export function runInfoOf(plan: RunPlan): RunInfo {
  const { problem, optimizer } = plan;
  return {
    format: RUN_FORMAT,
    command: plan.command,
    problem: problem.name,
    optimizer: optimizer.label,
    options: { ...optimizer.options, ...(plan.lr === undefined ? {} : { lr: plan.lr }) },
    kind: optimizer.kind,
    seed: plan.seed,
    epochs: plan.epochs,
    batchSize: plan.batchSize,
    metric: problem.metric?.name ?? null,
    ...(plan.target === undefined ? {} : { target: plan.target }),
    ...(plan.schedule ? { schedule: plan.schedule.label } : {}),
    ...(plan.limit === undefined ? {} : { limit: plan.limit }),
  };
}

/** The run's checkpoint file: in `--checkpoint DIR`, else in the run directory. */
export const checkpointPath = (plan: Pick<RunPlan, 'dir' | 'checkpoints'>): string =>
  join(plan.checkpoints ?? plan.dir, CHECKPOINT_FILE);

/**
 * Trains once: writes run.json, the run log and checkpoints in the run directory, shows progress, and
 * stops cleanly on a divergence (NaN guard) or Ctrl-C (after writing a checkpoint).
 */
export async function trainRun(plan: RunPlan): Promise<RunOutcome> {
  const { problem, optimizer } = plan;
  const info = runInfoOf(plan);
  const checkpointFile = checkpointPath(plan);
  const resume = plan.resume ? await resumeFrom(checkpointFile, info) : undefined;
  const run = await setup(problem, plan);
  mkdirSync(plan.dir, { recursive: true });
  if (plan.checkpoints) mkdirSync(plan.checkpoints, { recursive: true });
  await writeRunInfo(plan.dir, info);
  // A fresh run replaces its folder's last checkpoint, as it replaces the run log: else a later --resume
  // would continue the old run. Keras's ModelCheckpoint and Lightning's Trainer.fit without ckpt_path
  // start over the same way, without asking; refusing would break re-running a command. Only now, once
  // the data has loaded and run.json is written: a command that fails before keeps the old checkpoint.
  if (!resume) {
    rmSync(checkpointFile, { force: true });
    removeReport(plan.dir);
  }

  const opt = optimizer.create(parametersOf(run.model));
  if (plan.lr !== undefined) opt.lr = plan.lr;
  // The checkpoint carries the run's settings, so a resume with other flags is refused.
  // A second Ctrl-C waits for the checkpoint being written, so it never leaves a half-written one.
  const save = async (path: string, c: TrainingCheckpoint): Promise<void> =>
    uninterrupted(() => saveCheckpoint(path, { ...c, config: { ...(c.config as object), run: info } }));
  let written: string | null = null;
  let context: FitContext | null = null;
  // The library's progress, its ETA of the whole run counting the job's later runs at this one's pace.
  const shown = progress({
    to: plan.stream,
    live: plan.bar,
    label: plan.label,
    metric: info.metric,
    stepsAfter: plan.runsAfter * plan.epochs * run.train.length,
  });
  const callbacks: Callback[] = [
    { name: 'context', onTrainBegin: (ctx) => void (context = ctx) },
    ...(plan.schedule ? [learningRateSchedule(plan.schedule.create(opt.lr, plan.epochs * run.train.length))] : []),
    nanGuard(),
    runLogFile(join(plan.dir, LOG_FILE)),
    shown,
    plan.estimate.callback(plan.runsAfter, shown.print),
    ...(plan.checkpoints
      ? [checkpoint({ path: checkpointFile, save: async (p, c) => save(p, c).then(() => void (written = p)) })]
      : []),
    stopOnInterrupt(plan.interrupt, async (ctx) => {
      await save(checkpointFile, trainingCheckpoint(ctx));
      written = checkpointFile;
      return checkpointFile;
    }),
  ];
  const began = performance.now();
  let history: History;
  try {
    history = await fit(run.model, opt, {
      ...run,
      epochs: plan.epochs,
      seed: plan.seed,
      callbacks,
      verbose: 0,
      ...(resume ? { resume } : {}),
    });
  } catch (e) {
    // A gradient that overflowed before the loss did: a divergence too, in the run log's end line.
    if (!(e instanceof NonFiniteGradientError) || !context) throw e;
    const { epoch, step, history: seen } = context as FitContext;
    history = { ...seen, stopped: { by: 'optimizer', message: e.message, epoch, step } };
  }
  return {
    dir: plan.dir,
    info,
    history,
    last: history.epochs.at(-1) ?? null,
    // Read back as the report reads it: whether the run diverged is decided once, for the run's result,
    // its --json summary, --fail-on-divergence and its report alike.
    record: readRun(plan.dir),
    stopped: history.stopped,
    interrupted: history.stopped?.by === 'interrupt',
    checkpoint: written,
    parameters: parameterDigest(run.model),
    seconds: (performance.now() - began) / 1000,
  };
}
