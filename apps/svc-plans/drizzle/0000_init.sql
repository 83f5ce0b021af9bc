CREATE SCHEMA IF NOT EXISTS "plans";
--> statement-breakpoint
CREATE TABLE "plans"."plan_revisions" (
	"plan_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid NOT NULL,
	"created_by_email" text NOT NULL,
	"restored_from" integer,
	CONSTRAINT "plan_revisions_pkey" PRIMARY KEY("plan_id","revision"),
	CONSTRAINT "plan_revisions_revision_check" CHECK ("plans"."plan_revisions"."revision" >= 1),
	CONSTRAINT "plan_revisions_restored_from_check" CHECK ("plans"."plan_revisions"."restored_from" is null or ("plans"."plan_revisions"."restored_from" >= 1 and "plans"."plan_revisions"."restored_from" < "plans"."plan_revisions"."revision"))
);
--> statement-breakpoint
CREATE TABLE "plans"."plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"latest_revision" integer NOT NULL,
	"deployment_status" text DEFAULT 'not_deployed' NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_latest_revision_check" CHECK ("plans"."plans"."latest_revision" >= 1),
	CONSTRAINT "plans_deployment_status_check" CHECK ("plans"."plans"."deployment_status" in ('not_deployed', 'deploying', 'running', 'failing'))
);
--> statement-breakpoint
ALTER TABLE "plans"."plan_revisions" ADD CONSTRAINT "plan_revisions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "plans"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plans_tenant_name_key" ON "plans"."plans" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "plans_tenant_updated_idx" ON "plans"."plans" USING btree ("tenant_id","updated_at");