CREATE TABLE "campaign_wave_count_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" integer NOT NULL,
	"wave" integer NOT NULL,
	"phase" text NOT NULL,
	"blocked" boolean NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_wave_counts" (
	"campaign_id" integer NOT NULL,
	"wave" integer NOT NULL,
	"phase" text NOT NULL,
	"blocked" boolean NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "campaign_wave_counts_pk" PRIMARY KEY("campaign_id","wave","phase","blocked")
);
--> statement-breakpoint
ALTER TABLE "campaign_wave_counts" ADD CONSTRAINT "campaign_wave_counts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "campaign_wave_count_changes_campaign_idx" ON "campaign_wave_count_changes" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_vehicles_active_idx" ON "campaign_vehicles" USING btree ("campaign_id",coalesce("last_event_at", "updated_at")) WHERE phase in ('command_delivered', 'config_uploaded', 'consented', 'downloading', 'downloaded', 'installing', 'activating');