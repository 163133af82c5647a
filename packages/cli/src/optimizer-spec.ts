import {
  createOptimizer,
  flavors,
  optimizerNames,
  OptionError,
  resolveOptions,
  type Flavor,
  type NamedParams,
  type Optimizer,
  type OptimizerKind,
  type ResolvedOptions,
} from 'rmsprop/optim';
import { UsageError } from './cli-error.js';

// The optimizer flags: `NAME[:KEY=VALUE,KEY=VALUE…]`, several joined by `;` (with no options at all,
// commas may separate bare names: `rmsprop,adam,sgd`). Values are numbers, true/false (or Python's
// True/False/None), lists in brackets (`betas=[0.9,0.999]`) or words (`nonFinite=skip`).

export const FLAVORS = Object.keys(flavors) as Flavor[];

/** An optimizer chosen on the command line, checked and resolved. */
export interface OptimizerChoice {
  /** As the user wrote it: `rmsprop` or `rmsprop:lr=0.001,decay=0.9`. */
  readonly label: string;
  /** The name, in the flavor's words when there is one. */
  readonly name: string;
  /** The library's optimizer it makes. */
  readonly kind: OptimizerKind;
  readonly flavor: Flavor | undefined;
  /** Every option after defaults and translation, in our names (`decay`, not Keras's `rho`). */
  readonly options: Record<string, unknown>;
  /** Whether the spec itself sets the learning rate (which `compare --tune` searches instead). */
  readonly setsLr: boolean;
  /** A new optimizer over `params`, as chosen. */
  create(params: NamedParams): Optimizer;
}

/** Splits at `sep` outside brackets. */
function splitOutside(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const PYTHON: Record<string, unknown> = { True: true, False: false, None: null };

/** The learning rate's name in ours and PyTorch's options, Keras's, TF1's and Optax's, and TensorFlow.js's. */
const LR_NAMES = ['lr', 'learning_rate', 'learningRate'];

/** A value as written: JSON where it parses (numbers, true, null, lists), Python's words, else the word itself. */
function parseValue(text: string): unknown {
  if (text in PYTHON) return PYTHON[text];
  const json = text.startsWith('(') && text.endsWith(')') ? `[${text.slice(1, -1)}]` : text;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return text;
  }
}

/** `KEY=VALUE,…` as options, or a UsageError naming the flag and the spec. */
export function parseOptions(flag: string, spec: string, text: string): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const item of splitOutside(text, ',')) {
    const eq = item.indexOf('=');
    const key = item.slice(0, eq).trim();
    if (eq <= 0 || item.slice(eq + 1).trim() === '')
      throw new UsageError(`${flag} "${spec}": each option must be KEY=VALUE, got "${item}"`);
    if (key in options) throw new UsageError(`${flag} "${spec}": option '${key}' is given twice`);
    options[key] = parseValue(item.slice(eq + 1).trim());
  }
  return options;
}

/** A file-name-safe form of a label: `rmsprop:lr=0.001` → `rmsprop-lr-0.001`. */
export const slugOf = (label: string): string =>
  label
    .replace(/[^A-Za-z0-9._]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();

/**
 * One optimizer spec, resolved and checked by the library's registry without building anything, so an
 * unknown name, an unknown option or a value out of range is reported before any data is loaded. `defaults` are options the
 * command adds (`--clip-norm`) under the user's; `flavor` is `--flavor`, which `flavor=` in the spec overrides.
 */
export function optimizerChoice(
  flag: string,
  spec: string,
  o: { flavor?: Flavor; defaults?: Record<string, unknown> } = {},
): OptimizerChoice {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const { flavor: flavorGiven, ...given } = colon < 0 ? {} : parseOptions(flag, spec, spec.slice(colon + 1));
  // `rmsprop:lr=1e-3,adam:lr=1e-3`: a second optimizer joined by a comma reads as an option 'adam:lr'.
  const joined = Object.keys(given).find((k) => k.includes(':'));
  if (joined) {
    const fixed = spec.replace(`,${joined}`, `;${joined}`);
    throw new UsageError(
      `${flag} "${spec}": '${joined}' starts another optimizer; separate optimizers with ';' ("${fixed}")`,
    );
  }
  const flavor = (flavorGiven ?? o.flavor) as Flavor | undefined;
  if (flavor !== undefined && !FLAVORS.includes(flavor))
    throw new UsageError(
      `${flag} "${spec}": unknown flavor ${JSON.stringify(flavor)}; valid flavors are ${FLAVORS.join(', ')}`,
    );
  const valid = optimizerNames(flavor);
  if (!valid.includes(name)) {
    const hint = name.includes(',') ? " (separate optimizers with ';' when any has options)" : '';
    throw new UsageError(
      `${flag}: unknown optimizer '${name}'${hint}; valid optimizers${flavor ? ` of the ${flavor} flavor` : ''} are ${valid.join(', ')}`,
    );
  }
  const init = { ...(flavor ? { flavor } : {}), ...o.defaults, ...given };
  let resolved: ResolvedOptions;
  try {
    resolved = resolveOptions(name, init);
  } catch (e) {
    if (e instanceof OptionError || e instanceof RangeError || e instanceof TypeError)
      throw new UsageError(`${flag} "${spec}": ${e.message}`, { cause: e });
    throw e;
  }
  return {
    label: spec.trim(),
    name,
    kind: resolved.kind,
    flavor,
    options: { ...resolved.group, ...resolved.optimizer },
    setsLr: Object.keys(given).some((k) => LR_NAMES.includes(k)),
    create: (params) => createOptimizer(name, params, init),
  };
}

/** `--optimizers`: specs joined by `;` (or bare names by `,`), each checked; labels must differ. */
export function optimizerChoices(
  flag: string,
  text: string,
  o: { flavor?: Flavor; defaults?: Record<string, unknown> } = {},
): OptimizerChoice[] {
  const specs = text.includes(':')
    ? splitOutside(text, ';')
    : text
        .split(/[;,]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
  if (specs.length === 0) throw new UsageError(`${flag} must name at least one optimizer, got ${JSON.stringify(text)}`);
  const choices = specs.map((s) => optimizerChoice(flag, s, o));
  const slugs = new Set<string>();
  for (const c of choices) {
    if (slugs.has(slugOf(c.label))) throw new UsageError(`${flag}: '${c.label}' is given twice`);
    slugs.add(slugOf(c.label));
  }
  return choices;
}
