// rmsprop/train/node: the parts of training that need Node's file system (everything else: rmsprop/train).
export { runLogFile } from './run-log-file.js';
