import { afterEach, describe, expect, it } from 'vitest';
import { tempStore } from './__tests__/temp-store.ts';
import type { TempStore } from './__tests__/temp-store.ts';
import { listSql } from './queries.ts';
import { RUN_STATES } from './types.ts';

let t: TempStore;
afterEach(() => t?.cleanup());

const models = ['llama3-8b', 'llama3-70b', 'gpt3-175b'];
const gpus = ['H100-SXM', 'A100-80GB'];

/** 3000 runs in one transaction, with a deterministic spread of models, GPUs, states and figures. */
function seed(store: TempStore['store'], n: number) {
  const created = Date.UTC(2026, 0, 1);
  store.importRuns(
    Array.from({ length: n }, (_, i) => ({
      run: {
        name: `run-${String(i).padStart(4, '0')}`,
        model: models[i % 3]!,
        gpu: gpus[i % 2]!,
        state: RUN_STATES[i % 4]!,
        createdAt: new Date(created + i * 60_000).toISOString(),
      },
      result: i % 10 === 0 ? undefined : { tokensPerS: 1000 + ((i * 7919) % 5000), mfu: 0.3 },
    })),
  );
}

describe('listRuns', () => {
  it('filters, sorts and paginates over thousands of runs', () => {
    t = tempStore();
    seed(t.store, 3000);
    expect(t.store.countRuns()).toBe(3000);
    expect(t.store.countRuns({ model: 'LLAMA3-8B' })).toBe(1000);
    expect(t.store.countRuns({ model: 'llama3-8b', gpu: 'h100-sxm' })).toBe(500);
    expect(t.store.countRuns({ state: 'COMPLETED' })).toBe(750);
    expect(t.store.countRuns({ name: 'run-29' })).toBe(100);

    const newest = t.store.listRuns({ limit: 3 });
    expect(newest.map((r) => r.name)).toEqual(['run-2999', 'run-2998', 'run-2997']);
    const page2 = t.store.listRuns({ limit: 3, offset: 3 });
    expect(page2.map((r) => r.name)).toEqual(['run-2996', 'run-2995', 'run-2994']);

    const fastest = t.store.listRuns({ sort: '-tokens-per-s', limit: 5 });
    const rates = fastest.map((r) => r.tokensPerS!);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    // Runs without a result sort last in both directions.
    const slowest = t.store.listRuns({ sort: 'tokens-per-s', limit: 3000 });
    expect(slowest.at(-1)!.tokensPerS).toBeNull();
    expect(slowest[0]!.tokensPerS).not.toBeNull();
  });

  it('uses an index for filtered listings', async () => {
    t = tempStore();
    // The query plan is read through a second connection on the same file.
    const { default: Database } = await import('better-sqlite3');
    const conn = new Database(t.file, { readonly: true });
    const explain = (options: Parameters<typeof listSql>[0]) => {
      const { sql, params } = listSql(options);
      return (conn.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((p) => p.detail).join('\n');
    };
    expect(explain({ model: 'llama3-8b' })).toMatch(/USING INDEX runs_model/);
    expect(explain({ state: 'FAILED', sort: '-created' })).toMatch(/USING INDEX runs_state/);
    expect(explain({})).toMatch(/USING INDEX runs_created/);
    expect(explain({ sort: '-tokens-per-s' })).toMatch(/USING INDEX runs_tokens/);
    conn.close();
  });

  it('rejects an unknown sort field with a suggestion', () => {
    t = tempStore();
    expect(() => t.store.listRuns({ sort: 'mfuu' })).toThrow(/unknown sort field 'mfuu'/);
  });

  it('treats LIKE wildcards in a name filter literally', () => {
    t = tempStore();
    t.store.createRun({ name: '100%_done' });
    t.store.createRun({ name: '100 done' });
    expect(t.store.countRuns({ name: '%_' })).toBe(1);
  });
});

describe('exportCsv', () => {
  it('writes one quoted row per run', () => {
    t = tempStore();
    t.store.createRun({ name: 'a, "quoted" name', model: 'llama3-8b', reason: 'line1\nline2' });
    const csv = t.store.exportCsv();
    const [header, ...rest] = csv.trimEnd().split('\n');
    expect(header).toMatch(/^id,name,state,model,gpu,/);
    expect(rest.join('\n')).toContain('"a, ""quoted"" name",PENDING,llama3-8b');
    expect(rest.join('\n')).toContain('"line1\nline2"');
  });
});
