output "metric_namespace" {
  description = "CloudWatch namespace of the queue metrics."
  value       = local.namespace
}

output "backlog_per_task_metric" {
  description = "Metric the worker's autoscaling tracks (dimension Service = the worker's ECS service)."
  value       = "BacklogPerTask"
}

output "security_group_id" {
  description = "Security group of the function (allowed into Redis)."
  value       = aws_security_group.this.id
}
