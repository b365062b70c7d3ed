// dmon `-o DT` and `vmstat -t` print LOCAL wall-clock time without an offset. We convert with an explicit
// UTC offset (hours, local = UTC + offset) that the caller supplies and the report records.

const numeric = (s: string): number[] | null => {
  const parts = s.split(/[-/:.]/).map(Number);
  return parts.every((n) => Number.isFinite(n)) ? parts : null;
};

/** Parses a date (`YYYYMMDD`, `YYYY-MM-DD` or `YYYY/MM/DD`) and a time (`HH:MM:SS[.mmm]`) into unix seconds. */
export function localToUnix(date: string, time: string, utcOffsetHours: number): number | null {
  const d = /^\d{8}$/.test(date) ? [Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6, 8))] : numeric(date);
  const hms = /^\d{1,2}:\d{2}:\d{2}(\.\d+)?$/.test(time) ? time.split(':').map(Number) : null;
  if (!d || d.length !== 3 || !hms) return null;
  const [y, mo, da] = d as [number, number, number];
  const [h, mi, s] = hms as [number, number, number];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s >= 61) return null;
  const ms = Date.UTC(y, mo - 1, da, h, mi, 0) + Math.round(s * 1000);
  return ms / 1000 - utcOffsetHours * 3600;
}

/** Seconds since local midnight for a bare `HH:MM:SS` (dmon `-o T`), or null. */
export function timeOfDay(time: string): number | null {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(time);
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

/** Formats unix seconds as local `YYYYMMDD` at the given offset: the date a time-only capture belongs to. */
export function localDate(unixS: number, utcOffsetHours: number): string {
  return new Date((unixS + utcOffsetHours * 3600) * 1000).toISOString().slice(0, 10).replaceAll('-', '');
}
