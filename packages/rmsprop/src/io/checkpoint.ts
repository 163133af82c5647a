// What a checkpoint holds and how it maps onto a safetensors file. Runs anywhere (bytes in, bytes out);
// checkpoint-file.ts writes and reads it on disk.
//
// Tensors: `model.<name>` for each model parameter, `optimizer.state.<param>.<buffer>` for each optimizer
// buffer. Metadata (strings): `format`, `step`, and as JSON `rng`, `config`, `optimizer` (its state dict
// with buffer names in place of buffers), and `checksum`, a CRC-32 of everything else in the file.
import { OPTIMIZER_FORMAT, type OptimizerStateDict } from '../optim/index.js';
import { fromArray, numbersFromJson, numbersToJson, Tensor } from '../tensor/index.js';
import { crc32 } from './crc32.js';
import {
  bytesOf,
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsError,
  type DecodedSafetensors,
  type SafetensorsTensor,
} from './safetensors.js';

export const CHECKPOINT_FORMAT = 'rmsprop-checkpoint/1';

export interface Checkpoint {
  /** Parameters by name; a Float32Array is stored with shape [length]. */
  model: Readonly<Record<string, Tensor | Float32Array>>;
  /** `optimizer.stateDict()`. */
  optimizer?: OptimizerStateDict;
  /** Steps taken so far. */
  step: number;
  /** `generator.getState()`. */
  rng?: readonly number[];
  /** Anything JSON can hold: the run's configuration. */
  config?: unknown;
}

/** A checkpoint as read back: parameters as tensors (new ones, in the kernels' memory), buffers as Float32Arrays. */
export interface LoadedCheckpoint {
  model: Record<string, Tensor>;
  optimizer?: OptimizerStateDict;
  step: number;
  rng?: number[];
  config?: unknown;
}

/** A checkpoint that cannot be written or read; `detail` is the message without its prefix. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  constructor(
    readonly detail: string,
    where: string,
    options?: { cause?: unknown },
  ) {
    super(`${where}: ${detail}`, options);
  }
}

const MODEL = 'model.';
const bufferTensor = (param: string, buffer: string): string => `optimizer.state.${param}.${buffer}`;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'null-prototype object'}`;
  return `${typeof v} ${String(v)}`;
}

/** Throws unless `value` survives JSON unchanged (undefined object properties aside, which JSON drops). */
function checkJson(value: unknown, path: string, fail: (what: string) => never, parents: object[] = []): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`${path} is ${value}, which JSON cannot hold`);
    return;
  }
  if (typeof value === 'object') {
    if (parents.includes(value)) fail(`${path} refers back to itself, which JSON cannot hold`);
    const inner = [...parents, value];
    if (Array.isArray(value)) {
      value.forEach((v, i) => checkJson(v, `${path}[${i}]`, fail, inner));
      return;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) checkJson(v, `${path}.${k}`, fail, inner);
      return;
    }
  }
  fail(`${path} is ${describe(value)}, which JSON cannot hold`);
}

/** The `checksum` entry: a CRC-32 of the metadata (but itself), the tensors' names, dtypes, shapes and data. */
export function checkpointChecksum(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata: Record<string, string>,
): string {
  const names = Object.keys(tensors).sort();
  const head = JSON.stringify({
    metadata: Object.keys(metadata)
      .filter((k) => k !== 'checksum')
      .sort()
      .map((k) => [k, metadata[k]]),
    tensors: names.map((n) => [n, tensors[n]!.dtype, tensors[n]!.shape]),
  });
  let c = crc32(new TextEncoder().encode(head));
  for (const n of names) c = crc32(bytesOf(tensors[n]!.data), c);
  return `crc32:${c.toString(16).padStart(8, '0')}`;
}

/** Serialises a checkpoint as safetensors. Throws a `CheckpointError` naming what cannot be stored. */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const fail = (what: string): never => {
    throw new CheckpointError(what, 'encodeCheckpoint');
  };
  if (checkpoint === null || typeof checkpoint !== 'object') fail(`expected a checkpoint, got ${describe(checkpoint)}`);
  const { model, optimizer, step, rng, config } = checkpoint;
  if (model === null || typeof model !== 'object') fail(`model must be parameters by name, got ${describe(model)}`);
  if (!Number.isSafeInteger(step) || step < 0) fail(`step must be an integer ≥ 0, got ${step}`);

  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, p] of Object.entries(model)) {
    if (p instanceof Float32Array) {
      tensors.set(MODEL + name, { dtype: 'F32', shape: [p.length], data: p });
    } else if (p instanceof Tensor) {
      if (p.disposed) fail(`model parameter '${name}' was disposed`);
      const data = p.dtype === 'float32' ? p.data : p.ints;
      tensors.set(MODEL + name, { dtype: p.dtype === 'float32' ? 'F32' : 'I32', shape: p.shape, data });
    } else {
      fail(`model parameter '${name}' must be a Tensor or a Float32Array, got ${describe(p)}`);
    }
  }

  const metadata: Record<string, string> = { format: CHECKPOINT_FORMAT, step: String(step) };
  if (optimizer !== undefined) {
    if (optimizer === null || typeof optimizer !== 'object' || optimizer.format !== OPTIMIZER_FORMAT) {
      fail(`optimizer must be an optimizer's stateDict() (format ${OPTIMIZER_FORMAT})`);
    }
    if (optimizer.state === null || typeof optimizer.state !== 'object') fail('optimizer.state must be an object');
    const state: Record<string, { step: number; buffers: string[] }> = {};
    for (const [param, st] of Object.entries(optimizer.state)) {
      if (st === null || typeof st !== 'object' || st.buffers === null || typeof st.buffers !== 'object')
        fail(`optimizer.state['${param}'] must be { step, buffers }`);
      for (const [buffer, values] of Object.entries(st.buffers)) {
        const name = bufferTensor(param, buffer);
        if (tensors.has(name)) fail(`optimizer buffer '${buffer}' of '${param}' would be stored as '${name}' twice`);
        if (!(values instanceof Float32Array) && !Array.isArray(values))
          fail(
            `optimizer buffer '${buffer}' of '${param}' must be a Float32Array or a number[], got ${describe(values)}`,
          );
        const data = values instanceof Float32Array ? values : Float32Array.from(values);
        tensors.set(name, { dtype: 'F32', shape: [data.length], data });
      }
      Object.defineProperty(state, param, {
        value: { step: st.step, buffers: Object.keys(st.buffers) },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    const rest = { ...optimizer, state };
    checkJson(rest, 'optimizer', fail);
    metadata['optimizer'] = JSON.stringify(rest);
  }
  if (rng !== undefined) {
    if (!Array.isArray(rng) || !rng.every((x) => typeof x === 'number'))
      fail(`rng must be a list of numbers (generator.getState()), got ${describe(rng)}`);
    metadata['rng'] = JSON.stringify(numbersToJson(rng));
  }
  if (config !== undefined) {
    checkJson(config, 'config', fail);
    metadata['config'] = JSON.stringify(config);
  }
  const record = Object.fromEntries(tensors);
  metadata['checksum'] = checkpointChecksum(record, metadata);
  try {
    return encodeSafetensors(record, metadata);
  } catch (e) {
    if (e instanceof SafetensorsError) fail(e.detail);
    throw e;
  }
}

function parseJson(text: string, key: string, fail: (what: string) => never): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail(`__metadata__ '${key}' is not valid JSON (${(e as Error).message})`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a checkpoint written by `encodeCheckpoint`. Refuses, with a `CheckpointError` (or a
 * `SafetensorsError` for a broken file) that says what is wrong: files that are not safetensors or not
 * checkpoints, a checksum that does not match (corruption), and missing or unexpected entries.
 */
export function decodeCheckpoint(bytes: Uint8Array): LoadedCheckpoint {
  const fail = (what: string): never => {
    throw new CheckpointError(what, 'decodeCheckpoint');
  };
  let decoded: DecodedSafetensors;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new SafetensorsError(e.detail, 'decodeCheckpoint');
    throw e;
  }
  const { tensors, metadata } = decoded;
  const format = metadata['format'];
  if (format === undefined)
    fail('no format in __metadata__: a safetensors file, but not a checkpoint (read it with decodeSafetensors)');
  if (format !== CHECKPOINT_FORMAT)
    fail(`format is ${JSON.stringify(format)}; this library reads ${CHECKPOINT_FORMAT}`);
  const stored = metadata['checksum'];
  if (stored === undefined) fail('no checksum in __metadata__');
  const computed = checkpointChecksum(tensors, metadata);
  if (stored !== computed)
    fail(`the checksum does not match (stored ${stored}, computed ${computed}): the file is corrupted`);

  const stepText = metadata['step'];
  if (stepText === undefined || !/^(0|[1-9][0-9]*)$/.test(stepText) || !Number.isSafeInteger(Number(stepText)))
    fail(`__metadata__ 'step' must be an integer ≥ 0, got ${JSON.stringify(stepText)}`);
  const out: LoadedCheckpoint = { model: {}, step: Number(stepText) };

  if (metadata['rng'] !== undefined) {
    const rng = numbersFromJson(parseJson(metadata['rng'], 'rng', fail));
    if (!rng) fail(`__metadata__ 'rng' must be a list of numbers, got ${metadata['rng']}`);
    out.rng = rng!;
  }
  if (metadata['config'] !== undefined) out.config = parseJson(metadata['config'], 'config', fail);

  const used = new Set<string>();
  const take = (name: string, what: string): Float32Array => {
    const t = tensors[name];
    if (!t || !Object.hasOwn(tensors, name)) return fail(`${what} is missing (no tensor '${name}')`);
    if (t.dtype !== 'F32') fail(`${what} (tensor '${name}') is ${t.dtype}, expected F32`);
    if (t.shape.length !== 1)
      fail(`${what} (tensor '${name}') has shape [${t.shape.join(', ')}], expected one dimension`);
    used.add(name);
    return t.data as Float32Array;
  };
  if (metadata['optimizer'] !== undefined) {
    const sd = parseJson(metadata['optimizer'], 'optimizer', fail);
    if (!isObject(sd) || sd['format'] !== OPTIMIZER_FORMAT || !isObject(sd['state']))
      fail(`__metadata__ 'optimizer' is not an optimizer state dict (format ${OPTIMIZER_FORMAT})`);
    const { state, ...rest } = sd as Record<string, unknown> & { state: Record<string, unknown> };
    const entries = Object.entries(state).map(([param, st]) => {
      if (!isObject(st) || !Array.isArray(st['buffers']) || !st['buffers'].every((b) => typeof b === 'string'))
        fail(`__metadata__ 'optimizer': the state of '${param}' must be { step, buffers: [names] }`);
      const { step, buffers: names } = st as { step: unknown; buffers: string[] };
      const buffers = Object.fromEntries(
        names.map((b) => [b, take(bufferTensor(param, b), `optimizer buffer '${b}' of '${param}'`)]),
      );
      return [param, { step, buffers }] as const;
    });
    out.optimizer = { ...rest, state: Object.fromEntries(entries) } as unknown as OptimizerStateDict;
  }

  const params: [string, SafetensorsTensor][] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (used.has(name)) continue;
    if (!name.startsWith(MODEL))
      fail(`unexpected tensor '${name}': a checkpoint holds model.<name> and the optimizer's listed buffers`);
    params.push([name.slice(MODEL.length), t]);
  }
  // Everything is checked: only now take memory for the tensors.
  out.model = Object.fromEntries(
    params.map(([name, t]) => [name, fromArray(t.data, t.shape, { dtype: t.dtype === 'F32' ? 'float32' : 'int32' })]),
  );
  return out;
}
