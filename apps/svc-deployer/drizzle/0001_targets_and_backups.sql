CREATE TABLE "deployer"."aws_targets" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"credential_kind" text NOT NULL,
	"role_arn" text,
	"access_key_id" text,
	"secret_ref" text NOT NULL,
	"last_check" jsonb,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "aws_targets_credential_kind_check" CHECK ("deployer"."aws_targets"."credential_kind" in ('role', 'access-key')),
	CONSTRAINT "aws_targets_credentials_check" CHECK (("deployer"."aws_targets"."credential_kind" = 'role' and "deployer"."aws_targets"."role_arn" is not null) or ("deployer"."aws_targets"."credential_kind" = 'access-key' and "deployer"."aws_targets"."access_key_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "deployer"."backups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"bucket" text,
	"object_key" text,
	"size_bytes" bigint,
	"error" text,
	"table_counts" jsonb,
	"validation" text DEFAULT 'pending' NOT NULL,
	"validation_details" jsonb,
	"validated_at" timestamp with time zone,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"expired_at" timestamp with time zone,
	CONSTRAINT "backups_trigger_check" CHECK ("deployer"."backups"."trigger" in ('schedule', 'manual')),
	CONSTRAINT "backups_status_check" CHECK ("deployer"."backups"."status" in ('running', 'succeeded', 'failed')),
	CONSTRAINT "backups_validation_check" CHECK ("deployer"."backups"."validation" in ('pending', 'passed', 'failed', 'skipped'))
);
--> statement-breakpoint
ALTER TABLE "deployer"."backups" ADD CONSTRAINT "backups_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "deployer"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "backups_deployment_idx" ON "deployer"."backups" USING btree ("deployment_id","started_at");