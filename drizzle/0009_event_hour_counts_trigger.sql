-- Events per hour and kind, kept by the database as events are inserted or deleted (see
-- db/schema/events.ts, event_hour_counts). One statement trigger per insert statement: a bulk
-- insert adds each hour once, a notification adds its few events in its own transaction.
CREATE FUNCTION "event_kind"("code" text, "status" text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN "code" = 'C_28' OR "status" IN ('failure', 'failed', 'rejected') THEN 'failure'
    WHEN "code" IS NOT NULL AND "code" <> 'C_01' THEN 'progress'
    ELSE 'other'
  END
$$;--> statement-breakpoint
CREATE FUNCTION "event_hour_counts_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "event_hour_counts" ("hour", "kind", "shard", "events")
    SELECT date_trunc('hour', "received_at"), event_kind("code", "status"), pg_backend_pid() % 8, count(*)
    FROM "new_events" GROUP BY 1, 2
    ON CONFLICT ("hour", "kind", "shard") DO UPDATE SET "events" = "event_hour_counts"."events" + excluded."events";
  ELSE
    INSERT INTO "event_hour_counts" ("hour", "kind", "shard", "events")
    SELECT date_trunc('hour', "received_at"), event_kind("code", "status"), pg_backend_pid() % 8, -count(*)
    FROM "old_events" GROUP BY 1, 2
    ON CONFLICT ("hour", "kind", "shard") DO UPDATE SET "events" = "event_hour_counts"."events" + excluded."events";
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "events_hour_counts_insert" AFTER INSERT ON "events" REFERENCING NEW TABLE AS "new_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "event_hour_counts_add"();--> statement-breakpoint
CREATE TRIGGER "events_hour_counts_delete" AFTER DELETE ON "events" REFERENCING OLD TABLE AS "old_events"
  FOR EACH STATEMENT EXECUTE FUNCTION "event_hour_counts_add"();--> statement-breakpoint
-- The history so far, counted once.
INSERT INTO "event_hour_counts" ("hour", "kind", "shard", "events")
SELECT date_trunc('hour', "received_at"), event_kind("code", "status"), 0, count(*) FROM "events" GROUP BY 1, 2;
