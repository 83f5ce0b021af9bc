output "arn" {
  description = "Cluster ARN."
  value       = aws_ecs_cluster.this.arn
}

output "name" {
  description = "Cluster name."
  value       = aws_ecs_cluster.this.name
}

output "namespace_id" {
  description = "Cloud Map namespace id."
  value       = aws_service_discovery_private_dns_namespace.this.id
}
