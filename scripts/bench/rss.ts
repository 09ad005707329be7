// Resident memory of the cluster's node processes, read from /proc (Linux), in MB.
import fs from 'node:fs';
import type { Cluster } from '../cluster/cluster';

export function nodeRssMb(cluster: Cluster): Record<string, number | null> {
  return Object.fromEntries(
    cluster.nodes.map((node, i) => {
      const pid = cluster.pidOf(i + 1);
      try {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        return [node.id, Number.isFinite(kb) ? Math.round(kb / 1024) : null];
      } catch {
        return [node.id, null];
      }
    }),
  );
}
