/**
 * `npm run bench -- <name> [...]`: runs the named benchmarks (files in this folder exporting `run`).
 * Figures are printed, never asserted: speed is measured here, not in tests.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

// The first argument names the benchmark; the rest are its own options.
const [first, ...rest] = process.argv.slice(2);
const names = first ? [first] : [];
if (names.length === 0) {
  process.stdout.write(`usage: npm run bench -- <name>\navailable: ${available.join(', ')}\n`);
  process.exit(0);
}
for (const name of names) {
  if (!available.includes(name)) {
    process.stderr.write(`no benchmark named ${name}; available: ${available.join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`== ${name}\n`);
  const mod = (await import(`./${name}.ts`)) as { run: (args: string[]) => Promise<void> };
  await mod.run(rest);
}
process.exit(0);
