CREATE SCHEMA IF NOT EXISTS "connections";
--> statement-breakpoint
CREATE TABLE "connections"."audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "connections"."audit_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"user_email" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"schema" text NOT NULL,
	"table" text NOT NULL,
	"action" text NOT NULL,
	"primary_keys" jsonb NOT NULL,
	"columns" text[] NOT NULL,
	"request_id" text NOT NULL,
	CONSTRAINT "audit_log_action_check" CHECK ("connections"."audit_log"."action" in ('insert', 'update', 'delete'))
);
--> statement-breakpoint
CREATE TABLE "connections"."catalogs" (
	"connection_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"snapshot" jsonb NOT NULL,
	"introspected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connections"."connections" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"database" text NOT NULL,
	"username" text NOT NULL,
	"ssl_mode" text NOT NULL,
	"ca_cert" text,
	"read_only" boolean DEFAULT false NOT NULL,
	"secret_ref" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"introspected_at" timestamp with time zone,
	CONSTRAINT "connections_ssl_mode_check" CHECK ("connections"."connections"."ssl_mode" in ('disable', 'require', 'verify-full')),
	CONSTRAINT "connections_port_check" CHECK ("connections"."connections"."port" between 1 and 65535)
);
--> statement-breakpoint
CREATE TABLE "connections"."secrets" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"master_key_id" text NOT NULL,
	"wrapped_key" "bytea" NOT NULL,
	"wrap_iv" "bytea" NOT NULL,
	"wrap_tag" "bytea" NOT NULL,
	"iv" "bytea" NOT NULL,
	"ciphertext" "bytea" NOT NULL,
	"auth_tag" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rotated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "connections"."table_rules" (
	"connection_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"schema" text NOT NULL,
	"table" text NOT NULL,
	"hidden" boolean DEFAULT false NOT NULL,
	"read_only" boolean DEFAULT false NOT NULL,
	"columns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "table_rules_pkey" PRIMARY KEY("connection_id","schema","table")
);
--> statement-breakpoint
ALTER TABLE "connections"."catalogs" ADD CONSTRAINT "catalogs_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "connections"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connections"."table_rules" ADD CONSTRAINT "table_rules_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "connections"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_connection_seq_idx" ON "connections"."audit_log" USING btree ("tenant_id","connection_id","seq" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "connections_tenant_name_key" ON "connections"."connections" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "secrets_master_key_id_idx" ON "connections"."secrets" USING btree ("master_key_id");