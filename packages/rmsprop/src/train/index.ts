// rmsprop/train: the fit loop, its callbacks and metrics, and the reference problems. Node-only parts
// (the run log written to a file): rmsprop/train/node.
export { parametersOf } from './parameters.js';
export { fit, type FitOptions, type TrainData, type Verbosity } from './fit.js';
export { progress, type ProgressCallback, type ProgressOptions, type TextStream } from './progress.js';
export { formatDuration, formatRate, formatValue, numberFormat, type NumberFormat } from './number-format.js';
export { FIT_FORMAT, type FitCheckpointConfig, type TrainingCheckpoint } from './resume.js';
export { evaluate, type Evaluation, type EvaluateOptions, type LossFn, type ForwardFn } from './evaluate.js';
export { testKey } from './callback.js';
export type { Callback, FitContext, History, StepLog, EpochLog, EpochProgress, StopInfo } from './callback.js';
export { accuracy, type Metric } from './metric.js';
export { earlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { learningRateSchedule, reduceLROnPlateau, type ReduceLROnPlateauOptions } from './learning-rate.js';
export { nanGuard, NonFiniteLossError } from './nan-guard.js';
export { runLog, logLine, type RunLogOptions } from './run-log.js';
export { checkpoint, trainingCheckpoint, type CheckpointOptions } from './checkpoint.js';
export * from './problems/index.js';
