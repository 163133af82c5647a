// npm run bench -- NAME [ARGS...]: runs bench/NAME.ts (which reads its own ARGS from process.argv).
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const name = process.argv[2];
if (!name || !names.includes(name)) {
  console.error(`${name ? `bench: unknown benchmark '${name}'` : 'bench: no benchmark named'}`);
  console.error(`usage: npm run bench -- NAME\nbenchmarks: ${names.join(', ')}`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(`./${name}.ts`);
