import { wasmBase64 } from './wasm-binary.js';

/** The exports of `assembly/index.ts`; pointers are byte offsets, flags are 0/1. */
export interface WasmKernels {
  readonly memory: WebAssembly.Memory;
  readonly heapBase: WebAssembly.Global;
  rmsprop(
    p: number,
    g: number,
    v: number,
    mg: number,
    buf: number,
    n: number,
    centered: number,
    useMomentum: number,
    gScale: number,
    clip: number,
    l2: number,
    pDecay: number,
    decay: number,
    oneMinusDecay: number,
    vScale: number,
    epsIn: number,
    epsOut: number,
    momentum: number,
    sIn: number,
    k1: number,
    k2: number,
    pOut: number,
  ): void;
  adam(
    p: number,
    g: number,
    m: number,
    v: number,
    vmax: number,
    n: number,
    amsgrad: number,
    gScale: number,
    clip: number,
    l2: number,
    pDecay: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    vScale: number,
    wScale: number,
    epsIn: number,
    epsOut: number,
    mScale: number,
    gMix: number,
    lr: number,
  ): void;
  sgd(
    p: number,
    g: number,
    buf: number,
    n: number,
    useMomentum: number,
    gScale: number,
    clip: number,
    l2: number,
    pDecay: number,
    momentum: number,
    damp: number,
    sIn: number,
    k1: number,
    k2: number,
    pOut: number,
  ): void;
  adagrad(
    p: number,
    g: number,
    sum: number,
    n: number,
    gScale: number,
    clip: number,
    l2: number,
    pDecay: number,
    epsIn: number,
    epsOut: number,
    lr: number,
  ): void;
  adadelta(
    p: number,
    g: number,
    sq: number,
    acc: number,
    n: number,
    gScale: number,
    clip: number,
    l2: number,
    pDecay: number,
    decay: number,
    oneMinusDecay: number,
    eps: number,
    lr: number,
  ): void;
  ema(avg: number, p: number, n: number, momentum: number, oneMinusMomentum: number): void;
  sumSquares(g: number, n: number, clip: number): number;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(): WasmKernels | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = decode(wasmBase64);
  // A runtime without SIMD128 rejects the module; the TypeScript reference path then does the work.
  if (!WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: {
      abort: () => {
        throw new Error('rmsprop kernels: WebAssembly abort');
      },
    },
  });
  return instance.exports as unknown as WasmKernels;
}

/** The kernel module, or null where WebAssembly SIMD is unavailable. */
export const wasm: WasmKernels | null = instantiate();
