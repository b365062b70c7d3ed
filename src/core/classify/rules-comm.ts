// NCCL: watchdog timeouts (a collective waited past its timeout: a hang or a dead rank) and NCCL errors.
import { cite, findAll } from './lines.ts';
import type { TailLine } from './lines.ts';
import type { Finding } from './types.ts';

const WATCHDOG = /Watchdog caught collective operation timeout: WorkNCCL\(SeqNum=(\d+), OpType=(\w+).*?Timeout\(ms\)=(\d+)\) ran for (\d+) milliseconds/;

export function ncclTimeout(lines: readonly TailLine[]): Finding | undefined {
  const hits = findAll(lines, WATCHDOG);
  const loose = hits.length ? hits : findAll(lines, /Watchdog caught collective operation timeout|NCCL timeout|ProcessGroupNCCL.*timed? ?out/i);
  if (!loose.length) return undefined;
  const m = hits[0]?.m;
  const ranks = new Set(loose.map((h) => /\[Rank (\d+)\]/.exec(h.l.text)?.[1]).filter(Boolean));
  const details: Record<string, string | number> = m
    ? { seqNum: Number(m[1]), opType: m[2]!, timeoutMs: Number(m[3]), ranForMs: Number(m[4]) }
    : {};
  if (ranks.size) details.ranks = [...ranks].join(',');
  return {
    kind: 'nccl_timeout',
    summary: m
      ? `NCCL watchdog: ${m[2]} (SeqNum ${m[1]}) ran ${(Number(m[4]) / 60000).toFixed(1)} min, timeout ${(Number(m[3]) / 60000).toFixed(1)} min`
      : 'NCCL watchdog timeout',
    evidence: loose.slice(0, 3).map((h) => cite(h.l, h.m.index)),
    details,
  };
}

const NCCL_ERROR = /NCCL error|nccl(?:Internal|System|Invalid\w*|UnhandledCuda|Remote)Error|NCCL WARN|DistBackendError|NCCL communicator was aborted/;

export function ncclError(lines: readonly TailLine[]): Finding | undefined {
  const hits = findAll(lines, NCCL_ERROR);
  if (!hits.length) return undefined;
  const kind = hits.map((h) => /nccl(\w+Error)/.exec(h.l.text)?.[0]).find(Boolean);
  return {
    kind: 'nccl_error',
    summary: `NCCL communication error${kind ? ` (${kind})` : ''}`,
    evidence: hits.slice(0, 4).map((h) => cite(h.l, h.m.index)),
    details: kind ? { ncclError: kind } : {},
  };
}

// gloo (CPU collectives, and torch.distributed's TCP store): a peer that stopped answering. The ranks that print it
// are the ones still alive; the silent ones are the other nodes of the job.
const GLOO = /gloo\/transport\/tcp\/[\w.]+:\d+\]\s*(Timed out waiting (\d+)ms for (recv|send) operation to complete|Connection closed by peer \[([^\]]+)\]|Connection reset by peer|Connection refused|No route to host)|The client socket has timed out after|Socket Timeout|connect\(\) timed out/;
const SRUN_TASK_ERROR = /^srun: error: (\S+): tasks? [\d,-]+: /;

export function networkFailure(lines: readonly TailLine[], nodes: readonly string[] = []): Finding | undefined {
  const hits = findAll(lines, GLOO);
  if (!hits.length) return undefined;
  const m = hits[0]!.m;
  const reportedBy = [...new Set(findAll(lines, SRUN_TASK_ERROR).map((h) => h.m[1]!))];
  const silent = reportedBy.length ? nodes.filter((n) => !reportedBy.includes(n)) : [];
  const details: Record<string, string | number> = { transport: 'gloo' };
  if (m[2]) Object.assign(details, { timeoutMs: Number(m[2]), operation: m[3]! });
  if (m[4]) details.peer = m[4];
  if (reportedBy.length) details.reportedBy = reportedBy.join(',');
  if (silent.length) details.silentNodes = silent.join(',');
  const what = m[2] ? `${m[3]} timed out after ${Number(m[2]) / 1000} s` : m[4] ? `connection to ${m[4]} closed` : 'a connection failed';
  return {
    kind: 'network',
    summary: `network failure between ranks (gloo): ${what}${silent.length ? `; silent: ${silent.join(', ')}` : ''}${reportedBy.length ? `; reported by ${reportedBy.join(', ')}` : ''}`,
    evidence: [...hits.slice(0, 2), ...findAll(lines, SRUN_TASK_ERROR).slice(0, 2)].map((h) => cite(h.l, h.m.index)),
    details,
  };
}

/** A rank that reports its peer vanished is a casualty, not the cause: the peer that vanished is. */
export const PEER_LOST = /Connection (?:reset|closed) by peer|Broken pipe|Socket closed|peer .*(?:closed|died)/i;
