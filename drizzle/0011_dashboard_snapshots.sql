CREATE TABLE "dashboard_snapshots" (
	"name" text PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
