# One app on ECS Fargate: log group, roles of least privilege, security group, task definition
# with a container health check on the readiness endpoint, service registered in Cloud Map
# (and in the ALB target group for web and gateway), autoscaling on CPU (and, for the worker, on
# queue depth), and alarms on health.

locals {
  full_name = "${var.name}-${var.app}"
  health_command = [
    "CMD", "node", "-e",
    "fetch('http://127.0.0.1:${var.port}${var.health_path}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
  ]
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/${local.full_name}"
  retention_in_days = var.log_retention_days
}

# ── roles ─────────────────────────────────────────────────────────────────────────────────────

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Execution role: what ECS needs to start the task — pull the image, write logs, read this app's
# own secrets and parameters. Nothing of any other app.
resource "aws_iam_role" "execution" {
  name               = "${local.full_name}-execution"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "PullImage"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "PullFromOwnRepository"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = ["arn:aws:ecr:${var.region}:${data.aws_caller_identity.current.account_id}:repository/${var.name}/${var.app}"]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []
    content {
      sid       = "OwnSecrets"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = distinct(values(var.secret_arns))
    }
  }
  dynamic "statement" {
    for_each = length(var.environment_arns) > 0 ? [1] : []
    content {
      sid       = "OwnParameters"
      actions   = ["ssm:GetParameters"]
      resources = values(var.environment_arns)
    }
  }
}

data "aws_caller_identity" "current" {}

resource "aws_iam_role_policy" "execution" {
  name   = "start-task"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# Task role: what the app itself may call. Empty unless the app uses AWS (task_policy_json).
resource "aws_iam_role" "task" {
  name               = "${local.full_name}-task"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "task" {
  count = var.task_policy_json == null ? 0 : 1

  name   = "app"
  role   = aws_iam_role.task.id
  policy = var.task_policy_json
}

# ── network ───────────────────────────────────────────────────────────────────────────────────

resource "aws_security_group" "this" {
  name        = local.full_name
  description = "${var.app} tasks"
  vpc_id      = var.vpc_id
}

# count, not for_each: the ids are only known after apply, the number is known now.
resource "aws_vpc_security_group_ingress_rule" "from" {
  count = length(var.ingress_security_group_ids)

  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = var.ingress_security_group_ids[count.index]
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
}

# Out to other apps, Aurora, Redis, AWS APIs (NAT) and tenants' databases.
resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.this.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_service_discovery_service" "this" {
  name = var.app

  dns_config {
    namespace_id   = var.namespace_id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

# ── task and service ──────────────────────────────────────────────────────────────────────────

resource "aws_ecs_task_definition" "this" {
  family                   = local.full_name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([{
    name         = var.app
    image        = var.image
    essential    = true
    portMappings = [{ containerPort = var.port, protocol = "tcp" }]
    # Plain configuration from SSM Parameter Store and secrets from Secrets Manager, both resolved
    # by ECS when the task starts.
    secrets = concat(
      [for variable, arn in var.environment_arns : { name = variable, valueFrom = arn }],
      [for variable, arn in var.secret_arns : { name = variable, valueFrom = arn }],
    )
    healthCheck = {
      command     = local.health_command
      interval    = 10
      timeout     = 5
      retries     = 3
      startPeriod = 30
    }
    # SIGTERM → SHUTDOWN_GRACE_MS draining + SHUTDOWN_TIMEOUT_MS closing, before SIGKILL.
    stopTimeout            = 30
    readonlyRootFilesystem = false
    user                   = "node"
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.this.name
        awslogs-region        = var.region
        awslogs-stream-prefix = var.app
      }
    }
  }])
}

resource "aws_ecs_service" "this" {
  name                              = local.full_name
  cluster                           = var.cluster_arn
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = var.desired_count
  launch_type                       = "FARGATE"
  propagate_tags                    = "SERVICE"
  enable_execute_command            = false
  health_check_grace_period_seconds = var.target_group_arn == null ? null : 60

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.this.arn
  }

  dynamic "load_balancer" {
    for_each = var.target_group_arn == null ? [] : [var.target_group_arn]
    content {
      target_group_arn = load_balancer.value
      container_name   = var.app
      container_port   = var.port
    }
  }

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # The deploy workflow registers new task definition revisions and autoscaling owns the count.
  lifecycle {
    ignore_changes = [task_definition, desired_count]
  }
}

# ── autoscaling ───────────────────────────────────────────────────────────────────────────────

resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_count
  max_capacity       = var.max_count
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.full_name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# Queue depth: jobs waiting or running per task, published every minute by modules/queue-metrics.
resource "aws_appautoscaling_policy" "queue" {
  count = var.queue_scaling == null ? 0 : 1

  name               = "${local.full_name}-queue-depth"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.queue_scaling.target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    customized_metric_specification {
      namespace   = var.queue_scaling.namespace
      metric_name = var.queue_scaling.metric_name
      statistic   = "Average"

      dynamic "dimensions" {
        for_each = var.queue_scaling.dimensions
        content {
          name  = dimensions.key
          value = dimensions.value
        }
      }
    }
  }
}

# ── alarms on health ──────────────────────────────────────────────────────────────────────────

# Every app: fewer running tasks than the minimum for 5 minutes (tasks failing their container
# health check on the readiness endpoint are stopped and replaced, so they show up here).
resource "aws_cloudwatch_metric_alarm" "running_tasks" {
  alarm_name          = "${local.full_name}-running-tasks"
  alarm_description   = "${var.app}: fewer healthy tasks than ${var.min_count} (container health check on ${var.health_path})"
  namespace           = "ECS/ContainerInsights"
  metric_name         = "RunningTaskCount"
  dimensions          = { ClusterName = var.cluster_name, ServiceName = aws_ecs_service.this.name }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "LessThanThreshold"
  threshold           = var.min_count
  treat_missing_data  = "breaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

# Behind the ALB: any target failing the target group's readiness check for 3 minutes.
resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  count = var.target_group_arn_suffix == null ? 0 : 1

  alarm_name          = "${local.full_name}-unhealthy-targets"
  alarm_description   = "${var.app}: ALB targets failing ${var.health_path}"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  count = var.target_group_arn_suffix == null ? 0 : 1

  alarm_name          = "${local.full_name}-5xx"
  alarm_description   = "${var.app}: more than 5 % of requests answered 5xx for 5 minutes"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]

  metric_query {
    id          = "ratio"
    expression  = "100 * errors / MAX([errors, requests])"
    label       = "5xx %"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }
}
