// Failure classifier: the log tail (plus Slurm state, exit code, stall time and steps when known) -> one kind with
// its evidence lines and advice. Rules run in root-cause order: resource and communication errors explain the
// tracebacks and Slurm endings that follow them; a traceback explains a cancellation that follows it, unless the
// exception itself is the stop signal.
import { ADVICE } from './advice.ts';
import { prepare } from './lines.ts';
import { cpuOom, cudaOom, hfAuth, missingFiles } from './rules-resources.ts';
import { ncclError, ncclTimeout, networkFailure } from './rules-comm.ts';
import { SIGNAL_TYPES, pythonException } from './rules-python.ts';
import { slurmEnding } from './rules-slurm.ts';
import { hang, lossSpike, nanLoss } from './rules-training.ts';
import type { Diagnosis, FailureInput, Finding } from './types.ts';

export type { Diagnosis, Evidence, FailureInput, FailureKind } from './types.ts';
export { ADVICE } from './advice.ts';
export { PEER_LOST } from './rules-comm.ts';

export function classifyFailure(input: FailureInput): Diagnosis {
  const lines = prepare(input.tail, input.tailStartLine ?? 1);
  const steps = input.steps ?? [];
  const py = pythonException(lines);
  const pyIsSignal = py?.details.type !== undefined && SIGNAL_TYPES.test(String(py.details.type));
  const slurm = slurmEnding(lines, input);
  const ordered: (Finding | undefined)[] = [
    cudaOom(lines),
    cpuOom(lines, input),
    missingFiles(lines),
    hfAuth(lines),
    ncclTimeout(lines),
    ncclError(lines),
    networkFailure(lines, input.nodes),
    nanLoss(lines, steps),
    pyIsSignal ? undefined : py,
    slurm,
    pyIsSignal ? py : undefined,
    hang(lines, input),
    lossSpike(steps),
  ];
  // An error the training logged steps after was not fatal (a caught exception, a retried download): only when the
  // evidence and the steps share the file's line numbering (tailStartLine given) can that be told.
  const lastStepLine = input.tailStartLine !== undefined ? steps[steps.length - 1]?.line : undefined;
  const TEXT_ERRORS = new Set(['cuda_oom', 'cpu_oom', 'missing_dataset', 'missing_tokenizer', 'hf_auth', 'nccl_error', 'network', 'python_exception']);
  const fatal = (f: Finding) =>
    lastStepLine === undefined || !TEXT_ERRORS.has(f.kind) || f.evidence.length === 0 || f.evidence.some((e) => e.line >= lastStepLine);
  const found = ordered.filter((f): f is Finding => f !== undefined && fatal(f));
  const top = found[0];
  if (!top) {
    const failedExit = input.exitCode !== undefined && input.exitCode !== 0;
    return {
      kind: 'unknown',
      summary: failedExit ? `exit code ${input.exitCode} without a known failure signature` : 'no failure signature found',
      evidence: lines.slice(-3).map((l) => ({ line: l.line, text: l.text.slice(0, 300) })),
      advice: ADVICE.unknown,
      details: { ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}), ...(input.slurmState ? { slurmState: input.slurmState } : {}) },
      alsoSeen: [],
    };
  }
  const alsoSeen = [...new Set(found.slice(1).map((f) => f.kind))].filter((k) => k !== top.kind);
  return {
    kind: top.kind,
    summary: top.summary,
    evidence: top.evidence,
    advice: ADVICE[top.kind],
    details: { ...top.details, ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}) },
    alsoSeen,
  };
}
