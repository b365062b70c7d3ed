// Starts real writer processes for the durability tests. The writer (writer-child.ts, which imports the real store)
// is bundled once with esbuild (it ships with vitest): a plain `node child.mjs` starts in ~0.1 s where vite-node
// takes ~0.6 s, which keeps 20 kill cycles quick. Packages stay external and resolve through a node_modules link.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');

export interface WriterBundle {
  script: string;
  remove: () => void;
}

export function bundleWriter(): WriterBundle {
  const dir = mkdtempSync(join(tmpdir(), 'tb-writer-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const script = join(dir, 'writer.mjs');
  buildSync({ entryPoints: [join(here, 'writer-child.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: script, logLevel: 'error' });
  return { script, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Writer {
  proc: ChildProcess;
  /** Ids the writer reported committed, with their step counts. */
  stored: Map<string, number>;
  ready: Promise<void>;
  /** Resolves after the first commit was reported. */
  firstStored: Promise<void>;
  /** Resolves once the process is gone and every line it printed has been read ('close', not 'exit'). */
  exited: Promise<number | null>;
}

export function startWriter(script: string, file: string, count?: number): Writer {
  const proc = spawn(process.execPath, [script, file, ...(count ? [String(count)] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stored = new Map<string, number>();
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  let markStored: () => void = () => {};
  const firstStored = new Promise<void>((r) => (markStored = r));
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') markReady();
      const m = /^stored (\S+) (\d+)$/.exec(line);
      if (m) {
        stored.set(m[1]!, Number(m[2]));
        markStored();
      }
    }
  });
  const exited = new Promise<number | null>((r) => proc.on('close', (code) => r(code)));
  return { proc, stored, ready, firstStored, exited };
}
