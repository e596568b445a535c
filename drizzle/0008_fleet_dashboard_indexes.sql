CREATE TABLE "event_hour_counts" (
	"hour" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"shard" smallint NOT NULL,
	"events" bigint NOT NULL,
	CONSTRAINT "event_hour_counts_pk" PRIMARY KEY("hour","kind","shard")
);
--> statement-breakpoint
DROP INDEX "campaign_vehicles_vin_idx";--> statement-breakpoint
CREATE INDEX "vehicles_last_seen_idx" ON "vehicles" USING btree ("last_seen_at" DESC NULLS LAST,"vin");--> statement-breakpoint
CREATE INDEX "campaign_vehicles_trouble_idx" ON "campaign_vehicles" USING btree ("last_event_at" DESC NULLS LAST,"vin") WHERE phase in ('failed', 'declined');--> statement-breakpoint
CREATE INDEX "events_update_complete_idx" ON "events" USING btree ("received_at","vin","campaign_id") WHERE code = 'C_35';--> statement-breakpoint
CREATE INDEX "events_vehicle_error_idx" ON "events" USING btree ("received_at","vin","campaign_id") WHERE code = 'C_28';--> statement-breakpoint
CREATE INDEX "campaign_vehicles_vin_idx" ON "campaign_vehicles" USING btree ("vin","campaign_id","phase");