import { EXIT } from '../../core/errors.ts';
import { nonNegativeInteger, positiveInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

export const DEFAULT_RUN_RECIPE = 'workload-mini-cpu';

interface RunOptions {
  executor: 'local' | 'slurm';
  cluster?: string;
  steps?: number;
  data?: string;
  telemetry: boolean;
  json?: boolean;
  timeLimit?: number;
  signalBefore?: number;
  checkpointEvery?: number;
  resubmit?: number;
  watchdogK?: number;
  watchdogMin?: number;
  onHang: string;
  injectFault?: string;
}

export const registerRun: RegisterCommand = (program, ctx, setExit) => {
  program
    .command('run')
    .description('launch a recipe, follow it live, measure it and store the result (default: the embedded CPU recipe)')
    .argument('[recipe]', 'recipe id (engine workload)', DEFAULT_RUN_RECIPE)
    .option('--executor <executor>', 'local (ranks on this host) or slurm', 'local')
    .option('--cluster <name>', 'netns: the namespace cluster of `trainbench cluster up` (implies --executor slurm)')
    .option('--steps <n>', 'override the number of steps', positiveInteger('--steps'))
    .option('--data <prefix>', 'train on a Megatron .bin/.idx dataset prefix instead of mock tokens')
    .option('--no-telemetry', 'do not sample vmstat/nvidia-smi beside the job')
    .option('--time-limit <minutes>', 'job time limit (Slurm --time; the local executor enforces it too)', positiveInteger('--time-limit'))
    .option('--signal-before <seconds>', 'send USR1 this long before the time limit: the workload checkpoints and exits (Slurm --signal=USR1@S)', positiveInteger('--signal-before'))
    .option('--checkpoint-every <steps>', 'checkpoint every N steps (default: the recipe\'s checkpoint_every)', positiveInteger('--checkpoint-every'))
    .option('--resubmit <n>', 'resubmit up to N times after a preemption, time limit (USR1 checkpoint) or node failure; the workload resumes from its checkpoint', nonNegativeInteger('--resubmit'))
    .option('--watchdog-k <k>', 'progress watchdog: flag a stall after no new step for K x the median step time (0 = off)', nonNegativeInteger('--watchdog-k'))
    .option('--watchdog-min <seconds>', 'progress watchdog: never flag a silence shorter than this', positiveInteger('--watchdog-min'))
    .option('--on-hang <action>', 'what the watchdog does on a stall: cancel or report', 'cancel')
    .option('--inject-fault <spec>', 'fault drill: TRAINBENCH_FAULT for the workload, e.g. oom:step=3 or raise:step=5:rank=1 (workload/README.md)')
    .option('--json', 'one JSON document (no progress line)')
    .action(async (recipe: string, opts: RunOptions) => {
      if (opts.executor !== 'local' && opts.executor !== 'slurm') {
        const { usageError } = await import('../../core/errors.ts');
        throw usageError(`--executor must be local or slurm, got '${opts.executor}'`, { code: 'unknown-executor' });
      }
      if (opts.cluster !== undefined && opts.cluster !== 'netns') {
        const { usageError } = await import('../../core/errors.ts');
        throw usageError(`--cluster must be netns for run, got '${opts.cluster}'`, { code: 'unknown-cluster', hint: 'real clusters: trainbench launch RECIPE --cluster PROFILE' });
      }
      if (opts.onHang !== 'cancel' && opts.onHang !== 'report') {
        const { usageError } = await import('../../core/errors.ts');
        throw usageError(`--on-hang must be cancel or report, got '${opts.onHang}'`, { code: 'unknown-hang-action' });
      }
      if (opts.signalBefore !== undefined && opts.timeLimit === undefined) {
        const { usageError } = await import('../../core/errors.ts');
        throw usageError('--signal-before needs --time-limit', { code: 'signal-without-time-limit', hint: 'e.g. --time-limit 30 --signal-before 120' });
      }
      if (opts.signalBefore !== undefined && opts.timeLimit !== undefined && opts.signalBefore >= opts.timeLimit * 60) {
        const { usageError } = await import('../../core/errors.ts');
        throw usageError(`--signal-before ${opts.signalBefore} s is not before the ${opts.timeLimit}-minute time limit`, { code: 'signal-after-time-limit', hint: 'leave the job time to start: e.g. --time-limit 30 --signal-before 120' });
      }
      const { DEFAULT_WATCHDOG } = await import('../../adapters/watchdog/index.ts');
      const watchdog = opts.watchdogK === 0 ? false : {
        ...DEFAULT_WATCHDOG,
        ...(opts.watchdogK !== undefined ? { k: opts.watchdogK } : {}),
        ...(opts.watchdogMin !== undefined ? { minStallS: opts.watchdogMin } : {}),
        action: opts.onHang as 'cancel' | 'report',
      };
      const netns = opts.cluster === 'netns' ? await import('../../adapters/cluster/netns.ts') : undefined;
      const { trainbenchHome } = await import('../../adapters/rundir/index.ts');
      const { runRecipe } = await import('../../adapters/run/run-recipe.ts');
      const { formatProgress } = await import('../../adapters/run/progress.ts');
      const { renderDeviceTiming, renderResultTable } = await import('../../core/measure/index.ts');
      const live = !opts.json;
      let lastLine = '';
      const outcome = await runRecipe({
        recipe,
        executor: netns ? 'slurm' : opts.executor,
        ...(netns ? { slurmEnv: netns.netnsSlurmEnv(ctx.env) } : {}),
        ...(netns || opts.injectFault ? { rankEnv: { ...netns?.netnsRankEnv(), ...(opts.injectFault ? { TRAINBENCH_FAULT: opts.injectFault } : {}) } } : {}),
        home: trainbenchHome(ctx.env),
        env: ctx.env,
        telemetry: opts.telemetry,
        ...(opts.steps ? { steps: opts.steps } : {}),
        ...(opts.data ? { dataPrefix: opts.data } : {}),
        ...(opts.timeLimit !== undefined ? { timeLimitMinutes: opts.timeLimit } : {}),
        ...(opts.signalBefore !== undefined ? { signalBeforeS: opts.signalBefore } : {}),
        ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery } : {}),
        ...(opts.resubmit !== undefined ? { resubmit: opts.resubmit } : {}),
        watchdog,
        onProgress: (p) => {
          const line = formatProgress(p);
          if (!live || line === lastLine) return;
          lastLine = line;
          ctx.io.err(`${line}\n`);
        },
      });
      const failed = outcome.state.state !== 'COMPLETED';
      if (opts.json) {
        ctx.io.out(JSON.stringify(outcome, null, 2) + '\n');
      } else {
        ctx.io.out(`\n${recipe}: ${outcome.state.state}${outcome.state.reason ? ` (${outcome.state.reason.split('\n')[0]})` : ''}, ${outcome.steps} steps logged\n\n`);
        if (outcome.attempts.length > 1) {
          for (const a of outcome.attempts) ctx.io.out(`attempt ${a.attempt}: job ${a.jobId} ${a.state?.state ?? '?'}${a.preempted ? ` (checkpointed at step ${a.preempted.step} on ${a.preempted.signal})` : ''}, steps ${a.firstStep ?? '-'}..${a.lastStep ?? '-'}${a.resumedFrom != null ? `, resumed from step ${a.resumedFrom}` : ''}\n`);
          ctx.io.out('\n');
        }
        if (outcome.result) ctx.io.out(renderResultTable(outcome.result, recipe));
        if (outcome.watchdog) ctx.io.err(`watchdog: ${outcome.watchdog.message}\n`);
        if (outcome.diagnosis) ctx.io.err(`diagnosis: ${outcome.diagnosis.kind}: ${outcome.diagnosis.summary}${outcome.diagnosis.rank !== undefined ? `; rank ${outcome.diagnosis.rank} ${outcome.diagnosis.rankCause ?? ''}` : ''}\n`);
        if (outcome.flops) {
          const f = outcome.flops;
          ctx.io.out(`\nModel FLOPs per token: trainbench ${f.trainbenchPerToken.toExponential(4)}, workload (from parameter shapes) ${f.workloadPerToken.toExponential(4)}, difference ${(f.relativeDifference * 100).toFixed(3)}%\n`);
        }
        if (outcome.deviceTiming) ctx.io.out(`${renderDeviceTiming(outcome.deviceTiming)}\n`);
        for (const n of outcome.notes) ctx.io.out(`note: ${n}\n`);
        ctx.io.out(`\nrun directory: ${outcome.runDir}\nstored as run ${outcome.runId} (trainbench results show ${outcome.runId})\n`);
        if (failed) ctx.io.err(`the job ended ${outcome.state.state}; see trainbench logs ${outcome.runDir}\n`);
      }
      if (failed) setExit(EXIT.jobFailed);
    });
};
