export {
  encodeSafetensors,
  decodeSafetensors,
  SafetensorsError,
  MAX_HEADER_BYTES,
  type SafetensorsDType,
  type SafetensorsTensor,
  type DecodedSafetensors,
} from './safetensors.js';
export {
  encodeCheckpoint,
  decodeCheckpoint,
  CheckpointError,
  CHECKPOINT_FORMAT,
  type Checkpoint,
  type LoadedCheckpoint,
} from './checkpoint.js';
export {
  saveCheckpoint,
  loadCheckpoint,
  type CheckpointFileSystem,
  type CheckpointFileHandle,
  type CheckpointFileOptions,
} from './checkpoint-file.js';
export { crc32 } from './crc32.js';
