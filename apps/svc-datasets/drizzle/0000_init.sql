CREATE SCHEMA IF NOT EXISTS "datasets";
--> statement-breakpoint
CREATE TABLE "datasets"."dashboards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"panels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets"."dataset_stats" (
	"dataset_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"tenant_id" uuid NOT NULL,
	"columns" jsonb NOT NULL,
	"rollups" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dataset_stats_dataset_id_version_pk" PRIMARY KEY("dataset_id","version")
);
--> statement-breakpoint
CREATE TABLE "datasets"."datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'awaiting_upload' NOT NULL,
	"failure_reason" text,
	"progress" jsonb,
	"version" integer DEFAULT 0 NOT NULL,
	"live_table" text,
	"columns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"row_count" bigint,
	"latest_upload_id" uuid,
	"file_name" text,
	"size_bytes" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ready_at" timestamp with time zone,
	CONSTRAINT "datasets_status_check" CHECK ("datasets"."datasets"."status" in ('awaiting_upload', 'uploaded', 'processing', 'ready', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "datasets"."ingests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"upload_id" uuid NOT NULL,
	"target_version" integer NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"failure_reason" text,
	"rows_done" bigint DEFAULT 0 NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "ingests_status_check" CHECK ("datasets"."ingests"."status" in ('queued', 'running', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "datasets"."uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"dataset_id" uuid NOT NULL,
	"object_key" text NOT NULL,
	"mode" text NOT NULL,
	"s3_upload_id" text,
	"file_name" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "uploads_mode_check" CHECK ("datasets"."uploads"."mode" in ('single', 'multipart')),
	CONSTRAINT "uploads_status_check" CHECK ("datasets"."uploads"."status" in ('pending', 'completed', 'aborted'))
);
--> statement-breakpoint
ALTER TABLE "datasets"."dashboards" ADD CONSTRAINT "dashboards_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets"."dataset_stats" ADD CONSTRAINT "dataset_stats_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets"."ingests" ADD CONSTRAINT "ingests_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets"."ingests" ADD CONSTRAINT "ingests_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "datasets"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets"."uploads" ADD CONSTRAINT "uploads_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "datasets"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dashboards_tenant_updated_idx" ON "datasets"."dashboards" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dashboards_tenant_name_key" ON "datasets"."dashboards" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "datasets_tenant_name_key" ON "datasets"."datasets" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "datasets_tenant_updated_idx" ON "datasets"."datasets" USING btree ("tenant_id","updated_at");--> statement-breakpoint
CREATE INDEX "ingests_dataset_idx" ON "datasets"."ingests" USING btree ("dataset_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ingests_dataset_version_key" ON "datasets"."ingests" USING btree ("dataset_id","target_version");--> statement-breakpoint
CREATE INDEX "uploads_dataset_idx" ON "datasets"."uploads" USING btree ("dataset_id");