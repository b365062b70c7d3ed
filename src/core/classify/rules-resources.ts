// Out-of-memory (GPU and host), missing data/tokenizer files, Hugging Face authentication.
import { cite, findAll } from './lines.ts';
import type { TailLine } from './lines.ts';
import type { FailureInput, Finding } from './types.ts';

const CUDA_OOM = /(?:torch\.(?:cuda\.)?OutOfMemoryError|CUDA out of memory|CUDA error: out of memory|HIP out of memory|CUBLAS_STATUS_ALLOC_FAILED)/;
const CPU_OOM = /oom[-_]kill event|OOM Killed|task \d+: Out Of Memory|Out of memory: Killed process|MemoryError\b|std::bad_alloc/;

export function cudaOom(lines: readonly TailLine[]): Finding | undefined {
  const hits = findAll(lines, CUDA_OOM);
  if (!hits.length) return undefined;
  const first = hits[0]!;
  const details: Record<string, string | number> = {};
  const t = first.l.text;
  const tried = /Tried to allocate ([\d.]+ [GMK]iB)/.exec(t);
  // PyTorch >= 2.1 wording, then the 1.x wording `(GPU 0; 79.15 GiB total capacity; ...; 1.19 GiB free; ...)`.
  const gpu =
    /GPU (\d+) has a total capac\w* of ([\d.]+ [GMK]iB) of which ([\d.]+ [GMK]iB) is free/.exec(t) ??
    /\(GPU (\d+); ([\d.]+ [GMK]iB) total capacity;.*?([\d.]+ [GMK]iB) free/.exec(t);
  if (tried) details.tried = tried[1]!;
  if (gpu) Object.assign(details, { gpu: Number(gpu[1]), total: gpu[2]!, free: gpu[3]! });
  return {
    kind: 'cuda_oom',
    summary: `GPU out of memory${tried ? ` (tried to allocate ${tried[1]}${gpu ? ` on GPU ${gpu[1]}, ${gpu[3]} free of ${gpu[2]}` : ''})` : ''}`,
    evidence: hits.slice(0, 3).map((h) => cite(h.l, h.m.index)),
    details,
  };
}

export function cpuOom(lines: readonly TailLine[], input: FailureInput): Finding | undefined {
  const hits = findAll(lines, CPU_OOM);
  const state = input.slurmState?.toUpperCase().startsWith('OUT_OF_MEMORY');
  if (!hits.length && !state) return undefined;
  return {
    kind: 'cpu_oom',
    summary: 'host memory exhausted: processes were OOM-killed',
    evidence: hits.slice(0, 3).map((h) => cite(h.l, h.m.index)),
    details: state ? { slurmState: input.slurmState! } : {},
  };
}

const NOT_FOUND = /(?:FileNotFoundError|No such file or directory|does not exist|not found)[^\n]*?['"]?([^'"\s]+\.(?:bin|idx|npy|jsonl?|parquet|arrow)|[^'"\s]*tokenizer[^'"\s]*)['"]?/i;

export function missingFiles(lines: readonly TailLine[]): Finding | undefined {
  for (const { l, m } of findAll(lines, NOT_FOUND)) {
    const path = m[1]!;
    const tokenizer = /tokenizer/i.test(path) && !/\.(bin|idx)$/.test(path);
    return {
      kind: tokenizer ? 'missing_tokenizer' : 'missing_dataset',
      summary: `${tokenizer ? 'tokenizer' : 'dataset'} file not found: ${path}`,
      evidence: [cite(l, m.index)],
      details: { path },
    };
  }
  const tok = findAll(lines, /Can't load tokenizer for '([^']+)'/)[0];
  if (tok) {
    return {
      kind: 'missing_tokenizer', summary: `tokenizer not loadable: ${tok.m[1]}`, evidence: [cite(tok.l, tok.m.index)],
      details: { path: tok.m[1]! },
    };
  }
  return undefined;
}

const AUTH = /GatedRepoError|Cannot access gated repo|401 Client Error|is restricted\. You must have access|Invalid user token|RepositoryNotFoundError.*401|huggingface-cli login|HF_TOKEN.*(?:invalid|not set)/i;

export function hfAuth(lines: readonly TailLine[]): Finding | undefined {
  const hits = findAll(lines, AUTH);
  if (!hits.length) return undefined;
  const repo = hits.map((h) => /huggingface\.co\/([\w.-]+\/[\w.-]+)/.exec(h.l.text) ?? /model ([\w.-]+\/[\w.-]+) is restricted/.exec(h.l.text)).find(Boolean);
  return {
    kind: 'hf_auth',
    summary: `Hugging Face refused access${repo ? ` to ${repo[1]}` : ''} (token missing, invalid, or gated repo not granted)`,
    evidence: hits.slice(0, 3).map((h) => cite(h.l, h.m.index)),
    details: repo ? { repo: repo[1]! } : {},
  };
}
