// End to end on this machine: the reference workload trains for real (PyTorch CPU) while vmstat is captured beside
// it, then the report joins the capture to the steps by wall-clock time.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reportInputFromLog } from '../ui/write-report.ts';
import { startTelemetry } from './capture.ts';

const TRAIN_PY = fileURLToPath(new URL('../../../workload/train.py', import.meta.url));

describe('telemetry captured beside a real training run', () => {
  it('joins vmstat samples to the workload steps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-e2e-telemetry-'));
    try {
      const config = join(dir, 'run.json');
      writeFileSync(config, JSON.stringify({ model: { layers: 2, hidden: 128, ffn: 320, heads: 4, kv_heads: 2, vocab: 512 }, seq_len: 64, micro_batch: 4, global_batch: 8, steps: 40, lr: 0.006, dtype: 'bf16', cpu_threads: 1 }));
      const capture = startTelemetry(dir, { gpu: true, host: 'node1' });
      const fd = openSync(join(dir, 'train.log'), 'w');
      const env = { ...process.env, RANK: '0', WORLD_SIZE: '1', LOCAL_RANK: '0', MASTER_ADDR: '127.0.0.1', MASTER_PORT: '29571' };
      const code = await new Promise<number | null>((resolve) => {
        spawn('/usr/bin/python3', [TRAIN_PY, '--config', config], { stdio: ['ignore', fd, 'inherit'], env }).on('exit', resolve);
      });
      closeSync(fd);
      // A vmstat row describes the second before it: keep sampling past the last step so that second is reported.
      await new Promise((r) => setTimeout(r, 1500));
      await capture.stop();
      expect(code).toBe(0);
      // vmstat -t prints this machine's local time; the offset below is the machine's own, as the CLI user would pass.
      const offset = -new Date().getTimezoneOffset() / 60;
      const { input, format, telemetryFiles } = await reportInputFromLog(dir, { utcOffsetHours: offset });
      expect(format).toBe('workload');
      expect(telemetryFiles.map((f) => f.kind)).toEqual(['vmstat']);
      expect(input.steps).toHaveLength(40);
      const joined = input.telemetry!.perStep.filter((s) => s.cpuSamples > 0);
      // ~0.1 s steps over a few seconds at one vmstat sample a second: most steps share a sample.
      expect(joined.length).toBeGreaterThan(20);
      expect(joined.every((s) => s.cpuUs !== null && s.cpuUs >= 0 && s.cpuUs <= 100)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
