// `nvidia-smi dmon` text -> GpuSample[]. Columns are mapped by the names in the latest `#` header, because drivers
// differ in which groups and columns they print and in their order, and headers repeat (possibly changed) mid-file.
import { localToUnix, timeOfDay } from './clock.ts';
import type { GpuSample, ParseOutcome } from './types.ts';

export interface DmonOptions {
  /** local = UTC + offset; used for `-o DT` / `-o T` timestamps. */
  utcOffsetHours: number;
  /** Local date (`YYYYMMDD`) for `-o T` captures, which print only the time. */
  date?: string;
}

const num = (s: string | undefined): number | null => {
  if (s === undefined || s === '-' || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

export function parseDmon(text: string, options: DmonOptions): ParseOutcome<GpuSample> {
  const samples: GpuSample[] = [];
  const warnings: string[] = [];
  let columns: string[] | null = null;
  let lastTod: number | null = null;
  let dayShift = 0;
  let warnedNoDate = false;
  // Unix seconds for a row's date/time cells, or null (no time columns, or a time-only capture without a date).
  const stamp = (date: string | undefined, time: string | undefined): number | null => {
    if (time === undefined) return null;
    if (date !== undefined) return localToUnix(date, time, options.utcOffsetHours);
    const tod = timeOfDay(time);
    if (options.date === undefined || tod === null) {
      if (!warnedNoDate) warnings.push('time-only dmon capture (-o T) and no date given: samples are not timed');
      warnedNoDate = true;
      return null;
    }
    // A time of day that jumps backwards by hours means midnight passed.
    if (lastTod !== null && tod < lastTod - 43_200) dayShift += 86_400;
    lastTod = tod;
    const base = localToUnix(options.date, '00:00:00', options.utcOffsetHours);
    return base === null ? null : base + tod + dayShift;
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const tokens = line.slice(1).trim().split(/\s+/);
      // The names line carries `gpu`; the units line (`Idx`, `W`, `MHz`...) is skipped.
      if (tokens.includes('gpu')) columns = tokens.map((t) => t.toLowerCase());
      return;
    }
    const cells = line.split(/\s+/);
    if (!columns) return void warnings.push(`line ${index + 1}: data before any '# gpu ...' header, skipped`);
    if (cells.length !== columns.length) {
      return void warnings.push(`line ${index + 1}: ${cells.length} values for ${columns.length} columns, skipped`);
    }
    const row = new Map(columns.map((c, i) => [c, cells[i]]));
    const gpu = num(row.get('gpu'));
    if (gpu === null) return void warnings.push(`line ${index + 1}: no GPU index, skipped`);
    const t = stamp(row.get('date'), row.get('time'));
    samples.push({
      t,
      gpu,
      util: num(row.get('sm')),
      memUtil: num(row.get('mem')),
      powerW: num(row.get('pwr')),
      memUsedMiB: num(row.get('fb')),
      smClockMHz: num(row.get('pclk')),
      tempC: num(row.get('gtemp') ?? row.get('temp')), // drivers before ~450 print `temp`
      pviolPct: num(row.get('pviol')),
      powerLimitW: null,
    });
  });
  if (samples.length === 0) warnings.push('no dmon samples found');
  return { samples, warnings };
}
