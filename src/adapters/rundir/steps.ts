// Counts training-step lines in a log without loading it (logs reach gigabytes): NeMo-2/workload
// (`train_step_timing in s:`), Megatron (`elapsed time per iteration`), torchtitan/nanoGPT (`step: N ... loss`).
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

const STEP_LINE = /train_step_timing|elapsed time per iteration|\bstep:?\s*\d+\b.*\bloss\b/;
const EVENT_LINE = /^TRAINBENCH_EVENT /; // the workload's JSON events mention steps too; they are not step lines

export function countStepLines(file: string): number {
  if (!existsSync(file)) return 0;
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let carry = '';
  let count = 0;
  const consider = (line: string) => {
    if (!EVENT_LINE.test(line) && STEP_LINE.test(line)) count++;
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const lines = (carry + buf.toString('utf8', 0, n)).split('\n');
      carry = lines.pop() ?? '';
      lines.forEach(consider);
    }
  } finally {
    closeSync(fd);
  }
  if (carry) consider(carry);
  return count;
}
