import { F32Block, heap } from '../kernels/index.js';
import { track } from './scope.js';
import { backward } from './tape.js';

export type DType = 'float32' | 'int32';
export type Shape = readonly number[];

/** The bytes of a tensor in the kernels' memory, shared by its reshaped views, freed with the last of them. */
class Storage {
  private refs = 1;
  constructor(readonly block: F32Block) {}
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) this.block.free();
  }
}

/** How an op's output was made: what the tape needs to send gradients back to the inputs. */
export interface Node {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** Whatever the op's gradient needs besides the inputs and the output (axes, masks, …). */
  readonly saved: Readonly<Record<string, unknown>>;
}

export function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function checkShape(op: string, shape: Shape): void {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${op}: a shape must be a list of integers ≥ 0, got ${JSON.stringify(shape)}`);
  }
}

/**
 * A contiguous, row-major float32 or int32 array in the kernels' WebAssembly memory. It holds an offset,
 * so views taken from it stay valid only until the next allocation: use `data` again after one.
 */
export class Tensor {
  readonly size: number;
  /** Accumulated gradient after `backward`, for tensors that require one. */
  grad: Tensor | null = null;
  /** The op that made this tensor, when it is part of a graph being recorded. */
  node: Node | null = null;
  private storage: Storage | null;

  constructor(
    readonly shape: Shape,
    readonly dtype: DType = 'float32',
    public requiresGrad = false,
    storage?: Storage,
  ) {
    checkShape('Tensor', shape);
    this.size = sizeOf(shape);
    if (!heap) throw new Error('Tensor: the tensor engine needs WebAssembly with SIMD, which this runtime lacks');
    this.storage = storage ? storage.retain() : new Storage(new F32Block(this.size));
    track(this);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Address of the first element in the kernels' memory. */
  get ptr(): number {
    return this.live().block.ptr;
  }

  /** A view of the float32 elements (re-derived after any memory growth). */
  get data(): Float32Array {
    if (this.dtype !== 'float32') throw new TypeError(`Tensor.data: this tensor is ${this.dtype}; use ints`);
    return this.live().block.array;
  }

  /** A view of the int32 elements. */
  get ints(): Int32Array {
    if (this.dtype !== 'int32') throw new TypeError(`Tensor.ints: this tensor is ${this.dtype}; use data`);
    const a = this.live().block.array;
    return new Int32Array(a.buffer, a.byteOffset, a.length);
  }

  private live(): Storage {
    if (!this.storage) throw new Error(`Tensor of shape [${this.shape.join(', ')}]: used after dispose()`);
    return this.storage;
  }

  get disposed(): boolean {
    return this.storage === null;
  }

  /** A copy of the elements. */
  toArray(): number[] {
    return Array.from(this.dtype === 'float32' ? this.data : this.ints);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1)
      throw new RangeError(`Tensor.item: needs one element, this tensor has shape [${this.shape.join(', ')}]`);
    return this.dtype === 'float32' ? this.data[0]! : this.ints[0]!;
  }

  /** The same elements under another shape, without a copy; one dimension may be −1. */
  view(shape: Shape): Tensor {
    const known = shape.filter((d) => d !== -1);
    const resolved =
      known.length === shape.length - 1
        ? shape.map((d) => (d === -1 ? this.size / Math.max(sizeOf(known), 1) : d))
        : shape;
    if (!resolved.every(Number.isInteger) || sizeOf(resolved) !== this.size) {
      throw new RangeError(
        `view: cannot view shape [${this.shape.join(', ')}] (${this.size} elements) as [${shape.join(', ')}]`,
      );
    }
    return new Tensor(resolved, this.dtype, false, this.live());
  }

  /** Adds d(this)/d(leaf) into every leaf's `grad` (see `backward` in tape.ts). */
  backward(grad?: Tensor): void {
    backward(this, grad);
  }

  /** This tensor's values, cut from the graph: no gradient flows through the result. */
  detach(): Tensor {
    return new Tensor(this.shape, this.dtype, false, this.live());
  }

  /** Frees the memory now (it is also freed when the step's scope ends, or at garbage collection). */
  dispose(): void {
    this.storage?.release();
    this.storage = null;
    this.node = null;
  }
}
