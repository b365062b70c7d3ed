// What `trainbench parse` prints: the file and format, line counts, the step range, the seeds' table with its
// assumptions, and the diagnosis when the run failed. Plus its --json document.
import { renderDeviceTiming, renderResultTable } from '../../core/measure/index.ts';
import type { MeasuredLog } from './measure-log.ts';

export function renderParse(m: MeasuredLog): string {
  const { parsed, result, diagnosis } = m;
  const o = parsed.output;
  const first = o.steps[0];
  const last = o.steps[o.steps.length - 1];
  const how = parsed.how === 'forced' ? 'given with --format' : parsed.how === 'detected' ? `detected, confidence ${parsed.confidence}` : 'best of all parsers';
  const lines = [
    `file:    ${parsed.file}${parsed.choice ? `  (${parsed.choice.reason})` : ''}`,
    `format:  ${parsed.format} (${how})`,
    `lines:   ${o.lines.total} total, ${o.lines.parsed} parsed, ${o.lines.unparsed} unparsed${parsed.cutLines ? `, ${parsed.cutLines} over-long lines cut` : ''}`,
    `steps:   ${o.steps.length}${first && last ? ` (step ${first.step} .. ${last.step})` : ''}${o.restarts.length ? `, ${o.restarts.length} restart(s)` : ''}${o.skippedSteps ? `, ${o.skippedSteps} skipped iterations` : ''}`,
  ];
  const facts = Object.entries(o.header).map(([k, v]) => `${k}=${v}`);
  if (facts.length) lines.push(`log says: ${facts.join(', ')}`);
  lines.push('', renderResultTable(result, result.window.description).trimEnd());
  if (m.deviceTiming) lines.push('', renderDeviceTiming(m.deviceTiming));
  for (const w of o.warnings) lines.push(`warning: ${w}`);
  if (diagnosis.kind !== 'unknown') {
    lines.push('', `diagnosis: ${diagnosis.kind}: ${diagnosis.summary}`);
    for (const e of diagnosis.evidence) lines.push(`  line ${e.line}: ${e.text}`);
    if (diagnosis.alsoSeen.length) lines.push(`  also seen: ${diagnosis.alsoSeen.join(', ')}`);
    lines.push(`  advice: ${diagnosis.advice}`);
  }
  return lines.join('\n') + '\n';
}

export function parseJson(m: MeasuredLog, withSteps: boolean) {
  const { parsed, result, diagnosis } = m;
  const { steps, ...rest } = parsed.output;
  return {
    file: parsed.file,
    ...(parsed.choice ? { choice: parsed.choice } : {}),
    detection: { how: parsed.how, confidence: parsed.confidence },
    bytes: parsed.bytes,
    ...rest,
    stepCount: steps.length,
    firstStep: steps[0]?.step ?? null,
    lastStep: steps[steps.length - 1]?.step ?? null,
    ...(withSteps ? { steps } : {}),
    result,
    ...(m.deviceTiming ? { deviceTiming: m.deviceTiming } : {}),
    diagnosis,
  };
}
