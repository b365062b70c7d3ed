// Architecture check: src/core is pure. It may import only other core files and a short list of pure libraries;
// no node: built-ins (fs, child_process, net...), no adapters, no cli. Exits 1 listing every violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = join(root, 'src', 'core');
const pureLibraries = new Set(['zod', 'yaml', 'smol-toml']);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

export function findViolations() {
  const violations = [];
  for (const file of files(core)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = match[1] ?? match[2];
      const rel = relative(root, file);
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(core)) violations.push(`${rel}: imports ${spec} from outside src/core`);
      } else if (!pureLibraries.has(spec.split('/')[0])) {
        violations.push(`${rel}: imports '${spec}' (core may import only ${[...pureLibraries].join(', ')})`);
      }
    }
    if (/\bprocess\.(env|argv|exit|cwd)\b/.test(text)) violations.push(`${relative(root, file)}: touches process state`);
  }
  return violations;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const violations = findViolations();
  for (const v of violations) console.error(v);
  if (violations.length) process.exit(1);
  console.log('core boundaries ok');
}
