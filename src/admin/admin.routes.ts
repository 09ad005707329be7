import { Router } from 'express';
import type { ClusterService } from '../cluster/cluster.service';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';
import type { WaitingRoomService } from '../waiting-room/waiting-room.service';

export function adminRoutes(deps: { cluster: ClusterService; room: WaitingRoomService }): Router {
  const router = Router();

  router.get('/cluster', requireRole('admin'), async (req, res) => {
    const nodes = await deps.cluster.nodes();
    // The course-selection waiting room, when there is one: one figure for the whole cluster.
    const selection = deps.room.enabled ? await deps.room.counts() : null;
    if (wantsJson(req)) {
      res.json({ data: nodes, meta: { selection } });
      return;
    }
    res.render('admin/cluster', { nodes, selection, refreshSeconds: 5 });
  });

  return router;
}
