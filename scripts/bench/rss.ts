// Resident memory of the cluster's node processes, read from /proc (Linux), in MB.
import fs from 'node:fs';
import type { Cluster } from '../cluster/cluster';

/** One process's RSS in MB; null when it is not running (or not on Linux). */
export function rssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

export function nodeRssMb(cluster: Cluster): Record<string, number | null> {
  return Object.fromEntries(cluster.nodes.map((node, i) => [node.id, rssMb(cluster.pidOf(i + 1))]));
}
