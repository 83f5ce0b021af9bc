output "primary_endpoint" {
  description = "Primary endpoint address."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "url_secret_arn" {
  description = "ARN of the REDIS_URL secret."
  value       = aws_secretsmanager_secret.url.arn
}

output "replication_group_id" {
  description = "Replication group id (alarms)."
  value       = aws_elasticache_replication_group.this.id
}
