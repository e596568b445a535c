CREATE TABLE "config_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"content_hash" text NOT NULL,
	"client_digest" text,
	"rxswin" jsonb,
	"storage_used_mb" integer,
	"storage_available_mb" integer,
	"locale" text,
	"upload_reason" text,
	"last_update_campaign_id" integer,
	"preferred_campaign_id" integer,
	"attempt_id" text,
	"is_new_attempt" boolean,
	"selected_campaign_id" integer,
	"ecu_version_manifests" jsonb NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicle_ecus" (
	"vin" text NOT NULL,
	"ecu_id" text NOT NULL,
	"hardware_id" text,
	"software_id" text,
	"software_version" text,
	"manifest" jsonb NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vehicle_ecus_pk" PRIMARY KEY("vin","ecu_id")
);
--> statement-breakpoint
CREATE TABLE "vehicles" (
	"vin" text PRIMARY KEY NOT NULL,
	"primary_id" text DEFAULT '0' NOT NULL,
	"model" text,
	"region" text,
	"rm_state" text,
	"rm_state_at" timestamp with time zone,
	"config_digest" text,
	"last_config_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "software_packages" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"target_ecu" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text DEFAULT 'application/octet-stream' NOT NULL,
	"storage_key" text NOT NULL,
	"sha256" text NOT NULL,
	"length" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicle_package_items" (
	"vehicle_package_id" integer NOT NULL,
	"software_package_id" integer NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "vehicle_package_items_pk" PRIMARY KEY("vehicle_package_id","software_package_id")
);
--> statement-breakpoint
CREATE TABLE "vehicle_packages" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"storage_key" text NOT NULL,
	"sha256" text NOT NULL,
	"length" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attempts" (
	"id" serial PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"attempt_id" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resumed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "campaign_vehicles" (
	"campaign_id" integer NOT NULL,
	"vin" text NOT NULL,
	"phase" text DEFAULT 'queued' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"last_error_code" text,
	"last_event_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_vehicles_pk" PRIMARY KEY("campaign_id","vin")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'Draft' NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"vehicle_package_id" integer NOT NULL,
	"repro_policy" jsonb NOT NULL,
	"requires_consent" boolean DEFAULT false NOT NULL,
	"hmi_texts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"default_locale" text DEFAULT 'en' NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"code" text,
	"classified" boolean NOT NULL,
	"events_uuid" text NOT NULL,
	"events_type" text NOT NULL,
	"status" text NOT NULL,
	"attempt_id" text,
	"report_id" text,
	"campaign_id" integer,
	"event_time" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"bytes_downloaded" bigint,
	"download_size" bigint,
	"error_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"uuid_reused" boolean DEFAULT false NOT NULL,
	"raw" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "command_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"command_row_id" integer NOT NULL,
	"delivered_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commands" (
	"id" serial PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"command_id" integer NOT NULL,
	"command" text NOT NULL,
	"campaign_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"delivery_count" integer DEFAULT 0 NOT NULL,
	"last_delivered_at" timestamp with time zone,
	"acknowledged_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_uploads" (
	"upload_id" text PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"log_type" text,
	"file_name" text NOT NULL,
	"declared_size" bigint,
	"storage_key" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"size" bigint,
	"sha256" text,
	"expires_at" timestamp with time zone NOT NULL,
	"uploaded_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_defaults" (
	"action_id" text PRIMARY KEY NOT NULL,
	"value" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicle_action_overrides" (
	"vin" text NOT NULL,
	"action_id" text NOT NULL,
	"value" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vehicle_action_overrides_pk" PRIMARY KEY("vin","action_id")
);
--> statement-breakpoint
ALTER TABLE "config_snapshots" ADD CONSTRAINT "config_snapshots_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_ecus" ADD CONSTRAINT "vehicle_ecus_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_package_items" ADD CONSTRAINT "vehicle_package_items_vehicle_package_id_vehicle_packages_id_fk" FOREIGN KEY ("vehicle_package_id") REFERENCES "public"."vehicle_packages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_package_items" ADD CONSTRAINT "vehicle_package_items_software_package_id_software_packages_id_fk" FOREIGN KEY ("software_package_id") REFERENCES "public"."software_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_vehicles" ADD CONSTRAINT "campaign_vehicles_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_vehicles" ADD CONSTRAINT "campaign_vehicles_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_vehicle_package_id_vehicle_packages_id_fk" FOREIGN KEY ("vehicle_package_id") REFERENCES "public"."vehicle_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_deliveries" ADD CONSTRAINT "command_deliveries_command_row_id_commands_id_fk" FOREIGN KEY ("command_row_id") REFERENCES "public"."commands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commands" ADD CONSTRAINT "commands_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commands" ADD CONSTRAINT "commands_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "log_uploads" ADD CONSTRAINT "log_uploads_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicle_action_overrides" ADD CONSTRAINT "vehicle_action_overrides_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "config_snapshots_vin_hash_uq" ON "config_snapshots" USING btree ("vin","content_hash");--> statement-breakpoint
CREATE INDEX "config_snapshots_vin_received_idx" ON "config_snapshots" USING btree ("vin","received_at");--> statement-breakpoint
CREATE INDEX "vehicle_ecus_version_idx" ON "vehicle_ecus" USING btree ("ecu_id","software_version");--> statement-breakpoint
CREATE INDEX "vehicles_model_idx" ON "vehicles" USING btree ("model");--> statement-breakpoint
CREATE INDEX "vehicles_region_idx" ON "vehicles" USING btree ("region");--> statement-breakpoint
CREATE INDEX "software_packages_target_idx" ON "software_packages" USING btree ("target_ecu","version");--> statement-breakpoint
CREATE UNIQUE INDEX "attempts_vin_attempt_uq" ON "attempts" USING btree ("vin","attempt_id");--> statement-breakpoint
CREATE INDEX "attempts_campaign_idx" ON "attempts" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "campaign_vehicles_vin_idx" ON "campaign_vehicles" USING btree ("vin");--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "events_vin_hash_uq" ON "events" USING btree ("vin","content_hash");--> statement-breakpoint
CREATE INDEX "events_vin_uuid_idx" ON "events" USING btree ("vin","events_uuid");--> statement-breakpoint
CREATE INDEX "events_vin_time_idx" ON "events" USING btree ("vin","event_time");--> statement-breakpoint
CREATE INDEX "events_campaign_idx" ON "events" USING btree ("campaign_id","received_at");--> statement-breakpoint
CREATE INDEX "events_received_idx" ON "events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "command_deliveries_command_idx" ON "command_deliveries" USING btree ("command_row_id");--> statement-breakpoint
CREATE INDEX "commands_open_idx" ON "commands" USING btree ("vin","status","created_at");--> statement-breakpoint
CREATE INDEX "commands_campaign_idx" ON "commands" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "log_uploads_vin_idx" ON "log_uploads" USING btree ("vin","created_at");