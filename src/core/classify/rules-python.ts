// Python tracebacks (first one wins: later ones are usually other ranks or consequences) and the torch elastic
// ChildFailedError summary, whose `Root Cause (first observed failure)` block names the rank that failed first.
import { cite } from './lines.ts';
import type { TailLine } from './lines.ts';
import type { Evidence, Finding } from './types.ts';

const EXCEPTION = /^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Failure|Fault)|[A-Za-z_][\w.]*\.[A-Z]\w*)(?::\s?(.*))?$/;

/** Exception types that mean "the process was told to stop", not "the code failed". */
export const SIGNAL_TYPES = /SignalException|KeyboardInterrupt|SystemExit/;

function rootCause(lines: readonly TailLine[]): { evidence: Evidence[]; details: Record<string, string | number> } | undefined {
  const at = lines.findIndex((l) => l.text.includes('Root Cause (first observed failure):'));
  if (at < 0) return undefined;
  const details: Record<string, string | number> = {};
  const evidence: Evidence[] = [cite(lines[at]!)];
  for (const l of lines.slice(at + 1, at + 9)) {
    const m = /^\s+(time|host|rank|exitcode|error_file)\s*:\s*(.*)$/.exec(l.text);
    if (!m) continue;
    details[`rootCause.${m[1]}`] = m[2]!.trim();
    if (m[1] === 'rank' || m[1] === 'exitcode') evidence.push(cite(l));
  }
  return { evidence, details };
}

export function pythonException(lines: readonly TailLine[]): Finding | undefined {
  const tb = lines.findIndex((l) => l.text.includes('Traceback (most recent call last):'));
  let exc: { l: TailLine; type: string; message: string } | undefined;
  let frame: TailLine | undefined;
  for (const l of lines.slice(tb < 0 ? 0 : tb + 1)) {
    if (/^\s+File "/.test(l.text)) frame = l;
    const m = EXCEPTION.exec(l.text.trim());
    if (m && !/^\s/.test(l.text) && (tb >= 0 || /Error|Exception/.test(m[1]!))) {
      exc = { l, type: m[1]!, message: (m[2] ?? '').trim() };
      break;
    }
  }
  const root = rootCause(lines);
  if (!exc && !root && tb < 0) return undefined;
  const evidence: Evidence[] = [];
  const details: Record<string, string | number> = {};
  if (tb >= 0) evidence.push(cite(lines[tb]!));
  if (frame) evidence.push(cite(frame));
  if (exc) {
    evidence.push(cite(exc.l));
    details.type = exc.type;
    if (exc.message) details.message = exc.message.slice(0, 300);
  }
  if (root) {
    evidence.push(...root.evidence);
    Object.assign(details, root.details);
  }
  const where = root ? ` (first failure: rank ${String(details['rootCause.rank'] ?? '?').split(' ')[0]}, exit ${String(details['rootCause.exitcode'] ?? '?').split(' ')[0]})` : '';
  return {
    kind: 'python_exception',
    summary: exc ? `${exc.type}${exc.message ? `: ${exc.message.slice(0, 160)}` : ''}${where}` : `a training process failed${where}`,
    evidence,
    details,
  };
}
