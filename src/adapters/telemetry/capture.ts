// Starts the telemetry samplers beside a local run and stops exactly the processes it started.
// vmstat always (CPU), nvidia-smi dmon when the binary exists (GPU). Output goes to <runDir>/telemetry/<host>-*.txt,
// the names the report and the sbatch snippet (renderTelemetrySnippet) share.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, openSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import { delimiter, join } from 'node:path';
import { DMON_ARGS, VMSTAT_ARGS } from '../../core/telemetry/snippet.ts';

export interface TelemetryCapture {
  /** Files being written, by kind. */
  files: { vmstat: string; dmon?: string };
  pids: number[];
  /** Stops the samplers (SIGTERM, then SIGKILL after 2 s) and resolves once they have exited. */
  stop(): Promise<void>;
}

/** The absolute path of an executable on PATH, or null. */
export function which(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

function startSampler(command: string, args: string[], file: string): ChildProcess {
  const fd = openSync(file, 'a');
  // stdbuf -o0: samplers writing to a file would otherwise block-buffer and lose the tail when stopped.
  const stdbuf = which('stdbuf');
  const child = stdbuf
    ? spawn(stdbuf, ['-o0', command, ...args], { stdio: ['ignore', fd, fd] })
    : spawn(command, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.on('error', () => undefined); // a missing binary shows as an empty file and exit, not a crash
  return child;
}

// A sampler that never started (binary missing: 'error', no pid) has nothing to wait for.
const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });

export function startTelemetry(runDir: string, options: { gpu: boolean; host?: string }): TelemetryCapture {
  const dir = join(runDir, 'telemetry');
  mkdirSync(dir, { recursive: true });
  const host = options.host ?? hostname().split('.')[0] ?? 'host';
  const children: ChildProcess[] = [];
  const files: TelemetryCapture['files'] = { vmstat: join(dir, `${host}-vmstat.txt`) };
  children.push(startSampler('vmstat', VMSTAT_ARGS, files.vmstat));
  if (options.gpu && which('nvidia-smi')) {
    files.dmon = join(dir, `${host}-dmon.txt`);
    children.push(startSampler('nvidia-smi', DMON_ARGS, files.dmon));
  }
  return {
    files,
    pids: children.map((c) => c.pid).filter((p): p is number => p !== undefined),
    async stop() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')), 2000);
      await Promise.all(children.map(exited));
      clearTimeout(timer);
    },
  };
}
