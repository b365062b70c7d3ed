import { EXIT } from '../../core/errors.ts';
import { positiveInteger, positiveNumber } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

export const registerCluster: RegisterCommand = (program, ctx, setExit) => {
  const cluster = program.command('cluster').description('cluster profiles and checks');
  cluster
    .command('check')
    .description('check a cluster profile against the real scheduler before submitting')
    .option('--cluster <profile>', 'profile name (data/clusters) or path', 'local')
    .option('--need-gb <n>', 'free space the stage path needs, in GB', positiveNumber('--need-gb'))
    .option('--gated', 'the recipe needs gated Hugging Face weights (HF_TOKEN)')
    .option('--json', 'one JSON document')
    .action(async (opts: { cluster: string; needGb?: number; gated?: boolean; json?: boolean }) => {
      const { loadProfile } = await import('../../adapters/cluster/profiles.ts');
      const { checkCluster } = await import('../../adapters/cluster/check.ts');
      const profile = loadProfile(opts.cluster);
      const rows = checkCluster(profile, { ...(opts.needGb ? { needGb: opts.needGb } : {}), gatedWeights: Boolean(opts.gated), env: ctx.env });
      const ok = rows.every((r) => r.ok);
      if (opts.json) {
        ctx.io.out(JSON.stringify({ cluster: profile.name, ok, checks: rows }, null, 2) + '\n');
      } else {
        for (const r of rows) {
          ctx.io.out(`${r.ok ? (r.skipped ? 'skip' : ' ok ') : 'FAIL'}  ${r.check.padEnd(18)} ${r.detail}\n`);
          if (!r.ok && r.hint) ctx.io.out(`      ${''.padEnd(18)} hint: ${r.hint}\n`);
        }
        ctx.io.out(ok ? `cluster ${profile.name}: ready\n` : `cluster ${profile.name}: not ready\n`);
      }
      if (!ok) setExit(EXIT.environment);
    });

  cluster
    .command('up')
    .description('start a real multi-node Slurm on this machine: one network namespace per node (root)')
    .option('--nodes <n>', 'number of nodes', positiveInteger('--nodes'), 2)
    .action(async (opts: { nodes: number }) => {
      const { netnsCluster } = await import('../../adapters/cluster/netns.ts');
      const r = netnsCluster('up', opts.nodes, ctx.env);
      ctx.io.out(r.stdout);
      if (r.code !== 0) ctx.io.err(r.stderr);
      if (r.code !== 0) setExit(EXIT.environment);
    });
  cluster
    .command('status')
    .description('nodes of the namespace cluster and their Slurm state')
    .action(async () => {
      const { netnsCluster } = await import('../../adapters/cluster/netns.ts');
      const r = netnsCluster('status', undefined, ctx.env);
      ctx.io.out(r.stdout);
      if (r.code !== 0) setExit(EXIT.environment);
    });
  cluster
    .command('down')
    .description('remove every namespace, link, hosts entry and process `cluster up` made')
    .action(async () => {
      const { netnsCluster } = await import('../../adapters/cluster/netns.ts');
      const r = netnsCluster('down', undefined, ctx.env);
      ctx.io.err(r.stderr);
      if (r.code !== 0) setExit(EXIT.environment);
    });
};
