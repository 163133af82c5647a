// JSON lacks NaN, ±Infinity and −0, which a generator's state (NaN) and a diverging epoch's sums
// (±Infinity) hold: they travel as the strings "NaN", "Infinity", "-Infinity" and "-0".

const SPECIAL: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/** Numbers as JSON values, the four JSON cannot hold as strings. */
export const numbersToJson = (xs: ArrayLike<number>): (number | string)[] =>
  Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : Number.isFinite(x) ? x : String(x)));

/** The numbers `numbersToJson` wrote, or null when `xs` is not a list of numbers and those four strings. */
export function numbersFromJson(xs: unknown): number[] | null {
  if (!Array.isArray(xs)) return null;
  const out: number[] = [];
  for (const x of xs as unknown[]) {
    if (typeof x === 'number') out.push(x);
    else if (typeof x === 'string' && Object.hasOwn(SPECIAL, x)) out.push(SPECIAL[x]!);
    else return null;
  }
  return out;
}
