-- Keeps campaign_wave_count_changes in step with campaign_vehicles, in the transaction of every
-- change, whoever writes: the counts the rollout engine, the wave view and the funnel read
-- (server/rollout/wave-counts.ts). Inserts and deletes append one row per key and statement;
-- an update appends -1/+1 only when the row's wave, phase or blocked state changed.
-- No writer may change campaign_vehicles while the trigger is created and the counts backfilled.
LOCK TABLE "campaign_vehicles" IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
CREATE FUNCTION campaign_wave_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO campaign_wave_count_changes (campaign_id, wave, phase, blocked, n)
  SELECT campaign_id, wave, phase, blocked_reason IS NOT NULL, count(*)::int
  FROM new_rows GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION campaign_wave_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A campaign deleted with its vehicles leaves no counts behind.
  INSERT INTO campaign_wave_count_changes (campaign_id, wave, phase, blocked, n)
  SELECT campaign_id, wave, phase, blocked_reason IS NOT NULL, -count(*)::int
  FROM old_rows WHERE EXISTS (SELECT 1 FROM campaigns c WHERE c.id = old_rows.campaign_id)
  GROUP BY 1, 2, 3, 4;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION campaign_wave_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO campaign_wave_count_changes (campaign_id, wave, phase, blocked, n)
  VALUES (OLD.campaign_id, OLD.wave, OLD.phase, OLD.blocked_reason IS NOT NULL, -1),
         (NEW.campaign_id, NEW.wave, NEW.phase, NEW.blocked_reason IS NOT NULL, 1);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER campaign_wave_counts_insert AFTER INSERT ON campaign_vehicles
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION campaign_wave_counts_on_insert();
--> statement-breakpoint
CREATE TRIGGER campaign_wave_counts_delete AFTER DELETE ON campaign_vehicles
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION campaign_wave_counts_on_delete();
--> statement-breakpoint
CREATE TRIGGER campaign_wave_counts_update AFTER UPDATE ON campaign_vehicles FOR EACH ROW
  WHEN (OLD.campaign_id <> NEW.campaign_id OR OLD.wave <> NEW.wave OR OLD.phase <> NEW.phase
    OR (OLD.blocked_reason IS NULL) <> (NEW.blocked_reason IS NULL))
  EXECUTE FUNCTION campaign_wave_counts_on_update();
--> statement-breakpoint
INSERT INTO campaign_wave_counts (campaign_id, wave, phase, blocked, n)
SELECT campaign_id, wave, phase, blocked_reason IS NOT NULL, count(*)::int
FROM campaign_vehicles GROUP BY 1, 2, 3, 4;
