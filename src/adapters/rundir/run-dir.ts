// Run directories: `<home>/runs/<name>/<name>_<stamp>/`, like the seeds' `logs/experiments/<name>/<name>_<jobid>/`.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { inputError } from '../../core/errors.ts';
import { safeWord } from '../../core/jobs/spec.ts';
import { didYouMean } from '../../core/suggest.ts';
import { JOB_FILE, readJobHandle } from './job-file.ts';

export { trainbenchHome } from '../paths.ts';

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');

/** Creates a fresh run directory; a second run in the same second gets a `-2` suffix. */
export function createRunDir(home: string, name: string, now: Date = new Date()): string {
  const word = safeWord(name);
  const parent = join(home, 'runs', word);
  mkdirSync(parent, { recursive: true });
  for (let i = 1; ; i++) {
    const dir = join(parent, `${word}_${stamp(now)}${i > 1 ? `-${i}` : ''}`);
    try {
      mkdirSync(dir); // not recursive: fails if it exists, so two processes never share a directory
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const subdirs = (p: string): string[] => (isDir(p) ? readdirSync(p).filter((n) => isDir(join(p, n))) : []);

/** Every run directory under home that holds a job.json, newest first. */
export function listRuns(home: string): string[] {
  const root = join(home, 'runs');
  const dirs = subdirs(root).flatMap((name) => subdirs(join(root, name)).map((run) => join(root, name, run)));
  return dirs
    .filter((d) => existsSync(join(d, JOB_FILE)))
    .map((d) => ({ d, t: statSync(join(d, JOB_FILE)).mtimeMs }))
    .sort((a, b) => b.t - a.t || b.d.localeCompare(a.d))
    .map(({ d }) => d);
}

/** A run directory path, a run name (its newest run), a run directory's name, or a job id -> the run directory. */
export function resolveRun(home: string, idOrPath: string, cwd: string = process.cwd()): string {
  const asPath = resolve(cwd, idOrPath);
  if (existsSync(join(asPath, JOB_FILE))) return asPath;
  const runs = listRuns(home);
  const byName = runs.find((d) => basename(join(d, '..')) === idOrPath || basename(d) === idOrPath);
  if (byName) return byName;
  const byId = runs.find((d) => {
    try {
      return readJobHandle(d).jobId === idOrPath;
    } catch {
      return false;
    }
  });
  if (byId) return byId;
  const names = [...new Set(runs.map((d) => basename(join(d, '..'))))];
  throw inputError(`no run '${idOrPath}' (not a run directory, run name or job id)`, {
    code: 'unknown-run',
    hint: names.length ? didYouMean(idOrPath, names) : `no runs yet under ${join(home, 'runs')}`,
  });
}
