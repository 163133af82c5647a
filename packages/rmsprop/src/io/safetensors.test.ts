import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, type SafetensorsTensor } from './index.js';

const fixture = (name: string): Uint8Array =>
  readFileSync(new URL(`../../fixtures/io/${name}`, import.meta.url)) as Uint8Array;
/** Bit patterns, so NaN, −0 and subnormals compare exactly. */
const bits = (a: Float32Array | Int32Array): number[] => Array.from(new Uint32Array(a.slice().buffer));
const f32 = (shape: number[], ...v: number[]): SafetensorsTensor => ({
  dtype: 'F32',
  shape,
  data: Float32Array.from(v),
});
const i32 = (shape: number[], ...v: number[]): SafetensorsTensor => ({ dtype: 'I32', shape, data: Int32Array.from(v) });

function expectSame(got: Record<string, SafetensorsTensor>, want: Record<string, SafetensorsTensor>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [name, t] of Object.entries(want)) {
    const g = got[name]!;
    expect({ name, dtype: g.dtype, shape: g.shape }).toEqual({ name, dtype: t.dtype, shape: t.shape });
    expect(g.data).toBeInstanceOf(t.data.constructor);
    expect(bits(g.data)).toEqual(bits(t.data));
  }
}

describe('encodeSafetensors / decodeSafetensors', () => {
  it('round-trip float32 and int32 tensors, an empty tensor, scalars and metadata', () => {
    const tensors = {
      w: f32([2, 3], 1, -0, NaN, Infinity, -Infinity, 1.401298464324817e-45),
      labels: i32([4], 0, -1, 2147483647, -2147483648),
      empty: f32([0, 3]),
      emptyInts: i32([2, 0]),
      scalar: f32([], 7.25),
      intScalar: i32([], -7),
      'layer.0/weight ü': f32([1, 1, 1], 3),
      __proto__: f32([1], 4),
    };
    const metadata = { config: '{"lr":0.1}', note: 'ünïcode ✓', empty: '' };
    const bytes = encodeSafetensors(tensors, metadata);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const { tensors: back, metadata: meta } = decodeSafetensors(bytes);
    expectSame(back, tensors);
    expect(meta).toEqual(metadata);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('round-trip no tensors and no metadata', () => {
    const bytes = encodeSafetensors({});
    expect(bytes.length).toBe(16); // "{}" padded to 8
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} });
  });

  it('decode a view into a larger, unaligned buffer', () => {
    const bytes = encodeSafetensors({ a: f32([2], 1.5, 2.5), b: i32([1], 9) });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 1);
    expectSame(decodeSafetensors(big.subarray(1, 1 + bytes.length)).tensors, {
      a: f32([2], 1.5, 2.5),
      b: i32([1], 9),
    });
  });

  it('copy the data: decoded arrays do not alias the file', () => {
    const bytes = encodeSafetensors({ a: f32([1], 1) });
    const { tensors } = decodeSafetensors(bytes);
    bytes.fill(0, bytes.length - 4);
    expect(tensors['a']!.data[0]).toBe(1);
  });
});

describe('files written by Python safetensors (tools/golden/safetensors_fixture.py)', () => {
  it('decode exactly', () => {
    const { tensors, metadata } = decodeSafetensors(fixture('python.safetensors'));
    expectSame(tensors, {
      weight: f32([2, 3], 1.5, -0, Math.fround(0.1), 3.4028234663852886e38, 1.401298464324817e-45, -2.5),
      special: f32([3], Infinity, -Infinity, NaN),
      labels: i32([5], 0, -1, 2147483647, -2147483648, 42),
      scalar: f32([], 7.25),
      int_scalar: i32([], -7),
      empty: f32([0, 3]),
    });
    expect(metadata).toEqual({ producer: 'tools/golden/safetensors_fixture.py', note: 'ünïcode ✓' });
  });

  it('refuse an F16 tensor by name', () => {
    expect(() => decodeSafetensors(fixture('python-f16.safetensors'))).toThrow(
      "decodeSafetensors: tensor 'half': dtype F16 is not supported; this library reads F32 and I32",
    );
  });
});

/** A file with the given header text, `data` zero bytes, and optionally a false header length. */
function file(header: string, data = 0, length?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data);
  new DataView(out.buffer).setUint32(0, length ?? json.length, true);
  out.set(json, 8);
  return out;
}
const t = (dtype: string, shape: number[], begin: number, end: number): string =>
  JSON.stringify({ dtype, shape, data_offsets: [begin, end] });

describe('decodeSafetensors refuses', () => {
  const cases: [string, () => Uint8Array, string][] = [
    ['fewer than 8 bytes', () => new Uint8Array(5), 'the file has 5 bytes, too few for the 8-byte header length'],
    [
      'a header length beyond the file',
      () => file('{}', 0, 100),
      'the header length 100 goes beyond the file, which has 2 bytes after it (truncated or not safetensors?)',
    ],
    [
      'a header length above 2^32',
      () => {
        const f = file('{}');
        f[7] = 1;
        return f;
      },
      'the header length 72057594037927940 goes beyond the file',
    ],
    [
      'a header that is not UTF-8',
      () => {
        const f = file('{"a":1}');
        f[10] = 0xff;
        return f;
      },
      'the header is not valid UTF-8',
    ],
    ['a header that is not an object', () => file('[1, 2]  '), `the header must be a JSON object starting with '{'`],
    ['a header that is not JSON', () => file('{"a": '), 'the header is not valid JSON'],
    ['an unknown dtype', () => file(`{"x":${t('F33', [1], 0, 4)}}`, 4), `tensor 'x': unknown dtype "F33"`],
    ['an unsupported dtype', () => file(`{"x":${t('F64', [1], 0, 8)}}`, 8), `tensor 'x': dtype F64 is not supported`],
    [
      'a shape that does not match the byte length',
      () => file(`{"x":${t('F32', [2, 3], 0, 20)}}`, 20),
      `tensor 'x': shape [2, 3] of F32 needs 24 bytes, data_offsets [0, 20] hold 20`,
    ],
    [
      'a negative dimension',
      () => file(`{"x":${t('F32', [-1], 0, 0)}}`),
      `tensor 'x': shape must be a list of integers ≥ 0, got [-1]`,
    ],
    [
      'offsets past the data section',
      () => file(`{"x":${t('F32', [2], 0, 8)}}`, 4),
      `tensor 'x': data_offsets [0, 8] go past the end of the data section, which has 4 bytes (truncated?)`,
    ],
    [
      'offsets that go backwards',
      () => file(`{"x":${t('F32', [0], 4, 0)}}`, 4),
      `tensor 'x': data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got [4,0]`,
    ],
    [
      'overlapping tensors',
      () => file(`{"a":${t('F32', [2], 0, 8)},"b":${t('I32', [2], 4, 12)}}`, 12),
      `tensor 'b' at bytes [4, 12) overlaps tensor 'a' at [0, 8)`,
    ],
    [
      'a gap between tensors',
      () => file(`{"a":${t('F32', [1], 0, 4)},"b":${t('F32', [1], 8, 12)}}`, 12),
      'bytes [4, 8) of the data section belong to no tensor',
    ],
    [
      'data after the last tensor',
      () => file(`{"a":${t('F32', [1], 0, 4)}}`, 12),
      'the data section has 12 bytes but the tensors cover 4: bytes [4, 12) belong to no tensor',
    ],
    [
      'a duplicate tensor name',
      () => file(`{"a":${t('F32', [1], 0, 4)},"\\u0061":${t('F32', [1], 0, 4)}}`, 4),
      `tensor 'a' appears twice in the header`,
    ],
    [
      'a duplicate key in a tensor',
      () => file(`{"a":{"dtype":"F32","shape":[1],"shape":[1],"data_offsets":[0,4]}}`, 4),
      `tensor 'a': key 'shape' appears twice`,
    ],
    [
      'a metadata value that is not a string',
      () => file(`{"__metadata__":{"step":3}}`),
      `__metadata__ value of 'step' must be a string, got number 3`,
    ],
    [
      'an unexpected key in a tensor',
      () => file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"sha":"x"}}`, 4),
      `tensor 'a': unexpected key 'sha'`,
    ],
    [
      'a tensor that is not an object',
      () => file(`{"a":[1,2]}`),
      `tensor 'a': expected { dtype, shape, data_offsets }, got [1,2]`,
    ],
    [
      'a missing dtype',
      () => file(`{"a":{"shape":[1],"data_offsets":[0,4]}}`, 4),
      `tensor 'a': dtype must be a string, got undefined`,
    ],
  ];
  it.each(cases)('%s', (_, make, message) => {
    const bytes = make();
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(`decodeSafetensors: ${message}`);
  });
});

describe('encodeSafetensors refuses', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'data of the wrong type',
      () => encodeSafetensors({ w: { dtype: 'F32', shape: [1], data: Int32Array.of(1) } }),
      `tensor 'w': dtype F32 needs its data as a Float32Array, got Int32Array`,
    ],
    [
      'a shape that does not match the data',
      () => encodeSafetensors({ w: f32([2, 2], 1, 2, 3) }),
      `tensor 'w': shape [2, 2] holds 4 elements, the data has 3`,
    ],
    [
      'an unknown dtype',
      () => encodeSafetensors({ w: { dtype: 'F64' as 'F32', shape: [1], data: Float32Array.of(1) } }),
      `tensor 'w': dtype must be F32 or I32, got "F64"`,
    ],
    [
      'a bad shape',
      () => encodeSafetensors({ w: f32([1.5], 1) }),
      `tensor 'w': shape must be a list of integers ≥ 0, got [1.5]`,
    ],
    [
      'the reserved name',
      () => encodeSafetensors({ __metadata__: f32([1], 1) }),
      `tensor '__metadata__': this name is reserved for the metadata`,
    ],
    [
      'metadata that is not a string',
      () => encodeSafetensors({}, { step: 3 as unknown as string }),
      `__metadata__ value of 'step' must be a string, got number 3`,
    ],
  ];
  it.each(cases)('%s', (_, run, message) => {
    expect(run).toThrow(SafetensorsError);
    expect(run).toThrow(`encodeSafetensors: ${message}`);
  });
});
