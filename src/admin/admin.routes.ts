import { Router } from 'express';
import type { ClusterService } from '../cluster/cluster.service';
import { requireRole } from '../middleware/auth';
import { wantsJson } from '../middleware/respond';

export function adminRoutes(deps: { cluster: ClusterService }): Router {
  const router = Router();

  router.get('/cluster', requireRole('admin'), async (req, res) => {
    const nodes = await deps.cluster.nodes();
    if (wantsJson(req)) {
      res.json({ data: nodes });
      return;
    }
    res.render('admin/cluster', { nodes, refreshSeconds: 5 });
  });

  return router;
}
