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

/** For module-level setup (describe.skipIf needs its answer before any hook runs). */
export function acquireClusterLockSync(timeoutMs = 600_000): () => void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const release = tryLock();
    if (release) return release;
    if (Date.now() > deadline) throw new Error(`namespace cluster lock ${LOCK} held for too long`);
    Atomics.wait(pause, 0, 0, 500);
  }
}

function tryLock(): (() => void) | undefined {
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
    return undefined;
  }
}

export async function acquireClusterLock(timeoutMs = 600_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const release = tryLock();
    if (release) return release;
    if (Date.now() > deadline) throw new Error(`namespace cluster lock ${LOCK} held for too long`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
