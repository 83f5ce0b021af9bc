CREATE SCHEMA IF NOT EXISTS "deployer";
--> statement-breakpoint
CREATE TABLE "deployer"."credential_reveals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"user_email" text NOT NULL,
	"request_id" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deployer"."deployment_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"operation_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"state" text,
	"step" text,
	"message" text NOT NULL,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "deployer"."deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"plan_name" text NOT NULL,
	"component_id" text NOT NULL,
	"target" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"deployed_revision" integer,
	"deployed_document" jsonb,
	"config_version" integer DEFAULT 0 NOT NULL,
	"endpoint" jsonb,
	"resources" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"admin_secret_ref" text,
	"health" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deployments_state_check" CHECK ("deployer"."deployments"."state" in ('pending', 'provisioning', 'configuring', 'running', 'updating', 'failed', 'destroying', 'destroyed')),
	CONSTRAINT "deployments_target_check" CHECK ("deployer"."deployments"."target" in ('local', 'aws'))
);
--> statement-breakpoint
CREATE TABLE "deployer"."operations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"deployment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"plan_revision" integer,
	"document" jsonb,
	"steps_done" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"runs" integer DEFAULT 0 NOT NULL,
	"requested_by" text NOT NULL,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "operations_kind_check" CHECK ("deployer"."operations"."kind" in ('deploy', 'redeploy', 'destroy')),
	CONSTRAINT "operations_status_check" CHECK ("deployer"."operations"."status" in ('queued', 'running', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "deployer"."secrets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"master_key_id" text NOT NULL,
	"wrapped_key" "bytea" NOT NULL,
	"wrap_iv" "bytea" NOT NULL,
	"wrap_tag" "bytea" NOT NULL,
	"iv" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"auth_tag" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployer"."credential_reveals" ADD CONSTRAINT "credential_reveals_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "deployer"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployer"."deployment_events" ADD CONSTRAINT "deployment_events_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "deployer"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deployer"."operations" ADD CONSTRAINT "operations_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "deployer"."deployments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credential_reveals_deployment_idx" ON "deployer"."credential_reveals" USING btree ("deployment_id","at");--> statement-breakpoint
CREATE INDEX "deployment_events_deployment_idx" ON "deployer"."deployment_events" USING btree ("deployment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "deployments_tenant_plan_key" ON "deployer"."deployments" USING btree ("tenant_id","plan_id");--> statement-breakpoint
CREATE INDEX "operations_deployment_idx" ON "deployer"."operations" USING btree ("deployment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "operations_one_active_key" ON "deployer"."operations" USING btree ("deployment_id") WHERE "deployer"."operations"."status" in ('queued', 'running');