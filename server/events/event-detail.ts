import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '@/db/client';
import { events } from '@/db/schema';
import { notFound } from '../errors';
import { timelineColumns, timelineEventSchema, toTimelineEvent } from './update-history';

export const eventDetailSchema = timelineEventSchema.extend({
  vin: z.string(),
  campaignId: z.number().nullable(),
  /** The event exactly as the vehicle sent it. */
  raw: z.unknown(),
});
export type EventDetail = z.infer<typeof eventDetailSchema>;

/** One stored event with its raw JSON (the timeline's "show raw" asks for it when opened). */
export async function getEventDetail(db: Queryable, input: { id: number }): Promise<EventDetail> {
  const [row] = await db
    .select({ ...timelineColumns, vin: events.vin, raw: events.raw })
    .from(events)
    .where(eq(events.id, input.id));
  if (!row) throw notFound(`event ${input.id}`);
  const { vin, raw, ...timeline } = row;
  return { ...toTimelineEvent(timeline), vin, campaignId: timeline.campaignId, raw };
}
