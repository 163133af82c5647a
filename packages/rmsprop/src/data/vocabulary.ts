/** The characters of a text (whole Unicode code points), each with an index, in code-point order. */
export class Vocabulary {
  readonly chars: readonly string[];
  private readonly index = new Map<string, number>();

  constructor(chars: Iterable<string>) {
    this.chars = [...new Set(chars)];
    this.chars.forEach((c, i) => {
      if ([...c].length !== 1)
        throw new RangeError(`Vocabulary: entries must be single characters, got ${JSON.stringify(c)}`);
      this.index.set(c, i);
    });
  }

  /** Every character of `text`, sorted by code point. */
  static fromText(text: string): Vocabulary {
    return new Vocabulary([...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!));
  }

  get size(): number {
    return this.chars.length;
  }

  encode(text: string): Int32Array {
    const chars = [...text];
    return Int32Array.from(chars, (c, k) => {
      const i = this.index.get(c);
      if (i === undefined)
        throw new RangeError(`Vocabulary.encode: ${JSON.stringify(c)} at position ${k} is not in the vocabulary`);
      return i;
    });
  }

  decode(ids: ArrayLike<number>): string {
    return Array.from(ids, (i) => {
      const c = this.chars[i];
      if (c === undefined) throw new RangeError(`Vocabulary.decode: ${i} is outside [0, ${this.size})`);
      return c;
    }).join('');
  }
}
