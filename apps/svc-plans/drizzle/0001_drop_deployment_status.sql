ALTER TABLE "plans"."plans" DROP CONSTRAINT "plans_deployment_status_check";--> statement-breakpoint
ALTER TABLE "plans"."plans" DROP COLUMN "deployment_status";--> statement-breakpoint
ALTER TABLE "plans"."plans" DROP COLUMN "status_reason";