// npm run conformance -- PATH... [--backend wasm|js]
// Checks rmsprop-conformance/1 and rmsprop-schedule/1 fixtures (files, or folders searched recursively),
// prints each failure with its worst element, and ends with "N passed, N failed".
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runConformance, type Fixture } from '../packages/rmsprop/src/optim/index.js';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run conformance -- PATH... [--backend wasm|js]`);
  process.exit(2);
}

function files(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    usage(`conformance: no such file or folder: ${path}`);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const p = join(path, name);
      return statSync(p).isDirectory() ? files(p) : name.endsWith('.json') ? [p] : [];
    });
}

const args = process.argv.slice(2);
let backend: 'wasm' | 'js' = 'wasm';
const paths: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--backend') {
    const b = args[++i];
    if (b !== 'wasm' && b !== 'js') usage(`conformance: --backend must be wasm or js, got ${JSON.stringify(b)}`);
    backend = b;
  } else paths.push(args[i]!);
}
if (paths.length === 0) usage('conformance: give at least one fixture file or folder');

let passed = 0;
let failed = 0;
for (const file of paths.flatMap(files)) {
  let fixture: Fixture;
  try {
    fixture = JSON.parse(readFileSync(file, 'utf8')) as Fixture;
  } catch (e) {
    console.log(`FAIL ${file}: not readable JSON (${(e as Error).message})`);
    failed++;
    continue;
  }
  const r = runConformance(fixture, backend);
  if (r.passed) passed++;
  else {
    failed++;
    console.log(`FAIL ${file} (${r.name}): ${r.detail}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
