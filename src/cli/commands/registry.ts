// Every command, declared in one place. Each module registers its commander command and imports its work lazily.
import type { Command } from 'commander';
import type { CommandContext } from '../io.ts';
import { registerExitCodes } from './exit-codes.ts';
import { registerParse } from './parse.ts';
import { registerCompare } from './compare.ts';
import { registerStatus } from './status.ts';
import { registerLogs } from './logs.ts';
import { registerCancel } from './cancel.ts';
import { registerReportHtml } from './report-html.ts';
import { registerUi } from './ui.ts';
import { registerCluster } from './cluster.ts';
import { registerLaunch } from './launch.ts';
import { registerRun } from './run.ts';
import { registerReport } from './report.ts';
import { registerResults } from './results.ts';
import { registerData } from './data.ts';
import { registerPlan } from './plan.ts';
import { registerRecipes } from './recipes.ts';
import { registerShow } from './show.ts';
import { registerFlops } from './flops.ts';
import { registerMfu } from './mfu.ts';
import { registerAudit } from './audit.ts';
import { registerPredict } from './predict.ts';
import { registerCkpt } from './ckpt.ts';
import { registerSetup } from './setup.ts';

export type RegisterCommand = (program: Command, ctx: CommandContext, setExit: (code: number) => void) => void;

export const commands: RegisterCommand[] = [registerExitCodes, registerParse, registerCompare, registerStatus, registerLogs, registerCancel, registerReportHtml, registerUi, registerCluster,
  registerLaunch,
  registerRun, registerReport, registerResults, registerData, registerPlan, registerPredict,
  registerRecipes, registerShow, registerFlops, registerMfu, registerAudit, registerCkpt, registerSetup];
