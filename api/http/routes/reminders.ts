/** /api/reminders: the outbox, so a reminder the mail server refused is seen and followed up, not lost. */
import { z } from 'zod';
import { listReminders } from '../../../db/reminders';
import { type RouteContext, defineRoute } from '../route';

const query = z.object({
  status: z.enum(['pending', 'sent', 'undeliverable']).optional(),
  claimId: z.string().min(1).max(200).optional(),
  incidentId: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100 (the cap)').default(25),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();

export function reminderRoutes(ctx: RouteContext) {
  defineRoute(ctx, {
    method: 'get', path: '/api/reminders', tag: 'administration', roles: ['administrator', 'auditor'], query,
    summary: 'Reminders and their outcome (status=undeliverable: refused by the mail server, with its reply, or no address)',
    handler: async (req) => listReminders(ctx.db, req.valid.query),
  });
}
