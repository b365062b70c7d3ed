// The namespace cluster (scripts/cluster-netns.sh): several real slurmd nodes on this machine. Ranks talk over the
// nodes' own interface (eth0 inside each namespace); gloo must be told, since the UTS hostname is the host's.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { environmentError } from '../../core/errors.ts';
import { packageRoot } from '../paths.ts';

export const netnsClusterDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.TRAINBENCH_CLUSTER_DIR ?? '/var/tmp/trainbench-cluster';

/** Environment for Slurm's client commands aimed at the namespace cluster. */
export const netnsSlurmEnv = (env: NodeJS.ProcessEnv = process.env): Record<string, string> => ({
  SLURM_CONF: join(netnsClusterDir(env), 'slurm.conf'),
});

/** Environment for every rank of a job on the namespace cluster. */
export const netnsRankEnv = (): Record<string, string> => ({ GLOO_SOCKET_IFNAME: 'eth0' });

export interface NetnsResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function netnsCluster(action: 'up' | 'down' | 'status', nodes?: number, env: NodeJS.ProcessEnv = process.env): NetnsResult {
  const args = [join(packageRoot(), 'scripts', 'cluster-netns.sh'), action, ...(nodes ? [String(nodes)] : [])];
  const r = spawnSync('bash', args, { encoding: 'utf8', env, timeout: 300_000 });
  if (r.error) throw environmentError(`cluster-netns.sh did not run: ${r.error.message}`, { code: 'netns-failed' });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}
