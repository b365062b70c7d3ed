// `cluster check`: what would make a submission fail in the queue, found before submitting — scheduler reachable,
// partition present, account accepted, GPUs in GRES, stage path writable with room, Python recent enough, HF token
// present when the weights are gated (its value is never printed).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, statfsSync } from 'node:fs';
import type { ClusterProfile } from '../../core/cluster/profile.ts';

export interface CheckRow {
  check: string;
  ok: boolean;
  skipped?: boolean;
  detail: string;
  hint?: string;
}

export interface CheckOptions {
  needGb?: number;
  gatedWeights?: boolean;
  env?: NodeJS.ProcessEnv;
}

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });

export function parseVersion(text: string): number[] | undefined {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function versionAtLeast(have: number[], want: number[]): boolean {
  for (let i = 0; i < want.length; i++) {
    if ((have[i] ?? 0) !== want[i]) return (have[i] ?? 0) > want[i]!;
  }
  return true;
}

function schedulerRows(p: ClusterProfile): CheckRow[] {
  const sinfo = run('sinfo', ['-h', '-o', '%P|%G|%a']);
  if (sinfo.error || sinfo.status !== 0) {
    const why = sinfo.error ? 'sinfo not found' : sinfo.stderr.trim() || `sinfo exited ${sinfo.status}`;
    return [{ check: 'scheduler', ok: false, detail: why, hint: 'run on a Slurm login node, or start the embedded one: bash scripts/slurm-local.sh start' }];
  }
  const rows: CheckRow[] = [{ check: 'scheduler', ok: true, detail: 'sinfo answers' }];
  const partitions = sinfo.stdout.trim().split('\n').filter(Boolean).map((l) => l.split('|'));
  const names = partitions.map(([name]) => (name ?? '').replace(/\*$/, ''));
  if (p.partition) {
    const ok = names.includes(p.partition);
    rows.push({ check: 'partition', ok, detail: ok ? `${p.partition} exists` : `${p.partition} not in: ${names.join(', ')}`, ...(ok ? {} : { hint: 'set partition in the profile to one sinfo lists' }) });
  } else {
    rows.push({ check: 'partition', ok: true, skipped: true, detail: 'none set: the default partition is used' });
  }
  if (p.gpus_per_node > 0 && p.gpu_request !== 'none') {
    const gres = partitions.filter(([name]) => !p.partition || (name ?? '').replace(/\*$/, '') === p.partition).map(([, g]) => g ?? '');
    const ok = gres.some((g) => g.includes('gpu'));
    rows.push({ check: 'gpu gres', ok, detail: ok ? `GRES ${gres.join(' ')}` : `no gpu GRES (${gres.join(' ') || 'none'})`, ...(ok ? {} : { hint: "set gpu_request: none for GRES-free clusters, or ask your admin which GRES name GPUs use" }) });
  }
  const testArgs = ['--test-only', '--wrap=true', '-N', '1'];
  if (p.partition) testArgs.push(`--partition=${p.partition}`);
  if (p.account) testArgs.push(`--account=${p.account}`);
  if (p.qos) testArgs.push(`--qos=${p.qos}`);
  const test = run('sbatch', testArgs);
  const accepted = test.status === 0;
  const said = (test.stderr || test.stdout).trim().split('\n').pop() ?? '';
  rows.push({ check: 'sbatch --test-only', ok: accepted, detail: said || (accepted ? 'accepted' : 'refused'), ...(accepted ? {} : { hint: 'check account, partition and qos in the profile' }) });
  return rows;
}

function stageRow(p: ClusterProfile, needGb: number): CheckRow {
  try {
    mkdirSync(p.stage_path, { recursive: true });
    accessSync(p.stage_path, constants.W_OK);
    const fs = statfsSync(p.stage_path);
    const freeGb = (fs.bavail * fs.bsize) / 1e9;
    const ok = freeGb >= needGb;
    return { check: 'stage path', ok, detail: `${p.stage_path}: writable, ${freeGb.toFixed(1)} GB free${needGb ? ` (need ${needGb} GB)` : ''}`, ...(ok ? {} : { hint: 'choose a stage_path on a file system with more space (the seeds need 20 GB of weights and 100-250 GB of datasets)' }) };
  } catch (error) {
    return { check: 'stage path', ok: false, detail: `${p.stage_path}: ${(error as Error).message}`, hint: 'set stage_path to a folder you can write on the shared file system' };
  }
}

function pythonRow(p: ClusterProfile): CheckRow {
  const out = run(p.python, ['--version']);
  const version = parseVersion(`${out.stdout} ${out.stderr}`);
  if (!version) return { check: 'python', ok: false, detail: `${p.python} did not run`, hint: 'set python in the profile to a Python >= 3.10.12' };
  const ok = versionAtLeast(version, [3, 10, 12]);
  return { check: 'python', ok, detail: `${p.python} ${version.join('.')}${ok ? '' : ' (< 3.10.12)'}`, ...(ok ? {} : { hint: 'the seeds require Python 3.10.12 or newer' }) };
}

export function checkCluster(p: ClusterProfile, o: CheckOptions = {}): CheckRow[] {
  const env = o.env ?? process.env;
  const rows = [...schedulerRows(p), stageRow(p, o.needGb ?? 0), pythonRow(p)];
  if (o.gatedWeights) {
    const ok = Boolean(env.HF_TOKEN);
    rows.push({ check: 'HF_TOKEN', ok, detail: ok ? 'set (value not shown)' : 'not set', ...(ok ? {} : { hint: 'export HF_TOKEN=<your token> in the submitting shell; trainbench passes it through the environment and never writes it' }) });
  }
  return rows;
}
