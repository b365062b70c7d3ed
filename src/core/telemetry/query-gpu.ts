// `nvidia-smi --query-gpu=... --format=csv[,nounits]` -> GpuSample[]. Fields are mapped by the header names
// (`utilization.gpu [%]`); values may carry units (`83 %`, `117229 MiB`, `80.18 W`) or not (nounits).
import { localToUnix } from './clock.ts';
import type { GpuSample, ParseOutcome } from './types.ts';

const field: Record<string, keyof Omit<GpuSample, 't'>> = {
  index: 'gpu',
  'utilization.gpu': 'util',
  'utilization.memory': 'memUtil',
  'power.draw': 'powerW',
  'power.draw.instant': 'powerW',
  'memory.used': 'memUsedMiB',
  'clocks.sm': 'smClockMHz',
  'clocks.current.sm': 'smClockMHz',
  'temperature.gpu': 'tempC',
  'power.limit': 'powerLimitW',
  'enforced.power.limit': 'powerLimitW',
};

const num = (s: string | undefined): number | null => {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*(%|MiB|W|MHz|C)?\s*$/.exec(s ?? '');
  return m ? Number(m[1]) : null;
};

export function parseQueryGpuCsv(text: string, options: { utcOffsetHours: number }): ParseOutcome<GpuSample> {
  const samples: GpuSample[] = [];
  const warnings: string[] = [];
  let names: string[] | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.some((c) => /^[a-z_]+(\.[a-z_]+)+( \[.*\])?$|^index$|^timestamp$/.test(c)) && cells.every((c) => !/^\d/.test(c))) {
      names = cells.map((c) => c.replace(/\s*\[.*\]$/, ''));
      return;
    }
    if (!names) return void warnings.push(`line ${index + 1}: data before the CSV header, skipped`);
    if (cells.length !== names.length) return void warnings.push(`line ${index + 1}: ${cells.length} fields for ${names.length} columns, skipped`);
    const sample: GpuSample = { t: null, gpu: 0, util: null, memUtil: null, powerW: null, memUsedMiB: null, smClockMHz: null, tempC: null, pviolPct: null, powerLimitW: null };
    names.forEach((name, i) => {
      const cell = cells[i] ?? '';
      if (name === 'timestamp') {
        const [date, time] = cell.split(' ');
        sample.t = localToUnix(date ?? '', time ?? '', options.utcOffsetHours);
      } else {
        const key = field[name];
        if (key === 'gpu') sample.gpu = num(cell) ?? 0;
        else if (key) sample[key] = num(cell);
      }
    });
    samples.push(sample);
  });
  if (samples.length === 0) warnings.push('no query-gpu rows found');
  return { samples, warnings };
}
