// Real fixtures through the real parsers into the store: a Megatron log, an H200 dmon capture and a vmstat capture.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findParser, parseLines } from '../../core/ingest/index.ts';
import { parseDmon, parseVmstat } from '../../core/telemetry/index.ts';
import { tempStore } from './__tests__/temp-store.ts';
import type { TempStore } from './__tests__/temp-store.ts';
import { stepsFromRecords, telemetryFromCpu, telemetryFromGpu } from './from-parsed.ts';

const fixtures = join(import.meta.dirname, '../../../fixtures');
const read = (path: string) => readFileSync(join(fixtures, path), 'utf8');

let t: TempStore;
afterEach(() => t?.cleanup());

describe('importing parsed fixtures', () => {
  it('stores a real Megatron log and real telemetry once, however often they are ingested', () => {
    t = tempStore();
    const parsed = parseLines(findParser('megatron')!, read('logs/megatron/fixstars-mdk-gpt3-7b-1node.log').split('\n'));
    expect(parsed.steps.length).toBeGreaterThan(0);
    const gpu = telemetryFromGpu(parseDmon(read('telemetry/h200-dmon-pucvmet-DT.txt'), { utcOffsetHours: 0 }).samples, 'h200');
    const cpu = telemetryFromCpu(parseVmstat(read('telemetry/h200-host-vmstat-t.txt'), { utcOffsetHours: 0 }).samples, 'h200');
    expect(gpu.length).toBeGreaterThan(0);
    expect(cpu.length).toBeGreaterThan(0);

    const run = t.store.importRun({
      run: { name: 'fixstars gpt3-7b', model: 'gpt3-7b', engine: 'megatron', sourceLog: 'fixstars-mdk-gpt3-7b-1node.log' },
      steps: stepsFromRecords(parsed.steps),
      telemetry: [...gpu, ...cpu],
    });
    const stored = t.store.getSteps(run.id);
    expect(stored).toHaveLength(parsed.steps.length);
    expect(stored[0]!.timeS).toBe(parsed.steps[0]!.stepTimeS ?? null);
    expect(t.store.countTelemetry(run.id)).toBe(gpu.length + cpu.length);

    expect(t.store.appendSteps(run.id, stepsFromRecords(parsed.steps))).toMatchObject({ inserted: 0, conflicts: [] });
    expect(t.store.addTelemetry(run.id, [...gpu, ...cpu]).inserted).toBe(0);
    expect(t.store.countSteps(run.id)).toBe(parsed.steps.length);
  });
});
