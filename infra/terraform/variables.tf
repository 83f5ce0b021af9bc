variable "name" {
  description = "Prefix of every resource name: ECR repositories <name>/<app>, ECS services and task families <name>-<app>."
  type        = string
  default     = "elasticdash"
}

variable "environment" {
  description = "Environment name, part of secret and parameter paths (<name>/<environment>/...)."
  type        = string
  default     = "production"
}

variable "region" {
  description = "AWS region of everything."
  type        = string
  default     = "eu-west-1"
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; split into one public and one private /20 per availability zone."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones used (2 or 3)."
  type        = number
  default     = 3
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper, one zone's outage cuts egress) instead of one per zone."
  type        = bool
  default     = false
}

variable "domain_name" {
  description = "Host name of the web app on the ALB (e.g. app.example.com); also the origin allowed by the gateway and S3 CORS."
  type        = string
}

variable "api_domain_name" {
  description = "Host name of the gateway on the ALB (e.g. api.example.com), for API clients and /api/docs."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate ARN covering domain_name and api_domain_name, for the HTTPS listener."
  type        = string
}

variable "alb_access_log_bucket" {
  description = "S3 bucket for ALB access logs; empty = off."
  type        = string
  default     = ""
}

variable "image_tag" {
  description = "Image tag the task definitions start with; later deploys register new revisions (.github/workflows/deploy.yml)."
  type        = string
  default     = "bootstrap"
}

variable "ecr_keep_images" {
  description = "Images kept per ECR repository (older ones expire)."
  type        = number
  default     = 50
}

variable "log_level" {
  description = "LOG_LEVEL of the NestJS apps."
  type        = string
  default     = "info"
}

variable "log_retention_days" {
  description = "CloudWatch log retention of every app's log group."
  type        = number
  default     = 30
}

variable "cpu_target_percent" {
  description = "Target average CPU of every ECS service's target-tracking autoscaling."
  type        = number
  default     = 60
}

variable "worker_backlog_per_task_target" {
  description = "Worker autoscaling target: queued + active BullMQ jobs per running worker task."
  type        = number
  default     = 4
}

variable "worker_ingest_concurrency" {
  description = "INGEST_CONCURRENCY of each worker task (ingest jobs processed in parallel)."
  type        = number
  default     = 2
}

variable "bullmq_prefix" {
  description = "BULLMQ_PREFIX shared by svc-datasets, svc-deployer and the worker."
  type        = string
  default     = "bull"
}

variable "secrets_master_key_id" {
  description = "SECRETS_MASTER_KEY_ID of the current master key (svc-deployer, worker); change it when rotating (docs/operations.md)."
  type        = string
  default     = "aws-1"
}

variable "deploy_target_role_arns" {
  description = "Roles in tenants' AWS accounts that svc-deployer and the worker may assume (sts:AssumeRole) for the AWS deploy target."
  type        = list(string)
  default     = ["arn:aws:iam::*:role/elasticdash-deploy-*"]
}

variable "db_engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
  default     = "16.6"
}

variable "db_instance_class" {
  description = "Aurora instance class (e.g. db.r6g.large, or db.serverless for Serverless v2)."
  type        = string
  default     = "db.r6g.large"
}

variable "db_instance_count" {
  description = "Aurora instances: one writer plus readers (failover targets and read replicas)."
  type        = number
  default     = 2
}

variable "db_backup_retention_days" {
  description = "Aurora automated backup retention (point-in-time restore window), 1-35 days."
  type        = number
  default     = 14
}

variable "db_deletion_protection" {
  description = "Refuse to delete the Aurora cluster (turn off only to tear an environment down)."
  type        = bool
  default     = true
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.medium"
}

variable "redis_replicas" {
  description = "Redis replicas next to the primary (at least 1 for automatic failover)."
  type        = number
  default     = 1
}

variable "backups_retention_days" {
  description = "Days objects stay in the backups bucket."
  type        = number
  default     = 90
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic; empty = none (subscribe something else to the topic)."
  type        = string
  default     = ""
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose deploy workflow may push images and update services; empty = no deploy role."
  type        = string
  default     = ""
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false when the account already has one)."
  type        = bool
  default     = true
}
