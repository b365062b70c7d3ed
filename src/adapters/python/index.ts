// Which Python runs the reference workload. Debian's python3-torch lives under /usr/bin/python3, while a `python3`
// earlier on PATH (pyenv, conda) often lacks torch; TRAINBENCH_PYTHON overrides both.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { environmentError } from '../../core/errors.ts';

const probed = new Map<string, boolean>();

function hasTorch(python: string): boolean {
  let ok = probed.get(python);
  if (ok === undefined) {
    ok = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
    probed.set(python, ok);
  }
  return ok;
}

export function findPython(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TRAINBENCH_PYTHON) return env.TRAINBENCH_PYTHON;
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if ((candidate.startsWith('/') ? existsSync(candidate) : true) && hasTorch(candidate)) return candidate;
  }
  throw environmentError('no Python with PyTorch found (tried /usr/bin/python3 and python3 on PATH)', {
    code: 'no-torch',
    hint: 'run `bash scripts/setup.sh` (installs Debian python3-torch) or set TRAINBENCH_PYTHON to a python with torch',
  });
}
