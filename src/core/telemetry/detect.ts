// Recognises a telemetry capture by its content (file names vary between clusters and scripts).
export type TelemetryKind = 'dmon' | 'vmstat' | 'query-gpu';

export function detectTelemetry(text: string): TelemetryKind | null {
  const head = text.split(/\r?\n/).slice(0, 5).join('\n');
  if (/^#\s*(Date|Time|gpu)\b/m.test(head)) return 'dmon';
  if (/^procs\b|^\s*r\s+b\s+swpd\b/m.test(head)) return 'vmstat';
  if (/^(timestamp|index|name|utilization\.gpu)\b.*,/m.test(head)) return 'query-gpu';
  return null;
}
