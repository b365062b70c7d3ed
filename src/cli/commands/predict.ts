// `trainbench predict FILE`: step time, throughput, MFU and memory for each plan in a JSON/JSONL file. Bad rows are
// rejected one by one with field-level messages; the others are still predicted; exit 3 if any row was rejected.
import { EXIT, inputError } from '../../core/errors.ts';
import type { RegisterCommand } from './registry.ts';

export const registerPredict: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('predict')
    .description('predict step time, tokens/s, MFU and memory per GPU for each plan in FILE (JSON array/object or JSONL)')
    .argument('<file>', 'rows: model (name or inline layers/hidden/ffn/heads/kv_heads/vocab), gpu, num_gpus, dtype, seq_len, gbs, mbs, tp, pp, vp, cp, ep, dp, recompute, task')
    .option('--json', 'one JSON document {predictions, rejected} instead of one JSON line per row')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { readFileSync } = await import('node:fs');
      const { resolve } = await import('node:path');
      const core = await import('../../core/plan/index.ts');
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const path = resolve(ctx.cwd, file);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        throw inputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
          code: 'unreadable-input',
          file,
          hint: 'pass a JSON or JSONL file of plans',
        });
      }
      const catalog = loadCatalog();
      const lookups = {
        model: (name: string) => core.resolveModel(catalog, name),
        gpu: (name: string, row: { gpus_per_node?: number | undefined; network_gbps?: number | undefined; memory_gib?: number | undefined }) =>
          core.withOverrides(core.resolveGpu(catalog, name), {
            ...(row.gpus_per_node !== undefined ? { gpusPerNode: row.gpus_per_node } : {}),
            ...(row.network_gbps !== undefined ? { networkGBps: row.network_gbps } : {}),
            ...(row.memory_gib !== undefined ? { memoryGiB: row.memory_gib } : {}),
          }),
      };
      const predictions: unknown[] = [];
      const rejected: Array<{ row: number; issues: Array<{ field: string; message: string }> }> = [];
      for (const entry of core.splitRows(text)) {
        const resolved = entry.error
          ? { ok: false as const, issues: [{ field: '(row)', message: entry.error }] }
          : core.resolvePredictRow(entry.value, lookups);
        if (!resolved.ok) {
          rejected.push({ row: entry.line, issues: resolved.issues });
          for (const i of resolved.issues) ctx.io.err(`${file}: row ${entry.line}: ${i.field}: ${i.message}\n`);
          if (!opts.json) ctx.io.out(JSON.stringify({ row: entry.line, rejected: true, issues: resolved.issues }) + '\n');
          continue;
        }
        const { model, hw, plan, row } = resolved;
        const t = core.stepTime(model, plan, hw);
        const mem = core.memoryPerGpu(model, plan, hw);
        const out = {
          row: entry.line,
          ...(row.id !== undefined ? { id: row.id } : {}),
          model: typeof row.model === 'string' ? row.model : 'inline',
          gpu: hw.name,
          num_gpus: row.num_gpus,
          plan,
          step_time_s: t.step_time_s,
          tokens_per_s: t.tokens_per_s,
          tokens_per_s_per_gpu: t.tokens_per_s_per_gpu,
          mfu: t.mfu,
          memory_gb_per_gpu: mem.total / 1e9,
          memory_gib_per_gpu: mem.totalGiB,
          capacity_gib: mem.capacityGiB,
          fits: mem.fits,
          breakdown: t.breakdown,
          memory: mem,
        };
        predictions.push(out);
        if (!opts.json) ctx.io.out(JSON.stringify(out) + '\n');
      }
      if (opts.json) ctx.io.out(JSON.stringify({ predictions, rejected }, null, 2) + '\n');
      if (rejected.length) {
        ctx.io.err(`${rejected.length} of ${predictions.length + rejected.length} rows rejected\n`);
        setExit(EXIT.config);
      }
    });
};
