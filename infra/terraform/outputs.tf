output "vpc_id" {
  description = "The VPC."
  value       = module.network.vpc_id
}

output "alb_dns_name" {
  description = "DNS name of the ALB: point domain_name and api_domain_name at it (CNAME or alias)."
  value       = module.alb.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the ALB, for Route 53 alias records."
  value       = module.alb.zone_id
}

output "ecs_cluster_name" {
  description = "ECS cluster name (ECS_CLUSTER of the deploy workflow)."
  value       = module.cluster.name
}

output "ecr_repository_urls" {
  description = "ECR repository URL per app."
  value       = module.ecr.repository_urls
}

output "service_names" {
  description = "ECS service name per app."
  value       = { for app, service in module.service : app => service.service_name }
}

output "log_group_names" {
  description = "CloudWatch log group per app."
  value       = { for app, service in module.service : app => service.log_group_name }
}

output "database_endpoint" {
  description = "Aurora writer endpoint."
  value       = module.database.endpoint
}

output "database_reader_endpoint" {
  description = "Aurora reader endpoint (read replicas)."
  value       = module.database.reader_endpoint
}

output "database_master_secret_arn" {
  description = "Secrets Manager secret of the Aurora master user (managed and rotated by RDS)."
  value       = module.database.master_secret_arn
}

output "database_bootstrap_sql" {
  description = "SQL that creates the per-service roles and schemas; run once as the master user (docs/operations.md)."
  value       = module.database.bootstrap_sql
  sensitive   = true
}

output "redis_endpoint" {
  description = "ElastiCache primary endpoint."
  value       = module.redis.primary_endpoint
}

output "datasets_bucket" {
  description = "S3 bucket of dataset uploads (S3_BUCKET)."
  value       = module.storage.datasets_bucket
}

output "backups_bucket" {
  description = "S3 bucket of backups (database exports, deployment backups)."
  value       = module.storage.backups_bucket
}

output "secret_arns" {
  description = "Secrets Manager secrets the operator fills in (internal token keys) or rotates (master keys)."
  value       = module.secrets.arns
}

output "alarm_topic_arn" {
  description = "SNS topic every alarm notifies."
  value       = module.alarms.topic_arn
}

output "github_deploy_role_arn" {
  description = "Role the deploy workflow assumes (AWS_DEPLOY_ROLE_ARN); null without github_repository."
  value       = one(module.github_oidc[*].role_arn)
}
