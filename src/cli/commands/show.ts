// `trainbench show RECIPE`: one recipe resolved (model shape with any scale applied, GPU, derived DP/GA/nodes, the
// FLOPs and peak it uses and where they come from), its published figures as printed and as recomputed.
import type { RegisterCommand } from './registry.ts';

export const registerShow: RegisterCommand = (program, ctx) => {
  program
    .command('show')
    .description('show one recipe in full: configuration, derived values, published figures and their recomputation')
    .argument('<recipe>', 'recipe id (trainbench recipes lists them)')
    .option('--json', 'one JSON document: {recipe, derived, published, recomputed}')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const { resolveRecipe, printed } = await import('../../core/catalog/index.ts');
      const metrics = await import('../../core/metrics/index.ts');
      const r = resolveRecipe(loadCatalog(), id);
      const step = r.baseline?.step_time_s ? printed(r.baseline.step_time_s).value : undefined;
      const perStep = r.model_flops?.per === 'step';
      const recomputed =
        step === undefined
          ? null
          : {
              tokens_per_s: metrics.tokensPerSecond(r.seq_len, r.gbs, step),
              days_1t: metrics.timeToTrainDays(1e12, metrics.tokensPerSecond(r.seq_len, r.gbs, step)),
              mfu:
                r.peakFlopsPerGpu === null
                  ? null
                  : perStep
                    ? metrics.mfu({ flopsPerSample: printed(r.model_flops!.printed).value * (r.model_flops!.unit === 'TFLOP' ? 1e12 : 1), gbs: 1, stepTimeS: step, numGpus: r.num_gpus, peakFlopsPerGpu: r.peakFlopsPerGpu })
                    : metrics.mfu({ flopsPerSample: r.flopsPerSample, gbs: r.gbs, stepTimeS: step, numGpus: r.num_gpus, peakFlopsPerGpu: r.peakFlopsPerGpu, lora: r.task === 'lora' }),
            };
      const derived = {
        nodes: r.nodes,
        dp: r.dp,
        grad_accum: r.gradAccum,
        flops_per_sample: r.flopsPerSample,
        flops_source: r.flopsSource,
        peak_flops_per_gpu: r.peakFlopsPerGpu,
        peak_source: r.peakSource,
      };
      if (opts.json) {
        const { model, gpu, ...recipe } = r;
        ctx.io.out(JSON.stringify({ recipe: { ...recipe, model, gpu: gpu.name }, derived, published: r.baseline ?? null, recomputed }, null, 2) + '\n');
        return;
      }
      const na = (v: number | null | undefined) => (v == null ? 'NA' : String(v));
      const p = r.parallelism;
      const m = r.model;
      const lines = [
        `${r.id}${r.title ? ` — ${r.title}` : ''}`,
        `  source        ${r.seed} (${r.file})`,
        `  engine/task   ${r.engine} / ${r.task}`,
        `  model         ${m.name}: ${m.layers} layers, hidden ${m.hidden}, ffn ${m.ffn}, heads ${m.heads}/${m.kv_heads} kv, vocab ${m.vocab}, ${(m.params / 1e9).toFixed(m.params < 1e9 ? 4 : 2)}B params`,
        `  hardware      ${r.num_gpus} x ${r.gpu.display_name} (${r.gpus_per_node} per node, ${r.nodes} node${r.nodes === 1 ? '' : 's'}), ${r.dtype}`,
        `  batch         seq ${r.seq_len}, gbs ${r.gbs}, mbs ${r.mbs}, grad accumulation ${+r.gradAccum.toFixed(3)}${r.grad_accum == null ? ' (derived)' : ''}`,
        `  parallelism   TP ${na(p.tp)}  PP ${na(p.pp)}  CP ${na(p.cp)}  EP ${na(p.ep)}  DP ${na(p.dp)}${p.dp == null ? ` (derived ${+r.dp.toFixed(3)})` : ''}  VP ${na(p.vp)}${p.auto_plan_gpus ? `  auto plan ${p.auto_plan_gpus} GPUs` : ''}`,
        `  steps         ${na(r.steps)}${r.checkpoint_every ? `, checkpoint every ${r.checkpoint_every}` : ''}; window ${r.window ? JSON.stringify(r.window) : 'not stated'}`,
        `  model FLOPs   ${r.model_flops ? `${r.model_flops.printed}${r.model_flops.unit === 'TFLOP' ? ' TFLOP' : ''} per ${r.model_flops.per} (published)` : `${r.flopsPerSample.toExponential(3)} per sample (${m.flops_formula} formula)`}`,
        `  peak          ${r.peakFlopsPerGpu === null ? 'measured at run time' : `${r.peakFlopsPerGpu / 1e12} TFLOP/s per GPU`} — ${r.peakSource}`,
      ];
      if (r.baseline) {
        const b = r.baseline;
        const fmt = (v: number | null | undefined, f: (x: number) => string) => (v == null ? '-' : f(v));
        lines.push('  published     as printed  |  recomputed from the printed step time');
        if (b.step_time_s) lines.push(`    step time   ${b.step_time_s} s`);
        lines.push(`    tokens/s    ${b.tokens_per_s ?? '-'}  |  ${fmt(recomputed?.tokens_per_s, (x) => x.toFixed(0))}`);
        lines.push(`    MFU         ${b.mfu ?? '-'}  |  ${fmt(recomputed?.mfu, (x) => `${(x * 100).toFixed(2)}%`)}`);
        lines.push(`    days (1T)   ${b.days_1t ?? '-'}  |  ${fmt(recomputed?.days_1t, (x) => x.toFixed(2))}`);
      }
      if (r.notes) lines.push(`  notes         ${r.notes}`);
      ctx.io.out(lines.join('\n') + '\n');
    });
};
