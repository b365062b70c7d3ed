// `trainbench ui`: the local dashboard over the results store. Binds 127.0.0.1 unless --host says otherwise; runs
// until interrupted (Ctrl-C), then closes the server and the store.
import { join, resolve } from 'node:path';
import { nonNegativeInteger } from '../options.ts';
import type { RegisterCommand } from './registry.ts';

interface Opts {
  port: number;
  host: string;
  home?: string;
  store?: string;
  json?: boolean;
  allowHost: string[];
}

export const registerUi: RegisterCommand = (program, ctx) => {
  program
    .command('ui')
    .description('local web dashboard over the stored runs: list, filter, one run with live charts, compare')
    .option('--port <n>', 'port to listen on (0 picks a free one)', nonNegativeInteger('--port'), 8686)
    .option('--host <address>', 'address to bind; anything but loopback exposes your results to the network', '127.0.0.1')
    .option('--home <dir>', 'trainbench home holding store.sqlite (default $TRAINBENCH_HOME or ~/.trainbench)')
    .option('--store <file>', 'results store file (overrides --home)')
    .option('--allow-host <name>', 'also accept this Host name (repeatable), e.g. the machine name when bound to 0.0.0.0', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--json', 'print the address as one JSON document')
    .action(async (opts: Opts) => {
      const { startDashboard } = await import('../../adapters/ui/server.ts');
      const { isLoopbackHost } = await import('../../adapters/ui/security.ts');
      const { defaultStorePath } = await import('../../adapters/store/index.ts');
      const storeFile = opts.store ? resolve(ctx.cwd, opts.store) : opts.home ? join(resolve(ctx.cwd, opts.home), 'store.sqlite') : defaultStorePath(ctx.env);
      if (!isLoopbackHost(opts.host)) {
        ctx.io.err(`warning: binding ${opts.host}: anyone who can reach this address can read your results. The Host check admits loopback names, ${opts.host}${opts.allowHost.length ? ` and ${opts.allowHost.join(', ')}` : ' (add --allow-host NAME for the names you browse to)'}.\n`);
      }
      const dash = await startDashboard({ storeFile, host: opts.host, port: opts.port, env: ctx.env, allowHosts: opts.allowHost });
      if (opts.json) ctx.io.out(JSON.stringify({ url: dash.url, host: dash.host, port: dash.port, store: storeFile }) + '\n');
      else ctx.io.out(`trainbench dashboard: ${dash.url}  (store ${storeFile}; Ctrl-C to stop)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void dash.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
};
