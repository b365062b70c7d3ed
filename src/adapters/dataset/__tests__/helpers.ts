// Shared by the dataset tests: an independent numpy reader (Megatron's own way of reading the pair) and temp dirs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../numpy_reader.py', import.meta.url));

export interface NumpyView {
  dtype: string;
  sequences: number;
  document_indices: number[];
  documents: number[][];
}

/** Reads pairs with numpy.memmap under the system Python (the one with numpy), as Megatron-LM does. */
export function readWithNumpy(...stems: string[]): NumpyView[] {
  const out = execFileSync('/usr/bin/python3', [script, ...stems], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return JSON.parse(out) as NumpyView[];
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tb-data-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
