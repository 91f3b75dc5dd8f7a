/** Publishing a release on demand (administrators); the list of releases is public (routes/public.ts). */
import type { ReleaseService } from '../../release/service';
import { HttpProblem } from '../problem';
import { type RouteContext, defineRoute } from '../route';

export function releaseRoutes(ctx: RouteContext, releases: ReleaseService) {
  defineRoute(ctx, { method: 'post', path: '/api/releases', tag: 'administration', roles: ['administrator'],
    summary: 'Publish a release of the public figures now (409 before there are six orders to count)',
    success: { status: 201, description: 'the new release: number, date, claims covered' },
    handler: async (req) => {
      const result = await releases.publishNow(req.user!.id);
      if (result.outcome === 'skipped') throw new HttpProblem(409, 'Conflict', `no release was published: ${result.reason}`);
      return result;
    } });
}
