import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findGpu, findModel, findRecipe, resolveRecipe } from '../../core/catalog/index.ts';
import { TrainbenchError } from '../../core/errors.ts';
import { defaultDataDir, loadCatalog } from './index.ts';

describe('the shipped catalog', () => {
  const c = loadCatalog();

  it('validates every data file and holds the seeds configurations', () => {
    expect(c.models.map((m) => m.name).sort()).toEqual(
      ['gpt3-175b', 'llama3-70b', 'llama3-8b', 'llama3.1-405b', 'llama3.1-70b', 'llama3.1-8b', 'llama3.2-1b'].sort(),
    );
    expect(c.gpus.map((g) => g.name).sort()).toEqual(['a100-40gb', 'a100-80gb', 'b200', 'cpu', 'gb200', 'h100-sxm', 'h200']);
    const bySeed = (s: string) => c.recipes.filter((r) => r.seed.startsWith(s)).length;
    expect([bySeed('000'), bySeed('001'), bySeed('002'), bySeed('003'), bySeed('004')]).toEqual([12, 10, 12, 1, 1]);
    expect(c.recipes.filter((r) => r.engine === 'workload').map((r) => r.id)).toEqual(
      expect.arrayContaining(['workload-mini-cpu', 'workload-mini-cpu-sft', 'workload-mini-cpu-lora']),
    );
  });

  it('is cached per directory', () => {
    expect(loadCatalog()).toBe(c);
    expect(loadCatalog(defaultDataDir())).toBe(c);
  });

  it('keeps the seed tables as printed, inconsistencies included', () => {
    const r = findRecipe(c, 'llama3-8b-sft-bf16-32gpu');
    expect(r.parallelism).toEqual({ tp: 1, pp: 1, cp: 1, ep: null, dp: 8, vp: null });
    expect(r.baseline).toEqual({ step_time_s: '1.33', tokens_per_s: '397184', mfu: '55.95%', days_1t: '29' });
    expect(findRecipe(c, 'llama3.1-70b-pretrain-fp8-64gpu').baseline?.mfu).toBeUndefined();
  });

  it('resolves a recipe: model, gpu, dp, grad accumulation, FLOPs and peak with their sources', () => {
    const r = resolveRecipe(c, 'gpt3-175b-pretrain-fp8-256gpu');
    expect(r.model.layers).toBe(96);
    expect(r.gpu.name).toBe('h100-sxm');
    expect([r.nodes, r.dp, r.gradAccum, r.gbs]).toEqual([32, 8, 64, 512]);
    expect(r.flopsPerSample).toBe(2.2e15);
    expect(r.flopsSource).toBe('published');
    expect(r.peakFlopsPerGpu).toBe(1979e12);
    const mini = resolveRecipe(c, 'workload-mini-cpu');
    expect(mini.model).toMatchObject({ layers: 2, hidden: 256, ffn: 896, heads: 4, kv_heads: 1, vocab: 8192 });
    expect(mini.model.params).toBe(5_899_520);
    expect([mini.dp, mini.gradAccum, mini.flopsSource, mini.peakFlopsPerGpu]).toEqual([2, 2, 'formula', null]);
  });

  it('finds by alias, case-insensitively, and suggests on unknown names (usage error)', () => {
    expect(findGpu(c, 'H100').name).toBe('h100-sxm');
    expect(findModel(c, 'meta-llama/Meta-Llama-3-8B').name).toBe('llama3-8b');
    for (const [fn, name, want] of [
      [() => findModel(c, 'llama3-8'), 'llama3-8', 'llama3-8b'],
      [() => findGpu(c, 'h10-sxm'), 'h10-sxm', 'h100-sxm'],
      [() => findRecipe(c, 'llama3-8b-sft-bf16-8gpus'), 'x', 'llama3-8b-sft-bf16-8gpu'],
    ] as const) {
      try {
        fn();
        expect.unreachable(name);
      } catch (e) {
        expect(e).toBeInstanceOf(TrainbenchError);
        expect((e as TrainbenchError).exitCode).toBe(2);
        expect((e as TrainbenchError).message).toContain(`did you mean '${want}'`);
      }
    }
  });
});

describe('schema errors name the file, the field and what was found', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  /** A private copy of data/ with one file edited. */
  function broken(file: string, edit: (text: string) => string): string {
    dir = mkdtempSync(join(tmpdir(), 'tb-catalog-'));
    const data = join(dir, 'data');
    cpSync(defaultDataDir(), data, { recursive: true });
    const path = join(data, file);
    writeFileSync(path, edit(readFileSync(path, 'utf8')));
    return data;
  }

  function errorOf(dataDir: string): TrainbenchError {
    try {
      loadCatalog(dataDir);
    } catch (e) {
      expect(e).toBeInstanceOf(TrainbenchError);
      expect((e as TrainbenchError).kind).toBe('config');
      return e as TrainbenchError;
    }
    throw new Error('expected the catalog to be rejected');
  }

  const text = (e: TrainbenchError) => `${e.file}: ${e.field}: ${e.message}`;

  it('bad number', () => {
    const e = errorOf(broken('models/llama3-8b.yaml', (t) => t.replace('layers: 32', 'layers: -3')));
    expect(text(e)).toBe('data/models/llama3-8b.yaml: layers: expected a positive integer, got -3');
    expect(e.code).toBe('schema');
  });

  it('missing field', () => {
    const e = errorOf(broken('models/llama3-8b.yaml', (t) => t.replace(/^ffn: .*$/m, '')));
    expect(text(e)).toBe('data/models/llama3-8b.yaml: ffn: expected a positive integer, got nothing');
  });

  it('unknown field (typo)', () => {
    const e = errorOf(broken('models/llama3-8b.yaml', (t) => t.replace('layers: 32', 'layers: 32\nlayer: 32')));
    expect(text(e)).toBe("data/models/llama3-8b.yaml: (top level): unknown field 'layer'");
  });

  it('bad enum value', () => {
    const e = errorOf(broken('gpus/h100-sxm.yaml', (t) => t.replace('gpus_per_node: 8', 'gpus_per_node: 8.5')));
    expect(text(e)).toBe('data/gpus/h100-sxm.yaml: gpus_per_node: expected a positive integer, got 8.5');
    const e2 = errorOf(broken('recipes/workload-mini-cpu.yaml', (t) => t.replace('dtype: bf16', 'dtype: bf17')));
    expect(text(e2)).toBe('data/recipes/workload-mini-cpu.yaml: defaults.dtype: expected dtype bf16|fp8|tf32, got "bf17"');
  });

  it('sourced value without a number', () => {
    const e = errorOf(broken('gpus/h100-sxm.yaml', (t) => t.replace('bf16: { value: 989,', 'bf16: { value: "989",')));
    expect(text(e)).toBe('data/gpus/h100-sxm.yaml: peak_tflops.bf16.value: expected a positive number, got "989"');
  });

  it('printed figure that is not a number', () => {
    const e = errorOf(broken('recipes/llama3-8b-finetune.yaml', (t) => t.replace('mfu: "56.38%"', 'mfu: "about half"')));
    expect(e.file).toBe('data/recipes/llama3-8b-finetune.yaml');
    expect(e.field).toBe('recipes[0].baseline.mfu');
    expect(e.message).toMatch(/expected a printed figure.*got "about half"/);
  });

  it('unsupported schema_version', () => {
    const e = errorOf(broken('gpus/b200.yaml', (t) => t.replace('schema_version: 1', 'schema_version: 2')));
    expect(text(e)).toMatch(/^data\/gpus\/b200.yaml: schema_version: expected schema_version: 1 .*, got 2$/);
  });

  it('name that does not match its file', () => {
    const e = errorOf(broken('models/llama3-70b.yaml', (t) => t.replace('name: llama3-70b', 'name: llama3-71b')));
    expect(text(e)).toBe("data/models/llama3-70b.yaml: name: name 'llama3-71b' must match the file name 'llama3-70b'");
  });

  it('recipe naming an unknown model, with a suggestion', () => {
    const e = errorOf(broken('recipes/workload-mini-cpu.yaml', (t) => t.replace('model: llama3-8b', 'model: llama3-8c')));
    expect(e.code).toBe('unknown-model');
    expect(e.message).toContain("did you mean 'llama3-8b'");
  });

  it('duplicate recipe id', () => {
    const e = errorOf(broken('recipes/workload-mini-cpu.yaml', (t) => t.replace('id: workload-mini-cpu-sft', 'id: workload-mini-cpu')));
    expect(e.code).toBe('duplicate');
  });

  it('YAML syntax error', () => {
    const e = errorOf(broken('models/gpt3-175b.yaml', (t) => `${t}\n  bad: [unclosed\n`));
    expect(e.code).toBe('yaml');
    expect(e.file).toBe('data/models/gpt3-175b.yaml');
  });
});
