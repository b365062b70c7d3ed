// `trainbench flops --model M [--seq N]`: model FLOPs of one sample (sequence), fwd+bwd, by the seed formula the
// model uses (dense-gpt: seed 001 Notes; llama: seed 002), broken down into attention, MLP and embedding.
import { positiveInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

const FORMULA_SOURCE: Record<string, string> = {
  'dense-gpt': 'seed 001_4c71b56154641285.txt Notes: s * (24*l*h^2 + 12*l*h*s + 48*l*h^2 + 6*V*h)',
  llama: 'seed 002_be0fcde762047ef7.txt: s * (12*l*h^2*(1 + kv/heads + s/h) + 18*l*ffn*h + 6*V*h)',
};

export const registerFlops: RegisterCommand = (program, ctx) => {
  program
    .command('flops')
    .description('model FLOPs per sample (fwd+bwd, no recompute): attention, MLP, embedding and total')
    .requiredOption('--model <name>', 'model from data/models (e.g. llama3-8b, gpt3-175b)')
    .option('--seq <n>', "sequence length (default: the model's seq_len)", positiveInteger('--seq'))
    .option('--json', 'one JSON document')
    .action(async (opts: { model: string; seq?: number; json?: boolean }) => {
      const { loadCatalog } = await import('../../adapters/catalog/index.ts');
      const { findModel, formulaFlopsPerSample } = await import('../../core/catalog/index.ts');
      const model = findModel(loadCatalog(), opts.model);
      const seq = opts.seq ?? model.seq_len;
      const f = formulaFlopsPerSample(model, seq);
      const doc = {
        model: model.name,
        seq_len: seq,
        formula: model.flops_formula,
        formula_source: FORMULA_SOURCE[model.flops_formula],
        // The three terms are per token, as the seeds print them; total = seq_len * their sum.
        per_token: { attention: f.attention, mlp: f.mlp, embedding: f.embedding, sum: f.attention + f.mlp + f.embedding },
        total_per_sample: f.total,
        total_per_token: f.total / seq,
        six_n_per_token: 6 * model.params,
      };
      if (opts.json) {
        ctx.io.out(JSON.stringify(doc, null, 2) + '\n');
        return;
      }
      const { renderTable, formatNumber } = await import('../../core/catalog/table.ts');
      const sum = doc.per_token.sum;
      const row = (name: string, v: number) => [name, formatNumber(v), `${((v / sum) * 100).toFixed(1)}%`, (v * seq).toExponential(3)];
      ctx.io.out(`${model.name} at seq ${seq}, ${model.flops_formula} formula (${doc.formula_source})\n`);
      ctx.io.out(
        renderTable(
          ['TERM', 'FLOPS PER TOKEN', 'SHARE', 'PER SAMPLE'],
          [row('attention', f.attention), row('mlp', f.mlp), row('embedding', f.embedding), ['total', formatNumber(sum), '100.0%', f.total.toExponential(3)]],
          [undefined, 'right', 'right', 'right'],
        ),
      );
      ctx.io.out(`model FLOPs per sample (GBS=1): ${f.total.toExponential(2).toUpperCase()}; 6N per token for comparison: ${doc.six_n_per_token.toExponential(3)}\n`);
    });
};
