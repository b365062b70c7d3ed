// Reads every capture in a telemetry directory (any name: kind is recognised by content) into samples.
// A file that cannot be read or parsed adds a warning, never an exception: telemetry is supporting evidence.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  detectTelemetry, localDate, parseDmon, parseQueryGpuCsv, parseVmstat,
  type ClockNote, type CpuSample, type GpuSample,
} from '../../core/telemetry/index.ts';

export interface TelemetryFiles {
  gpu: GpuSample[];
  cpu: CpuSample[];
  clock: ClockNote;
  files: { path: string; kind: string; samples: number }[];
  /** The same samples per capture file, with the node its name gives (`<node>-vmstat.txt`; null for other names). */
  byFile: { node: string | null; gpu: GpuSample[]; cpu: CpuSample[] }[];
  warnings: string[];
}

/** The node a capture's file name gives: capture.ts and the sbatch snippet write `<node>-vmstat.txt`, `<node>-dmon.txt`. */
export const captureNode = (name: string): string | null => /^(.+)-(?:vmstat|dmon)\.txt$/.exec(name)?.[1] ?? null;

const MAX_BYTES = 512 * 1024 * 1024;

/**
 * `hint`: a unix time inside the run, giving the date of time-only (`dmon -o T`) captures. `completeLinesOnly`: for
 * captures still being written, a last line without its newline is left for the next read.
 */
export function readTelemetryDir(dir: string, utcOffsetHours: number, hint: number | null = null, o: { completeLinesOnly?: boolean } = {}): TelemetryFiles {
  const out: TelemetryFiles = { gpu: [], cpu: [], clock: { utcOffsetHours, zone: null }, files: [], byFile: [], warnings: [] };
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    out.warnings.push(`telemetry directory ${dir} could not be read: ${(error as Error).message}`);
    return out;
  }
  for (const name of names) {
    const path = join(dir, name);
    let text: string;
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > MAX_BYTES) continue;
      text = readFileSync(path, 'utf8');
      if (o.completeLinesOnly) text = text.slice(0, text.lastIndexOf('\n') + 1);
    } catch (error) {
      out.warnings.push(`${name}: unreadable (${(error as Error).message})`);
      continue;
    }
    const kind = detectTelemetry(text);
    if (kind === null) continue; // pid files, notes
    const tag = (w: string) => `${basename(path)}: ${w}`;
    // Loops, not push(...samples): a long capture has more samples than a call may take arguments.
    if (kind === 'vmstat') {
      const r = parseVmstat(text, { utcOffsetHours });
      for (const x of r.samples) out.cpu.push(x);
      if (r.clock.zone) out.clock = r.clock;
      out.warnings.push(...r.warnings.map(tag));
      out.files.push({ path, kind, samples: r.samples.length });
      out.byFile.push({ node: captureNode(name), gpu: [], cpu: r.samples });
    } else {
      const r = kind === 'dmon'
        ? parseDmon(text, { utcOffsetHours, ...(hint !== null ? { date: localDate(hint, utcOffsetHours) } : {}) })
        : parseQueryGpuCsv(text, { utcOffsetHours });
      for (const x of r.samples) out.gpu.push(x);
      out.warnings.push(...r.warnings.map(tag));
      out.files.push({ path, kind, samples: r.samples.length });
      out.byFile.push({ node: captureNode(name), gpu: r.samples, cpu: [] });
    }
  }
  if (out.files.length === 0) out.warnings.push(`no dmon, vmstat or query-gpu capture found in ${dir}`);
  return out;
}
