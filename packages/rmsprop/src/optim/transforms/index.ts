export { chain, elementwise, type Slot, type Transform } from './transform.js';
export { scale, scaleByLearningRate, scaleBySchedule, addDecayedWeights } from './scale.js';
export { clipByValue, clipByNorm, clipByGlobalNorm } from './clip.js';
export { scaleByRms, scaleByStddev, type RmsOptions } from './scale-by-rms.js';
export { trace, type TraceOptions } from './trace.js';
export { scaleByAdam, adamCoefficients, type AdamMomentOptions } from './scale-by-adam.js';
export { scaleByRss, type RssOptions } from './scale-by-rss.js';
export { scaleByAdadelta } from './scale-by-adadelta.js';
