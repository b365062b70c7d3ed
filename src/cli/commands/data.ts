import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { Option } from 'commander';
import { EXIT, inputError, usageError } from '../../core/errors.ts';
import { positiveInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

interface PrepareFlags {
  input: string;
  outputPrefix: string;
  tokenizer: string;
  jsonKey: string;
  shards: number;
  workers?: number;
  pack?: number;
  onBadLine: 'skip' | 'stop';
  json?: boolean;
}

export const registerData: RegisterCommand = (program, ctx, setExit) => {
  const data = program.command('data').description('Megatron indexed datasets (.bin/.idx): prepare from JSONL, check, stats');
  const abs = (path: string) => (isAbsolute(path) ? path : resolve(ctx.cwd, path));

  data
    .command('prepare')
    .description('tokenize a JSONL corpus into Megatron .bin/.idx shards (<prefix>_NN_<key>_document)')
    .requiredOption('--input <file>', 'JSONL corpus, optionally .gz')
    .requiredOption('--output-prefix <prefix>', 'output prefix, e.g. DIR/my-gpt3')
    .requiredOption('--tokenizer <name>', 'gpt2, llama3, or the path of a Hugging Face tokenizer.json')
    .option('--json-key <key>', 'JSON field holding the text', 'text')
    .option('--shards <n>', 'number of output shards (documents dealt round-robin)', positiveInteger('--shards'), 1)
    .option('--workers <n>', 'tokenizer threads (default: all cores)', positiveInteger('--workers'))
    .option('--pack <n>', 'pack documents into fixed sequences of n tokens (tail dropped)', positiveInteger('--pack'))
    .addOption(new Option('--on-bad-line <policy>', 'invalid JSON, missing key, non-string text').choices(['skip', 'stop']).default('skip'))
    .option('--json', 'one JSON document (no progress)')
    .action(async (opts: PrepareFlags) => {
      const { existsSync, statSync } = await import('node:fs');
      const { resolveTokenizer } = await import('../../adapters/tokenizers/index.ts');
      const { prepareDataset } = await import('../../adapters/dataset/index.ts');
      const { formatProgress, renderPrepare } = await import('../../core/dataset/render.ts');
      const input = abs(opts.input);
      if (!existsSync(input)) throw inputError(`input not found: ${input}`, { code: 'input-not-found', file: input, hint: 'pass a .jsonl or .jsonl.gz file' });
      if (/[/\\]$/.test(opts.outputPrefix) || (existsSync(abs(opts.outputPrefix)) && statSync(abs(opts.outputPrefix)).isDirectory())) {
        throw usageError(`--output-prefix '${opts.outputPrefix}' is a directory; it must end in a name prefix`, {
          code: 'invalid-output-prefix',
          hint: `e.g. --output-prefix ${opts.outputPrefix.replace(/[/\\]+$/, '')}/my-gpt3 writes my-gpt3_00_text_document.bin/.idx there`,
        });
      }
      if (!/^[A-Za-z0-9_.-]+$/.test(opts.jsonKey)) {
        throw usageError(`--json-key '${opts.jsonKey}' must be a plain field name`, { code: 'invalid-json-key', hint: 'e.g. --json-key text' });
      }
      const result = await prepareDataset({
        input,
        outputPrefix: abs(opts.outputPrefix),
        tokenizer: resolveTokenizer(opts.tokenizer, ctx.cwd),
        jsonKey: opts.jsonKey,
        shards: opts.shards,
        workers: opts.workers ?? availableParallelism(),
        ...(opts.pack ? { pack: opts.pack } : {}),
        onBadLine: opts.onBadLine,
        ...(opts.json ? {} : { onProgress: (p) => ctx.io.err(formatProgress(p) + '\n') }),
      });
      ctx.io.out(opts.json ? JSON.stringify(result, null, 2) + '\n' : renderPrepare(result, input));
    });

  data
    .command('check')
    .description('validate every .bin/.idx pair: headers, sizes and pointers vs the .bin, token ids, document index')
    .argument('<prefix-or-dir>', 'directory, shard prefix (DIR/my-gpt3) or pair stem')
    .option('--vocab <n>', 'token ids must be below n (scans the .bin)', positiveInteger('--vocab'))
    .option('--tokenizer <name>', 'take the vocabulary size from gpt2, llama3 or a tokenizer.json')
    .option('--json', 'one JSON document')
    .action(async (target: string, opts: { vocab?: number; tokenizer?: string; json?: boolean }) => {
      const { checkDataset } = await import('../../adapters/dataset/index.ts');
      const { renderCheck, problemLine } = await import('../../core/dataset/render.ts');
      if (opts.vocab && opts.tokenizer) throw usageError('pass --vocab or --tokenizer, not both', { code: 'conflicting-options' });
      let vocabSize = opts.vocab;
      if (opts.tokenizer) vocabSize = (await import('../../adapters/tokenizers/index.ts')).resolveTokenizer(opts.tokenizer, ctx.cwd).vocabSize;
      const report = checkDataset(abs(target), vocabSize === undefined ? {} : { vocabSize });
      if (opts.json) ctx.io.out(JSON.stringify({ ...report, vocabSize: vocabSize ?? null }, null, 2) + '\n');
      else ctx.io.out(renderCheck(report));
      if (!report.ok) {
        if (!opts.json) for (const p of report.problems) ctx.io.err(`error[corrupt-dataset]: ${problemLine(p)}\n`);
        setExit(EXIT.input);
      }
    });

  data
    .command('stats')
    .description('documents, tokens, document length histogram and tokens per shard')
    .argument('<prefix-or-dir>', 'directory, shard prefix (DIR/my-gpt3) or pair stem')
    .option('--json', 'one JSON document')
    .action(async (target: string, opts: { json?: boolean }) => {
      const { checkDataset } = await import('../../adapters/dataset/index.ts');
      const { renderStats, problemLine } = await import('../../core/dataset/render.ts');
      const { mergeHistograms } = await import('../../core/dataset/stats.ts');
      const report = checkDataset(abs(target), { histogram: true });
      const first = report.problems[0];
      if (first) {
        throw inputError(problemLine(first), { code: 'corrupt-dataset', hint: `run \`trainbench data check ${target}\` for every problem` });
      }
      const histogram = mergeHistograms(report.shards.flatMap((s) => (s.histogram ? [s.histogram] : [])));
      if (opts.json) {
        const shards = report.shards.map((s) => ({ stem: s.stem, documents: s.documents, sequences: s.sequences, tokens: s.tokens, dtype: s.header?.dtype.name }));
        ctx.io.out(JSON.stringify({ target: report.target, shards, documents: report.documents, sequences: report.sequences, tokens: report.tokens, histogram }, null, 2) + '\n');
      } else {
        ctx.io.out(renderStats(report, histogram));
      }
    });
};
