-- Every index on events is written by every vehicle notification. The duplicate check and the
-- eventsUuid lookup share one index (the content hash covers the eventsUuid, so the triple is
-- unique exactly when (vin, content_hash) was); the indexes on campaign_id and received_at had no
-- query left that read them (the overview reads the partial C_28/C_35 indexes and event_hour_counts).
-- The new unique index is built before the old one goes.
CREATE UNIQUE INDEX "events_vin_uuid_hash_uq" ON "events" USING btree ("vin","events_uuid","content_hash");--> statement-breakpoint
DROP INDEX "events_vin_hash_uq";--> statement-breakpoint
DROP INDEX "events_vin_uuid_idx";--> statement-breakpoint
DROP INDEX "events_campaign_idx";--> statement-breakpoint
DROP INDEX "events_received_idx";
