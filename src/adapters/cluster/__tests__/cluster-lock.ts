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

export interface BorrowedCluster {
  /** At least the nodes asked for are up (ours or another file's cluster). */
  available: boolean;
  /** Takes the cluster down if this file brought it up, then releases the lock. */
  giveBack(): void;
}

/**
 * Holds the lock and makes sure `nodes` namespace nodes are up: a cluster someone left up is used as it is (never
 * resized), otherwise one is brought up and taken down again by giveBack. `what` names the skipped tests in the
 * warning when no cluster can be had.
 */
export async function borrowNetnsCluster(nodes: number, what: string): Promise<BorrowedCluster> {
  const { netnsCluster } = await import('../netns.ts');
  const release = await acquireClusterLock();
  const status = netnsCluster('status');
  const nodesUp = (status.stdout.match(/^\s+node\d+ /gm) ?? []).length;
  if (status.code === 0) return { available: nodesUp >= nodes, giveBack: release };
  const up = netnsCluster('up', nodes);
  if (up.code !== 0) console.warn(`namespace cluster unavailable, ${what} skipped: ${up.stderr}`);
  return {
    available: up.code === 0,
    giveBack() {
      if (up.code === 0) netnsCluster('down');
      release();
    },
  };
}
