// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian header
// length N, N bytes of JSON (padded with spaces; we pad so the data starts at a multiple of 8), then the
// raw little-endian data. Runs anywhere: it reads and writes Uint8Arrays, never files.

/** The element types this library reads and writes, by their safetensors names. */
export type SafetensorsDType = 'F32' | 'I32';

export interface SafetensorsTensor {
  dtype: SafetensorsDType;
  shape: readonly number[];
  /** Row-major elements: a Float32Array for F32, an Int32Array for I32. */
  data: Float32Array | Int32Array;
}

export interface DecodedSafetensors {
  tensors: Record<string, SafetensorsTensor & { shape: number[] }>;
  /** The `__metadata__` map (empty when the file has none). */
  metadata: Record<string, string>;
}

/** A file or a set of tensors that is not valid safetensors; `detail` is the message without its prefix. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
  constructor(
    readonly detail: string,
    where: string,
  ) {
    super(`${where}: ${detail}`);
  }
}

const ARRAYS = { F32: Float32Array, I32: Int32Array } as const;
/** Types of the format we do not read, to tell "unsupported" from "not a dtype at all". */
const OTHER_DTYPES = new Set(['BOOL', 'U8', 'I8', 'U16', 'I16', 'F16', 'BF16', 'U32', 'U64', 'I64', 'F64']);
const OTHER_DTYPES_PREFIX = 'F8_';
/** The reference implementation's limit; a larger header is taken as corruption. */
export const MAX_HEADER_BYTES = 100_000_000;
const TENSOR_KEYS = new Set(['dtype', 'shape', 'data_offsets']);
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

const show = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** The little-endian bytes of 4-byte elements: a view on little-endian hosts, a swapped copy otherwise. */
export function bytesOf(data: Float32Array | Int32Array): Uint8Array {
  const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN) return view;
  const out = new Uint8Array(view.length);
  for (let i = 0; i < out.length; i += 4) {
    out[i] = view[i + 3]!;
    out[i + 1] = view[i + 2]!;
    out[i + 2] = view[i + 1]!;
    out[i + 3] = view[i]!;
  }
  return out;
}

/** A fresh, aligned array of the elements stored little-endian in `bytes`. */
function elementsOf(dtype: SafetensorsDType, bytes: Uint8Array): Float32Array | Int32Array {
  const copy = new Uint8Array(bytes.length); // not bytes.slice(): a Node Buffer's slice is a view
  copy.set(bytes);
  if (!LITTLE_ENDIAN) copy.set(bytesOf(new ARRAYS[dtype](copy.buffer)));
  return new ARRAYS[dtype](copy.buffer);
}

function checkShape(shape: unknown, fail: (what: string) => never): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    fail(`shape must be a list of integers ≥ 0, got ${JSON.stringify(shape)}`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(size * 4)) fail(`shape ${show(shape as number[])} is too large`);
  return size;
}

function checkMetadata(metadata: unknown, fail: (what: string) => never): Record<string, string> {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))
    fail(`__metadata__ must be a map of strings to strings, got ${JSON.stringify(metadata)}`);
  for (const [k, v] of Object.entries(metadata as object)) {
    if (typeof v !== 'string')
      fail(`__metadata__ value of '${k}' must be a string, got ${typeof v} ${JSON.stringify(v)}`);
  }
  return metadata as Record<string, string>;
}

/**
 * Serialises tensors (in the order given) and optional string metadata. Throws a `SafetensorsError` naming
 * the tensor for a bad dtype, shape, or data that does not match them.
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensor>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const where = 'encodeSafetensors';
  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    header['__metadata__'] = { ...checkMetadata(metadata, (what) => fail(what)) };
  }
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const bad = (what: string): never => fail(`tensor '${name}': ${what}`);
    if (name === '__metadata__') bad('this name is reserved for the metadata');
    if (t === null || typeof t !== 'object') bad(`expected { dtype, shape, data }, got ${String(t)}`);
    if (!Object.hasOwn(ARRAYS, t.dtype)) bad(`dtype must be F32 or I32, got ${JSON.stringify(t.dtype)}`);
    const size = checkShape(t.shape, bad);
    const Want = ARRAYS[t.dtype];
    if (!(t.data instanceof Want)) {
      bad(`dtype ${t.dtype} needs its data as a ${Want.name}, got ${t.data?.constructor?.name ?? typeof t.data}`);
    }
    if (t.data.length !== size) {
      bad(`shape ${show(t.shape)} holds ${size} elements, the data has ${t.data.length}`);
    }
    const bytes = bytesOf(t.data);
    // Object.defineProperty: a tensor may be called `__proto__`.
    Object.defineProperty(header, name, {
      value: { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    parts.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;

  function fail(what: string): never {
    throw new SafetensorsError(what, where);
  }
}

/** Throws on the first key that appears twice in one object of `json` (which JSON.parse has accepted). */
function checkDuplicateKeys(json: string, fail: (what: string) => never): void {
  const stack: { keys: Set<string> | null; expectKey: boolean }[] = [];
  let tensor: string | null = null;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (c === '[') stack.push({ keys: null, expectKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack.at(-1)!;
      if (top.keys) top.expectKey = true;
    } else if (c === '"') {
      const start = i;
      for (i++; json[i] !== '"'; i++) if (json[i] === '\\') i++;
      const top = stack.at(-1)!;
      if (!top.keys || !top.expectKey) continue;
      top.expectKey = false;
      const key = JSON.parse(json.slice(start, i + 1)) as string;
      if (top.keys.has(key)) {
        if (stack.length === 1) fail(`tensor '${key}' appears twice in the header`);
        fail(`${tensor === '__metadata__' ? '__metadata__' : `tensor '${tensor}'`}: key '${key}' appears twice`);
      }
      top.keys.add(key);
      if (stack.length === 1) tensor = key;
    }
  }
}

/**
 * Reads a safetensors file. Everything is checked: the header length against the file, the JSON, each
 * tensor's dtype, shape and byte length, and that the tensors' byte ranges tile the data section exactly
 * (no overlap, no gap, nothing past its end). Errors are `SafetensorsError`s naming the tensor.
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const where = 'decodeSafetensors';
  const fail = (what: string): never => {
    throw new SafetensorsError(what, where);
  };
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < 8) fail(`the file has ${bytes.length} bytes, too few for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (headerLength > bytes.length - 8) {
    fail(
      `the header length ${headerLength} goes beyond the file, which has ${bytes.length - 8} bytes after it (truncated or not safetensors?)`,
    );
  }
  if (headerLength > MAX_HEADER_BYTES) fail(`the header length ${headerLength} is above ${MAX_HEADER_BYTES}`);
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  if (!json.startsWith('{'))
    fail(`the header must be a JSON object starting with '{', got ${JSON.stringify(json.slice(0, 20))}`);
  let header: unknown;
  try {
    header = JSON.parse(json);
  } catch (e) {
    return fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('the header must be a JSON object');
  checkDuplicateKeys(json, fail);

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const ranges: { name: string; begin: number; end: number }[] = [];
  const infos: [string, SafetensorsDType, number[]][] = [];
  for (const [name, info] of Object.entries(header as object)) {
    if (name === '__metadata__') {
      metadata = { ...checkMetadata(info, fail) };
      continue;
    }
    const bad = (what: string): never => fail(`tensor '${name}': ${what}`);
    if (info === null || typeof info !== 'object' || Array.isArray(info))
      bad(`expected { dtype, shape, data_offsets }, got ${JSON.stringify(info)}`);
    const extra = Object.keys(info).filter((k) => !TENSOR_KEYS.has(k));
    if (extra.length > 0) bad(`unexpected key '${extra[0]}' (a tensor has dtype, shape and data_offsets)`);
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof dtype !== 'string') bad(`dtype must be a string, got ${JSON.stringify(dtype)}`);
    if (!Object.hasOwn(ARRAYS, dtype as string)) {
      if (OTHER_DTYPES.has(dtype as string) || (dtype as string).startsWith(OTHER_DTYPES_PREFIX))
        bad(`dtype ${dtype} is not supported; this library reads F32 and I32`);
      bad(`unknown dtype ${JSON.stringify(dtype)}`);
    }
    const size = checkShape(shape, bad);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      bad(`data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end - begin !== size * 4) {
      bad(
        `shape ${show(shape as number[])} of ${dtype} needs ${size * 4} bytes, data_offsets [${begin}, ${end}] hold ${end - begin}`,
      );
    }
    if (end > dataLength) {
      bad(
        `data_offsets [${begin}, ${end}] go past the end of the data section, which has ${dataLength} bytes (truncated?)`,
      );
    }
    ranges.push({ name, begin, end });
    infos.push([name, dtype as SafetensorsDType, shape as number[]]);
  }

  // The ranges must tile [0, dataLength): sorted, each starts where the previous one ended.
  ranges.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let last: (typeof ranges)[number] | null = null;
  for (const r of ranges) {
    if (r.begin < covered) {
      fail(
        `tensor '${r.name}' at bytes [${r.begin}, ${r.end}) overlaps tensor '${last!.name}' at [${last!.begin}, ${last!.end})`,
      );
    }
    if (r.begin > covered) fail(`bytes [${covered}, ${r.begin}) of the data section belong to no tensor`);
    covered = r.end;
    last = r;
  }
  if (covered !== dataLength) {
    fail(
      `the data section has ${dataLength} bytes but the tensors cover ${covered}: bytes [${covered}, ${dataLength}) belong to no tensor`,
    );
  }

  const byName = new Map(ranges.map((r) => [r.name, r]));
  const tensors = Object.fromEntries(
    infos.map(([name, dtype, shape]) => {
      const { begin, end } = byName.get(name)!;
      const data = elementsOf(dtype, bytes.subarray(dataStart + begin, dataStart + end));
      return [name, { dtype, shape: [...shape], data }];
    }),
  );
  return { tensors, metadata };
}
