export {
  chain,
  elementwise,
  bufferNames,
  learningRateOf,
  scaled,
  type Slot,
  type Transform,
  type TransformState,
} from './transform.js';
export { scale, scaleByLearningRate, scaleBySchedule, addDecayedWeights, type LearningRateTransform } from './scale.js';
export { clipByValue, clipByNorm, clipByGlobalNorm } from './clip.js';
export { scaleByRms, scaleByStddev, rmsDefaults, type RmsOptions } from './scale-by-rms.js';
export { trace, type TraceOptions } from './trace.js';
export { scaleByAdam, adamCoefficients, adamMomentDefaults, type AdamMomentOptions } from './scale-by-adam.js';
export { scaleByRss, rssDefaults, type RssOptions } from './scale-by-rss.js';
export { scaleByAdadelta, adadeltaDefaults, type AdadeltaMomentOptions } from './scale-by-adadelta.js';
