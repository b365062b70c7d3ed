// Writes the self-contained HTML report for a stored run (by id) or straight from a log file / run directory.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { inputError } from '../../core/errors.ts';
import { readEventLog, renderReportHtml, reportFromLog, type ReportInput } from '../../core/report/index.ts';
import { alignTelemetry, type AlignedTelemetry } from '../../core/telemetry/index.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';

export interface WriteReportOptions {
  /** Telemetry directory; default `<run dir>/telemetry` when it exists. */
  telemetryDir?: string;
  /** local = UTC + offset, for dmon/vmstat local timestamps (default 0). */
  utcOffsetHours?: number;
  /** Results store file, for run ids (default $TRAINBENCH_HOME/store.sqlite). */
  storePath?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export function loadEchartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}

const LOG_NAMES = /\.(log|out|txt)$|^stdout|^slurm-/;

/** The log inside a run directory: the file holding TRAINBENCH_EVENT lines, else the largest *.log / *.out. */
function findLog(dir: string): string {
  const files = readdirSync(dir).filter((n) => LOG_NAMES.test(n) && statSync(join(dir, n)).isFile());
  const withEvents = files.find((n) => readFileSync(join(dir, n), 'utf8').includes('TRAINBENCH_EVENT '));
  const pick = withEvents ?? files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  if (!pick) throw inputError(`no log file in ${dir}`, { code: 'no-log', file: dir, hint: 'pass the log file itself, or a run directory holding a *.log or *.out file' });
  return join(dir, pick);
}

export interface LogReport {
  input: ReportInput;
  log: string;
  telemetryFiles: { path: string; kind: string; samples: number }[];
}

export function reportInputFromLog(path: string, options: WriteReportOptions = {}): LogReport {
  const abs = resolve(path);
  if (!existsSync(abs)) throw inputError(`no such log file or run directory: ${path}`, { code: 'not-found', file: path, hint: 'pass a log file, a run directory, or a stored run id' });
  const isDir = statSync(abs).isDirectory();
  const log = isDir ? findLog(abs) : abs;
  const events = readEventLog(readFileSync(log, 'utf8'));
  const teleDir = options.telemetryDir ?? [join(isDir ? abs : dirname(abs), 'telemetry')].find((d) => existsSync(d));
  const offset = options.utcOffsetHours ?? 0;
  let telemetry: AlignedTelemetry | null = null;
  let files: LogReport['telemetryFiles'] = [];
  if (teleDir) {
    const firstTime = events.steps.find((s) => s.time !== null)?.time ?? null;
    const read = readTelemetryDir(teleDir, offset, firstTime);
    files = read.files;
    const timings = events.steps.flatMap((s) => (s.time !== null && s.stepTimeS !== null ? [{ step: s.step, end: s.time, stepTimeS: s.stepTimeS }] : []));
    telemetry = alignTelemetry(timings, read.gpu, read.cpu, read.clock, read.warnings);
  }
  const start = events.start ?? {};
  const gpus = typeof start.world_size === 'number' ? start.world_size : null;
  const warnings = [...events.warnings];
  if (events.steps.length === 0) warnings.push(`no TRAINBENCH_EVENT step lines in ${basename(log)}`);
  const input = reportFromLog({
    title: typeof start.model === 'string' ? `${start.model} ${typeof start.task === 'string' ? start.task : ''}`.trim() : basename(isDir ? abs : log),
    subtitle: `from ${log}`,
    steps: events.steps,
    tokensPerStep: events.tokensPerStep,
    gpus,
    gpuName: typeof start.device === 'string' ? start.device.toUpperCase() : null,
    telemetry,
    warnings,
  });
  return { input: { ...input, generatedAt: new Date().toISOString() }, log, telemetryFiles: files };
}

/** Writes `outPath` for a log file, run directory, or stored run id; returns what it drew. */
export async function writeReport(runIdOrLogPath: string, outPath: string, options: WriteReportOptions = {}): Promise<{ out: string; input: ReportInput }> {
  let input: ReportInput;
  if (existsSync(runIdOrLogPath)) input = reportInputFromLog(runIdOrLogPath, options).input;
  else {
    const { openStore } = await import('../store/index.ts');
    const { runReportInput } = await import('./run-report.ts');
    const store = openStore(options.storePath, options.env ? { env: options.env } : {});
    try {
      const run = store.getRun(runIdOrLogPath);
      if (!run) throw inputError(`no run '${runIdOrLogPath}' in the results store and no such file`, { code: 'unknown-run', file: store.file, hint: 'pass a log file, a run directory, or an id from `trainbench results`' });
      input = { ...runReportInput(store, run, options.utcOffsetHours ?? 0), generatedAt: new Date().toISOString() };
    } finally {
      store.close();
    }
  }
  const out = resolve(outPath);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderReportHtml(input, loadEchartsSource()));
  return { out, input };
}
