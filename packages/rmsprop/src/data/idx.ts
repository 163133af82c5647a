import { DataFileError } from './data-file-error.js';

/** IDX element types by their code in the third byte of the magic number (LeCun's MNIST page). */
const TYPES = {
  0x08: 'uint8',
  0x09: 'int8',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
} as const;
export type IdxType = (typeof TYPES)[keyof typeof TYPES];
const BYTES: Record<IdxType, number> = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

export type IdxArray = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** The content of an IDX file: a row-major array of `shape`. */
export interface Idx {
  type: IdxType;
  shape: number[];
  data: IdxArray;
}

/** Whether `bytes` start like a gzip stream (RFC 1952). */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/**
 * Reads an IDX file already in memory (decompress a gzipped one first: `readIdx` in `data/node` does).
 * `file` and `hint` go into the error messages.
 */
export function decodeIdx(bytes: Uint8Array, file = 'IDX data', hint = ''): Idx {
  const fail = (problem: string): never => {
    throw new DataFileError(file, problem, hint);
  };
  if (isGzip(bytes)) fail('is gzip-compressed; decompress it before decodeIdx (readIdx does this in Node)');
  if (bytes.length < 4) fail(`is ${bytes.length} bytes long, too short for an IDX header (at least 4 bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const code = bytes[2]!;
  const type = TYPES[code as keyof typeof TYPES];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type) {
    fail(
      `is not an IDX file: expected a magic number 0x0000TTNN with type TT in 08, 09, 0B, 0C, 0D, 0E, ` +
        `got 0x${view.getUint32(0).toString(16).padStart(8, '0').toUpperCase()}`,
    );
  }
  const t = type!;
  const ndim = bytes[3]!;
  const header = 4 + 4 * ndim;
  if (bytes.length < header)
    fail(`is truncated: the header of ${ndim} dimensions needs ${header} bytes, got ${bytes.length}`);
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = header + count * BYTES[t];
  if (bytes.length !== expected) {
    fail(
      `is ${bytes.length < expected ? 'truncated' : 'longer than its header says'}: shape [${shape.join(', ')}] of ` +
        `${t} needs ${expected} bytes (${header} of header), got ${bytes.length}`,
    );
  }
  return { type: t, shape, data: decodeData(view, header, count, t) };
}

function decodeData(view: DataView, at: number, n: number, type: IdxType): IdxArray {
  const [buffer, offset] = [view.buffer, view.byteOffset + at];
  if (type === 'uint8') return new Uint8Array(buffer, offset, n);
  if (type === 'int8') return new Int8Array(buffer, offset, n);
  const out =
    type === 'int16'
      ? new Int16Array(n)
      : type === 'int32'
        ? new Int32Array(n)
        : type === 'float32'
          ? new Float32Array(n)
          : new Float64Array(n);
  const read = {
    int16: (i: number) => view.getInt16(at + 2 * i),
    int32: (i: number) => view.getInt32(at + 4 * i),
    float32: (i: number) => view.getFloat32(at + 4 * i),
    float64: (i: number) => view.getFloat64(at + 8 * i),
  }[type];
  for (let i = 0; i < n; i++) out[i] = read(i);
  return out;
}

/** The bytes of an IDX file holding `idx` (big-endian, as the format wants). */
export function encodeIdx(idx: Idx): Uint8Array {
  const { type, shape, data } = idx;
  const code = Number(Object.keys(TYPES).find((k) => TYPES[Number(k) as keyof typeof TYPES] === type));
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(code) || shape.length > 255 || data.length !== count) {
    throw new RangeError(
      `encodeIdx: need a type among ${Object.values(TYPES).join(', ')}, at most 255 dimensions and as many ` +
        `values as the shape holds; got ${type}, [${shape.join(', ')}] and ${data.length} values`,
    );
  }
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + count * BYTES[type]);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (code << 8) | shape.length);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const write = {
    uint8: (i: number, v: number) => view.setUint8(header + i, v),
    int8: (i: number, v: number) => view.setInt8(header + i, v),
    int16: (i: number, v: number) => view.setInt16(header + 2 * i, v),
    int32: (i: number, v: number) => view.setInt32(header + 4 * i, v),
    float32: (i: number, v: number) => view.setFloat32(header + 4 * i, v),
    float64: (i: number, v: number) => view.setFloat64(header + 8 * i, v),
  }[type];
  for (let i = 0; i < count; i++) write(i, data[i]!);
  return bytes;
}
