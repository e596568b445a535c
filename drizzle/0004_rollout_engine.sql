ALTER TABLE "campaign_vehicles" ADD COLUMN "wave" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_vehicles" ADD COLUMN "blocked_reason" text;--> statement-breakpoint
ALTER TABLE "campaign_vehicles" ADD COLUMN "declined_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_vehicles" ADD COLUMN "retries" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "rollout" jsonb DEFAULT '{"waves":[{"size":100,"unit":"percent"}],"successThreshold":100,"errorThreshold":100,"autoAdvance":true}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "current_wave" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "suspend_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "acknowledged_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "preconditions" jsonb DEFAULT '{"ecus":[],"minFreeStorageMb":0}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "reoffer_declined_after_hours" integer;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "command_ack_timeout_seconds" integer DEFAULT 3600 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "command_max_redeliveries" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "stall_after_minutes" integer DEFAULT 120 NOT NULL;--> statement-breakpoint
ALTER TABLE "commands" ADD COLUMN "first_delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "commands" ADD COLUMN "ack_timeout_seconds" integer DEFAULT 3600 NOT NULL;--> statement-breakpoint
ALTER TABLE "commands" ADD COLUMN "max_redeliveries" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
CREATE INDEX "campaign_vehicles_wave_idx" ON "campaign_vehicles" USING btree ("campaign_id","wave","phase");