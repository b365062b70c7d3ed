// Writes the self-contained HTML report for a stored run (by id) or straight from a log file / run directory.
import { existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { inputError } from '../../core/errors.ts';
import { renderReportHtml, reportFromResult, reportSteps, type ReportInput } from '../../core/report/index.ts';
import type { FactFlags } from '../ingest/measure-log.ts';
import type { Result } from '../../core/measure/index.ts';
import { alignTelemetry, type AlignedTelemetry } from '../../core/telemetry/index.ts';
import { readTelemetryDir } from '../telemetry/read-dir.ts';

export interface WriteReportOptions {
  /** Telemetry directory; default `<run dir>/telemetry` when it exists. */
  telemetryDir?: string;
  /** local = UTC + offset, for dmon/vmstat local timestamps read from files (default 0; stored runs are UTC already). */
  utcOffsetHours?: number;
  /** Results store file, for run ids (default $TRAINBENCH_HOME/store.sqlite). */
  storePath?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Averaging window (core/measure syntax), default last:20 like `trainbench parse`. */
  window?: string;
  /** Run facts the log may not state (GPU for peak FLOPS, model for FLOPs, seq, GBS, GPUs). */
  facts?: FactFlags;
  /** The GPUs' power limit in W, drawn as the power-cap line (dmon does not print it). */
  powerLimitW?: number;
}

export function loadEchartsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
}

export interface LogReport {
  input: ReportInput;
  log: string;
  format: string;
  telemetryFiles: { path: string; kind: string; samples: number }[];
}

/** The Result inside a run directory's result.json (written by `trainbench run`), if it looks like one. */
function storedResult(file: string): Result | undefined {
  try {
    const r = (JSON.parse(readFileSync(file, 'utf8')) as { result?: Result }).result;
    return r && typeof r === 'object' && Array.isArray(r.assumptions) && typeof r.window === 'object' ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Parses the log with core/ingest (any supported engine), measures it with core/measure, joins the telemetry. */
export async function reportInputFromLog(path: string, options: WriteReportOptions = {}): Promise<LogReport> {
  const abs = resolve(path);
  const { measureLog } = await import('../ingest/measure-log.ts');
  const { parseWindow } = await import('../../core/measure/index.ts');
  const measured = await measureLog(abs, { ...(options.facts ?? {}), window: parseWindow(options.window ?? 'last:20') });
  const { parsed, diagnosis } = measured;
  const isDir = statSync(abs).isDirectory();
  // A `trainbench run` directory keeps the Result it stored (recipe window, MFU): the same figures as the store,
  // unless the caller asked for another window or other facts.
  const kept = isDir && options.window === undefined && options.facts === undefined ? storedResult(join(abs, 'result.json')) : undefined;
  const result = kept ?? measured.result;
  const steps = reportSteps(parsed.output.steps);
  const teleDir = options.telemetryDir ?? [join(isDir ? abs : dirname(abs), 'telemetry')].find((d) => existsSync(d));
  const offset = options.utcOffsetHours ?? 0;
  let telemetry: AlignedTelemetry | null = null;
  let files: LogReport['telemetryFiles'] = [];
  if (teleDir) {
    const read = readTelemetryDir(teleDir, offset, steps.find((s) => s.time !== null)?.time ?? null);
    files = read.files;
    const timings = steps.flatMap((s) => (s.time !== null && s.stepTimeS !== null ? [{ step: s.step, end: s.time, stepTimeS: s.stepTimeS }] : []));
    telemetry = alignTelemetry(timings, read.gpu, read.cpu, read.clock, read.warnings);
    if (read.files.length > 0 && timings.length === 0 && steps.length > 0) telemetry.warnings.push(`the ${parsed.format} log has no wall-clock time per step, so telemetry is shown over time, not per step`);
  }
  const warnings = [...parsed.output.warnings.slice(0, 20)];
  if (diagnosis.kind !== 'unknown') warnings.push(`failure (${diagnosis.kind}): ${diagnosis.summary}`);
  if (steps.length === 0) warnings.push(`no training steps found in ${basename(parsed.file)} (format ${parsed.format})`);
  const input = reportFromResult({
    title: result.facts.model ? `${result.facts.model} · ${basename(isDir ? abs : dirname(abs))}` : basename(isDir ? abs : parsed.file),
    subtitle: `${parsed.file} · ${parsed.format} log`,
    steps,
    result,
    telemetry,
    warnings,
  });
  return { input: { ...input, generatedAt: new Date().toISOString() }, log: parsed.file, format: parsed.format, telemetryFiles: files };
}

/** Writes `outPath` for a log file, run directory, or stored run id; returns what it drew. */
export async function writeReport(runIdOrLogPath: string, outPath: string, options: WriteReportOptions = {}): Promise<{ out: string; input: ReportInput }> {
  let input: ReportInput;
  if (existsSync(runIdOrLogPath)) input = (await reportInputFromLog(runIdOrLogPath, options)).input;
  else {
    const { openStore } = await import('../store/index.ts');
    const { publishedFigures, runReportInput } = await import('./run-report.ts');
    const store = openStore(options.storePath, options.env ? { env: options.env } : {});
    try {
      const run = store.getRun(runIdOrLogPath);
      if (!run) throw inputError(`no run '${runIdOrLogPath}' in the results store and no such file`, { code: 'unknown-run', file: store.file, hint: 'pass a log file, a run directory, or an id from `trainbench results`' });
      input = { ...runReportInput(store, run, await publishedFigures(run.recipeId)), generatedAt: new Date().toISOString() };
    } finally {
      store.close();
    }
  }
  if (options.powerLimitW !== undefined && input.telemetry) input = { ...input, telemetry: { ...input.telemetry, powerLimitW: options.powerLimitW } };
  const out = resolve(outPath);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, renderReportHtml(input, loadEchartsSource()));
  return { out, input };
}
