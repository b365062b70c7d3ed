// One line of the suite's table, built from assertions: a fault passes when every check held.
export interface FaultRow {
  fault: string;
  expected: string;
  observed: string;
  stepsLost: string;
  dataLost: string;
  pass: boolean | 'skipped';
  failures: string[];
  seconds: number;
}

export class Checks {
  readonly failures: string[] = [];
  that(ok: boolean, what: string): boolean {
    if (!ok) this.failures.push(what);
    return ok;
  }
}

export function renderTable(rows: readonly FaultRow[]): string {
  const head = ['fault', 'expected', 'observed', 'steps lost', 'data lost', 'pass'];
  const body = rows.map((r) => [r.fault, r.expected, r.observed, r.stepsLost, r.dataLost, r.pass === 'skipped' ? 'skipped' : r.pass ? 'yes' : 'NO']);
  const esc = (c: string) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.map(esc).join(' | ')} |`);
  const failures = rows.flatMap((r) => r.failures.map((f) => `  ${r.fault}: ${f}`));
  return [...lines, ...(failures.length ? ['', 'failed checks:', ...failures] : [])].join('\n') + '\n';
}

export function summaryLine(rows: readonly FaultRow[]): string {
  const passed = rows.filter((r) => r.pass === true).length;
  const failed = rows.filter((r) => r.pass === false).length;
  const skipped = rows.filter((r) => r.pass === 'skipped').length;
  return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
