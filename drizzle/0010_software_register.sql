CREATE TABLE "software_register" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"campaign_name" text NOT NULL,
	"attempt_id" text,
	"vehicle_package" jsonb NOT NULL,
	"software_packages" jsonb NOT NULL,
	"ecus" jsonb NOT NULL,
	"rxswin_before" jsonb NOT NULL,
	"rxswin_after" jsonb NOT NULL,
	"compatibility" jsonb NOT NULL,
	"consent" jsonb NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"error_codes" jsonb NOT NULL,
	"final_event_id" bigint,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "vehicle_ecus" ADD COLUMN "source" text DEFAULT 'configuration' NOT NULL;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "config_upload_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "expected_config" jsonb;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "config_mismatch" jsonb;--> statement-breakpoint
ALTER TABLE "vehicle_packages" ADD COLUMN "rxswin" text;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "config_snapshot_id" bigint;--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "compatibility" jsonb;--> statement-breakpoint
ALTER TABLE "campaign_vehicles" ADD COLUMN "install_progress" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_vehicles" ADD COLUMN "activation_progress" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "software_register_vin_idx" ON "software_register" USING btree ("vin","ended_at");--> statement-breakpoint
CREATE INDEX "software_register_campaign_idx" ON "software_register" USING btree ("campaign_id","ended_at");--> statement-breakpoint
CREATE INDEX "software_register_ended_idx" ON "software_register" USING btree ("ended_at");--> statement-breakpoint
CREATE FUNCTION "software_register_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'software_register is append-only: rows are never changed or deleted';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "software_register_append_only" BEFORE UPDATE OR DELETE ON "software_register" FOR EACH ROW EXECUTE FUNCTION "software_register_append_only"();
