output "endpoint" {
  description = "Writer endpoint."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "master_secret_arn" {
  description = "Secret of the master user, managed by RDS."
  value       = aws_rds_cluster.this.master_user_secret[0].secret_arn
}

output "url_secret_arns" {
  description = "DATABASE_URL secret ARN per role."
  value       = { for role, secret in aws_secretsmanager_secret.url : role => secret.arn }
}

output "security_group_id" {
  description = "Security group of the cluster."
  value       = aws_security_group.this.id
}

output "cluster_identifier" {
  description = "Cluster identifier (alarms, snapshots)."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "bootstrap_sql" {
  description = "SQL creating the roles and schemas (contains passwords)."
  value       = local.bootstrap_sql
  sensitive   = true
}
