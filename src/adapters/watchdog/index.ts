export { DEFAULT_WATCHDOG, judgeStall, median, type StallVerdict, type WatchdogPolicy } from './policy.ts';
export { rankActivity, rankProcesses, silentRank, type RankActivity, type SilentRank } from './ranks.ts';
export { WATCHDOG_FILE, createWatchdog, stepsInLog, type Watchdog, type WatchdogOptions, type WatchdogReport } from './watchdog.ts';
