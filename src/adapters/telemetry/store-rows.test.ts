// Telemetry of several nodes, as a Slurm job's batch script leaves it (`<node>-vmstat.txt` per node, the same
// seconds on every node): each node's samples are stored under that node, none lost to another node's key.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { captureNode, readTelemetryDir } from './read-dir.ts';
import { storeSamplesOf } from './store-rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'tb-tel-nodes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = join(import.meta.dirname, '../../../fixtures/telemetry/h200-host-vmstat-t.txt');

describe('telemetry of several nodes', () => {
  it('names the node of a capture from its file name', () => {
    expect(captureNode('node2-vmstat.txt')).toBe('node2');
    expect(captureNode('gpu-a-01-dmon.txt')).toBe('gpu-a-01');
    expect(captureNode('h200-host-vmstat-t.txt')).toBeNull();
  });

  it('stores every node\'s samples of the same seconds under its own node', () => {
    const tel = join(dir, 'telemetry');
    mkdirSync(tel);
    copyFileSync(fixture, join(tel, 'node1-vmstat.txt'));
    copyFileSync(fixture, join(tel, 'node2-vmstat.txt'));
    copyFileSync(fixture, join(tel, 'h200-host-vmstat-t.txt'));
    const read = readTelemetryDir(tel, 0);
    const perFile = read.byFile[0]!.cpu.length;
    expect(perFile).toBeGreaterThan(0);
    const rows = storeSamplesOf(read, 'here');
    expect(new Set(rows.map((r) => r.node))).toEqual(new Set(['node1', 'node2', 'here']));
    const store = openStore(join(dir, 'store.sqlite'), { env: {} });
    try {
      const run = store.createRun({ name: 'two nodes', state: 'COMPLETED' });
      expect(store.addTelemetry(run.id, rows)).toEqual({ inserted: 3 * perFile, duplicates: 0 });
      expect(store.countTelemetry(run.id)).toBe(3 * perFile);
    } finally {
      store.close();
    }
  });
});
