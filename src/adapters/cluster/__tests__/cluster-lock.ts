// Test files that bring the namespace cluster up, resize it or take it down must not overlap (vitest runs files in
// parallel forks): each holds this machine-wide lock for its whole run. mkdir is atomic; a lock whose owner died is
// taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const LOCK = '/var/tmp/trainbench-cluster.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export async function acquireClusterLock(timeoutMs = 600_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(`${LOCK}/pid`, String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(`${LOCK}/pid`, 'utf8'));
      } catch {
        // being written right now
      }
      if (owner && !alive(owner)) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`namespace cluster lock ${LOCK} held by pid ${owner} for too long`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
