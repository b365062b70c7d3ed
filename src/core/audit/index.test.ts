import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../adapters/catalog/index.ts';
import { buildCatalog } from '../catalog/index.ts';
import type { Catalog } from '../catalog/index.ts';
import { runAudit } from './index.ts';

const catalog = loadCatalog();
const report = runAudit(catalog);
const key = (r: { source: string; subject: string; check: string; published: string; computed: string }) =>
  `${r.source.slice(0, 3)} ${r.subject} | ${r.check} | published ${r.published} | computed ${r.computed}`;

describe('audit of the shipped catalog', () => {
  it('finds exactly these inconsistencies in the seeds', () => {
    const mismatches = report.rows.filter((r) => r.verdict === 'MISMATCH').map(key);
    expect(mismatches).toEqual([
      '000 llama3-8b @ seq 4096 | published model FLOPs per sample vs the formula | published 1.84E+14 | computed 2.108E+14',
      '000 llama3-8b-sft-bf16-16gpu | world size = tp * pp * cp * dp (NA = 1) | published 16 GPUs | computed 8',
      '000 llama3-8b-sft-bf16-32gpu | tokens/s = seq_len * gbs / step time | published 397184 | computed 394201.5',
      '000 llama3-8b-sft-bf16-32gpu | world size = tp * pp * cp * dp (NA = 1) | published 32 GPUs | computed 8',
      '000 llama3-8b-sft-fp8-16gpu | world size = tp * pp * cp * dp (NA = 1) | published 16 GPUs | computed 8',
      '000 llama3-8b-sft-fp8-32gpu | world size = tp * pp * cp * dp (NA = 1) | published 32 GPUs | computed 8',
      '000 llama3-8b-lora-bf16-16gpu | tokens/s = seq_len * gbs / step time | published 284939 | computed 283705.6',
      '000 llama3-8b-lora-bf16-16gpu | days to train 1T tokens = 1e12 / tokens/s / 86400 | published 40.5 | computed 40.62',
      '000 llama3-8b-lora-bf16-16gpu | world size = tp * pp * cp * dp (NA = 1) | published 16 GPUs | computed 8',
      '000 llama3-8b-lora-bf16-32gpu | world size = tp * pp * cp * dp (NA = 1) | published 32 GPUs | computed 8',
      '000 llama3-8b-lora-fp8-16gpu | world size = tp * pp * cp * dp (NA = 1) | published 16 GPUs | computed 8',
      '000 llama3-8b-lora-fp8-32gpu | tokens/s = seq_len * gbs / step time | published 771011 | computed 759837.7',
      '000 llama3-8b-lora-fp8-32gpu | world size = tp * pp * cp * dp (NA = 1) | published 32 GPUs | computed 8',
      '000 llama3-8b-lora-bf16-16gpu-log | log consumed_samples is a whole number of gbs steps | published consumed_samples 3168 | computed 49.5 steps of gbs 64',
      "000 llama3-8b-tokens-per-s-example | example's seq_len vs the recipe it names | published seq_len 4096 | computed 8192",
      "000 llama3-8b-tokens-per-s-example | example's gbs vs the recipe it names | published gbs 64 | computed 128",
      '001 gpt3-175b-fp8-128gpu-log | log consumed_samples = global_step (or +1) * gbs | published consumed_samples 76800 | computed 12800 or 13056 (gbs 256)',
      "001 gpt3-175b-tokens-per-s-example | example's step time vs the log line it quotes | published 5.900 | computed 5.8",
      '002 llama3.1-70b-pretrain-bf16-2048gpu | tokens/s = seq_len * gbs / step time | published 2248957 | computed 2239948.7',
      '002 llama3.1-70b-pretrain-bf16-2048gpu | MFU = gbs * model flops / step time / GPUs / peak | published 53.38% | computed 53.189%',
      "002 llama3.1-70b-log | log progress total = the recipe's step count | published 50 steps | computed 100",
      "002 llama3.1-70b-tokens-per-s-example | example's step time vs the log line it quotes | published 11.20 | computed 11.31",
      "002 llama3.1-70b-mfu-example | example's step time vs the log line it quotes | published 11.20 | computed 11.31",
      '002 llama3.1-70b-model-flops | worked example: model flops = 8129 * (136,902,082,560 + 338,228,674,560 + 6,304,038,912) = 3.94E+15 | published 3.94E+15 | computed 3.914E+15',
      "002 llama3.1-70b-model-flops | example's seq_len vs the recipe it names | published seq_len 8192 | computed 8129",
      '003 llama3-70b-lf-epoch-hours | worked example: As you can see the expected duration for running a single epoch is around 17 hours. | published 17 | computed 5.8',
      '003 llama3-70b-lf-three-epoch-hours | worked example: Three epochs would therefore run for over 50 hours | published >50 | computed 17.4',
    ]);
    expect(report.summary.mismatches).toBe(27);
  });

  it('recomputes every derived table cell of every seed table (96 cells)', () => {
    const cells = report.rows.filter((r) => /^(tokens\/s|days to train|MFU)/.test(r.check) && r.source !== 'embedded-default');
    // seed 000: 12 configs x 3; 001: 10 x 3; 002: 6 BF16 x 3 + 6 FP8 x 2 (its FP8 table prints no MFU); 004: MFU
    expect(cells.length).toBe(36 + 30 + 18 + 12 + 1);
    const tableRecipes = catalog.recipes.filter((r) => r.baseline?.tokens_per_s && r.seed !== 'embedded-default');
    for (const r of tableRecipes) {
      const checks = cells.filter((c) => c.subject === r.id).map((c) => c.check.split(' ')[0]);
      expect(checks, r.id).toEqual(r.baseline?.mfu ? ['tokens/s', 'days', 'MFU'] : ['tokens/s', 'days']);
    }
  });

  it('accepts pure print rounding and says so', () => {
    const lenient = report.rows.filter((r) => r.rule === 'input-precision').map((r) => `${r.subject} ${r.published}`);
    expect(lenient).toEqual([
      'llama3-8b-sft-fp8-8gpu 39.16%', // 32*1.84E+14/0.95/8/1979e12 = 39.148%; a step of 0.9497 s gives 39.16%
      'llama3.1-70b-pretrain-bf16-64gpu 54.10%', // peak 989.5 (the datasheet's 1979/2), printed "989"
      'llama3.1-70b-pretrain-bf16-128gpu 54.06%',
      'llama3.1-70b-pretrain-bf16-256gpu 53.81%',
      'llama3.1-70b-pretrain-bf16-512gpu 53.48%',
      'llama3.1-70b-pretrain-bf16-1024gpu 53.38%',
      'llama3-70b-lf-eta-1 16:35:57', // 20 * 2987.90 = 59758 exactly; tqdm's unrounded rate truncates to 59757
      'workload-llama3.2-1b-h200 59321', // 16384 / 0.2762 = 59319.3; the measured mean step, 0.27619 s, gives 59321
    ]);
  });

  it('checks trainbench\'s own GPU baselines (bench/gpu/RESULTS.md) like a seed\'s table', () => {
    const own = report.rows.filter((r) => r.subject.includes('-h200') && /^(tokens\/s|days to train)/.test(r.check));
    expect(own.map((r) => `${r.subject} ${r.check.split(' ')[0]} ${r.verdict}`)).toEqual([
      'workload-llama3-8b-h200 tokens/s ok',
      'workload-llama3-8b-h200 days ok',
      'workload-llama3-8b-h200-gbs1 tokens/s ok',
      'workload-llama3-8b-h200-gbs1 days ok',
      'workload-llama3.2-1b-h200 tokens/s ok',
      'workload-llama3.2-1b-h200 days ok',
    ]);
  });

  it('reproduces the worked examples of every seed', () => {
    const worked = report.rows.filter((r) => r.check.startsWith('worked example'));
    expect(worked.length).toBe(catalog.examples.length);
    const bySeed: Record<string, number> = {};
    for (const r of worked) bySeed[r.source.slice(0, 3)] = (bySeed[r.source.slice(0, 3)] ?? 0) + 1;
    expect(bySeed).toEqual({ '000': 3, '001': 7, '002': 7, '003': 9, '004': 6 });
  });

  it('every row carries the numbers it used', () => {
    for (const r of report.rows) {
      expect(r.detail.length, `${r.subject} ${r.check}`).toBeGreaterThan(0);
      expect(['ok', 'MISMATCH']).toContain(r.verdict);
    }
  });
});

describe('verdicts come from the checks, not from a list', () => {
  /** The shipped catalog with one recipe edited (the audit must follow the data). */
  function edited(id: string, patch: Record<string, unknown>): Catalog {
    const recipes = catalog.recipes.map((r) => (r.id === id ? { ...r, ...patch } : r));
    return { ...catalog, recipes };
  }

  it('fixing the DP column clears the world-size mismatch', () => {
    const c = edited('llama3-8b-sft-bf16-16gpu', { parallelism: { tp: 1, pp: 1, cp: 1, ep: null, dp: 16, vp: null } });
    const rows = runAudit(c).rows.filter((r) => r.subject === 'llama3-8b-sft-bf16-16gpu' && r.check.startsWith('world size'));
    expect(rows.map((r) => r.verdict)).toEqual(['ok']);
  });

  it('a wrong table cell is caught', () => {
    const r0 = catalog.recipes.find((r) => r.id === 'gpt3-175b-pretrain-bf16-128gpu')!;
    const c = edited(r0.id, { baseline: { ...r0.baseline, tokens_per_s: '58943' } });
    const row = runAudit(c).rows.find((r) => r.subject === r0.id && r.check.startsWith('tokens/s'))!;
    expect([row.verdict, row.computed]).toEqual(['MISMATCH', '58842.6']);
  });

  it('buildCatalog output is all the audit needs (pure)', () => {
    expect(typeof buildCatalog).toBe('function');
    expect(runAudit({ models: [], gpus: [], recipes: [], logs: [], examples: [] }).summary).toEqual({ checks: 0, ok: 0, okWithinInputPrecision: 0, mismatches: 0 });
  });
});
