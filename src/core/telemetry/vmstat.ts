// `vmstat [-t] N` text -> CpuSample[]. Split on whitespace (a 3-digit `id` shifts fixed columns), map by the
// names in the latest header, drop the first data row (vmstat's since-boot average) unless told it was `-y`.
import { localToUnix } from './clock.ts';
import type { ClockNote, CpuSample, ParseOutcome } from './types.ts';

export interface VmstatOptions {
  utcOffsetHours: number;
  /** True when vmstat ran with `-y` (no since-boot first row). */
  noFirstRow?: boolean;
}

const num = (s: string | undefined): number | null => {
  if (s === undefined) return null;
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : null;
};

const utcNames = new Set(['UTC', 'GMT', 'Z', 'UCT']);

export function parseVmstat(text: string, options: VmstatOptions): ParseOutcome<CpuSample> & { clock: ClockNote } {
  const samples: CpuSample[] = [];
  const warnings: string[] = [];
  const clock: ClockNote = { utcOffsetHours: options.utcOffsetHours, zone: null };
  let columns: string[] | null = null;
  let seenData = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || /^-*procs\b/.test(line)) return; // group banner, plain or wide (-w: `--procs--`)
    const cells = line.split(/\s+/);
    if (cells[0] === 'r' && cells[1] === 'b') {
      columns = cells;
      // With -t the header ends with the zone name of the timestamps; UTC there settles the offset.
      const last = cells[cells.length - 1] ?? '';
      if (!/^(us|sy|id|wa|st|gu)$/.test(last)) {
        const first = clock.zone === null;
        clock.zone = last;
        if (utcNames.has(last.toUpperCase())) {
          if (options.utcOffsetHours !== 0 && first) warnings.push(`vmstat timestamps are ${last}: ignoring --utc-offset ${options.utcOffsetHours}`);
          clock.utcOffsetHours = 0;
        }
      }
      return;
    }
    if (!columns) return void warnings.push(`line ${index + 1}: data before any vmstat header, skipped`);
    const cols: string[] = columns;
    const timed = clock.zone !== null;
    // A timed row carries two extra cells (date and time) for the one zone-name column.
    const expected = timed ? cols.length + 1 : cols.length;
    if (cells.length !== expected || !cells.slice(0, timed ? -2 : undefined).every((c) => num(c) !== null)) {
      return void warnings.push(`line ${index + 1}: not a vmstat row (${cells.length} fields), skipped`);
    }
    if (!seenData) {
      seenData = true;
      if (!options.noFirstRow) return; // since-boot average, not an interval
    }
    const at = (name: string) => num(cells[cols.indexOf(name)]);
    const t = timed ? localToUnix(cells[cells.length - 2] ?? '', cells[cells.length - 1] ?? '', clock.utcOffsetHours) : null;
    if (timed && t === null) warnings.push(`line ${index + 1}: unreadable timestamp`);
    samples.push({ t, us: at('us'), sy: at('sy'), id: at('id'), wa: at('wa'), st: at('st'), r: at('r'), freeKiB: at('free') });
  });
  if (samples.length === 0) warnings.push('no vmstat samples found');
  return { samples, warnings, clock };
}
