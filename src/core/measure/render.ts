// The seeds' table shape (rows: step time, tokens/s, MFU, days to train) with the assumptions printed under it.
import type { Result } from './summarize.ts';

export function formatStepTime(s: number): string {
  return s.toFixed(s < 1 ? 4 : s < 10 ? 3 : 2);
}

function tokensLabel(tokens: number): string {
  for (const [unit, v] of [['T', 1e12], ['B', 1e9], ['M', 1e6]] as const) {
    if (tokens >= v && Number.isInteger(tokens / v)) return `${tokens / v}${unit}`;
  }
  return tokens.toExponential(2);
}

export function renderResultTable(result: Result, column = 'Measured'): string {
  const dash = '-';
  const rows: [string, string][] = [
    ['Training step time (seconds per step)', result.stepTime ? formatStepTime(result.stepTime.meanS) : dash],
    ['Throughput in tokens per second', result.tokensPerS === undefined ? dash : Math.round(result.tokensPerS).toString()],
    ['Model flops utilization', result.mfu === undefined ? dash : `${(result.mfu * 100).toFixed(2)}%`],
    [`Time to train ${tokensLabel(result.totalTokens)} tokens in days`, result.daysToTrain === undefined ? dash : result.daysToTrain.toFixed(2)],
  ];
  const lines = [`| Metric | ${column} |`, '|---|:---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)];
  const st = result.stepTime;
  if (st) {
    lines.push('', `step time over ${st.n} records (${st.stepsCovered} steps): mean ${formatStepTime(st.meanS)} s, median ${formatStepTime(st.medianS)}, min ${formatStepTime(st.minS)}, max ${formatStepTime(st.maxS)}, p95 ${formatStepTime(st.p95S)}`);
  }
  lines.push('', 'Assumptions:', ...result.assumptions.map((a) => `  - ${a}`));
  if (result.missing.length) lines.push('Not computed:', ...result.missing.map((m) => `  - ${m}`));
  return lines.join('\n') + '\n';
}
