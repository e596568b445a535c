CREATE TABLE "server_signing_keys" (
	"keyid" text PRIMARY KEY NOT NULL,
	"private_key_encrypted" text NOT NULL,
	"public_key" text NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"not_after" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"origin" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vehicle_keys" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"vin" text NOT NULL,
	"public_key" text NOT NULL,
	"keyid" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"activated_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	"valid_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "implausible_reason" text;--> statement-breakpoint
ALTER TABLE "vehicle_keys" ADD CONSTRAINT "vehicle_keys_vin_vehicles_vin_fk" FOREIGN KEY ("vin") REFERENCES "public"."vehicles"("vin") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "server_signing_keys_not_before_idx" ON "server_signing_keys" USING btree ("not_before");--> statement-breakpoint
CREATE UNIQUE INDEX "vehicle_keys_vin_keyid_uq" ON "vehicle_keys" USING btree ("vin","keyid");--> statement-breakpoint
CREATE INDEX "vehicle_keys_usable_idx" ON "vehicle_keys" USING btree ("vin") WHERE status in ('active', 'pending');--> statement-breakpoint
-- vehicles.public_key moves into vehicle_keys (one active key each); a key that cannot be read as base64 is left out.
DO $$
DECLARE r record; der bytea;
BEGIN
  FOR r IN SELECT vin, public_key FROM vehicles WHERE public_key IS NOT NULL AND btrim(public_key) <> '' LOOP
    BEGIN
      der := decode(regexp_replace(regexp_replace(r.public_key, '-----[A-Z ]+-----', '', 'g'), '\s', '', 'g'), 'base64');
      IF length(der) = 32 THEN der := '\x302a300506032b6570032100'::bytea || der; END IF;
      INSERT INTO vehicle_keys (vin, public_key, keyid, status, activated_at) VALUES (r.vin, r.public_key, encode(sha256(der), 'hex'), 'active', now());
    EXCEPTION WHEN others THEN
      RAISE WARNING 'public key of vehicle % cannot be read; it is not carried over', r.vin;
    END;
  END LOOP;
END $$;--> statement-breakpoint
ALTER TABLE "vehicles" DROP COLUMN "public_key";