# The ECS cluster (Fargate, Container Insights for per-service CPU/memory/task counts) and the
# Cloud Map private DNS namespace: each service registers <app>.<namespace>, which is how the
# gateway finds the services and web finds the gateway.

resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
    base              = 1
  }
}

resource "aws_service_discovery_private_dns_namespace" "this" {
  name        = var.namespace
  description = "Service discovery for ${var.name}"
  vpc         = var.vpc_id
}
