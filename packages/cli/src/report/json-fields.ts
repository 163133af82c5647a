import { readFileSync } from 'node:fs';

/** The run log writes NaN and ±Infinity, which JSON lacks, as the strings "NaN", "Infinity", "-Infinity". */
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
function decoded(v: unknown): unknown {
  return typeof v === 'string' && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v;
}

/** A value in an error message, cut short: the message stays one readable line. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Typed reads of one JSON object's fields, each failure an error naming the file (and line) and the field. */
export class JsonFields {
  readonly o: Record<string, unknown>;
  constructor(
    o: unknown,
    readonly where: string,
  ) {
    if (typeof o !== 'object' || o === null || Array.isArray(o))
      throw new Error(`${where}: expected a JSON object, got ${shown(o)}`);
    this.o = o as Record<string, unknown>;
  }
  private fail(key: string, what: string): never {
    const got = this.o[key] === undefined ? 'nothing' : shown(this.o[key]);
    throw new Error(`${this.where}: "${key}" must be ${what}, got ${got}`);
  }
  format(expected: string): void {
    const got = this.o.format;
    if (got !== expected)
      throw new Error(`${this.where}: wrong format ${JSON.stringify(got ?? null)}, expected "${expected}"`);
  }
  string(key: string): string {
    const v = this.o[key];
    return typeof v === 'string' ? v : this.fail(key, 'a string');
  }
  isNumber(key: string): boolean {
    return typeof decoded(this.o[key]) === 'number';
  }
  number(key: string): number {
    const v = decoded(this.o[key]);
    return typeof v === 'number' ? v : this.fail(key, 'a number');
  }
  numbers(key: string): number[] {
    const v = this.o[key];
    if (!Array.isArray(v)) return this.fail(key, 'an array of numbers');
    // `JSON.stringify` writes NaN as null, as a command writing its arrays plainly would.
    const numbers = v.map((x: unknown) => (x === null ? NaN : decoded(x)));
    return numbers.every((x) => typeof x === 'number') ? (numbers as number[]) : this.fail(key, 'an array of numbers');
  }
  object(key: string): Record<string, unknown> {
    const v = this.o[key];
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : this.fail(key, 'an object');
  }
}

export function parseJsonFile(file: string): unknown {
  return parseJson(readFileSync(file, 'utf8'), file);
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // V8 quotes the text in its message, new lines and all: keep the error on one line.
    throw new Error(`${where}: not JSON (${(e as Error).message.replace(/\s+/g, ' ')})`);
  }
}
