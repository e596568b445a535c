-- Each database session adds to its own row of event_hour_counts: the shard is the backend's
-- pid (mod 32768, the column is a smallint), no longer pid mod 8. With 8 shards, sessions of
-- one pool shared a row, and a notification's transaction held that row's lock until it
-- committed, so notifications of different vehicles queued behind each other (seen as
-- Lock:transactionid waits in the 10,000-vehicle fleet run). Readers sum the shards, as before:
-- an hour has as many rows per kind as sessions wrote in it.
CREATE OR REPLACE FUNCTION "event_hour_counts_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "event_hour_counts" ("hour", "kind", "shard", "events")
    SELECT date_trunc('hour', "received_at"), event_kind("code", "status"), pg_backend_pid() % 32768, count(*)
    FROM "new_events" GROUP BY 1, 2
    ON CONFLICT ("hour", "kind", "shard") DO UPDATE SET "events" = "event_hour_counts"."events" + excluded."events";
  ELSE
    INSERT INTO "event_hour_counts" ("hour", "kind", "shard", "events")
    SELECT date_trunc('hour', "received_at"), event_kind("code", "status"), pg_backend_pid() % 32768, -count(*)
    FROM "old_events" GROUP BY 1, 2
    ON CONFLICT ("hour", "kind", "shard") DO UPDATE SET "events" = "event_hour_counts"."events" + excluded."events";
  END IF;
  RETURN NULL;
END
$$;
