# Alarms on the shared data stores (each app's health alarms are in modules/service).

resource "aws_cloudwatch_metric_alarm" "aurora_cpu" {
  alarm_name          = "${local.prefix}-aurora-cpu"
  alarm_description   = "Aurora writer CPU above 80 % for 10 minutes: scale up the instance class or move reads to a replica"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBClusterIdentifier = module.database.cluster_identifier, Role = "WRITER" }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = [module.alarms.topic_arn]
  ok_actions          = [module.alarms.topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "aurora_memory" {
  alarm_name          = "${local.prefix}-aurora-freeable-memory"
  alarm_description   = "Aurora writer below 512 MiB freeable memory"
  namespace           = "AWS/RDS"
  metric_name         = "FreeableMemory"
  dimensions          = { DBClusterIdentifier = module.database.cluster_identifier, Role = "WRITER" }
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "LessThanThreshold"
  threshold           = 536870912
  alarm_actions       = [module.alarms.topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "redis_cpu" {
  alarm_name        = "${local.prefix}-redis-engine-cpu"
  alarm_description = "Redis engine CPU above 75 % for 10 minutes (Redis is single-threaded)"
  namespace         = "AWS/ElastiCache"
  metric_name       = "EngineCPUUtilization"
  # Node metrics are per cache cluster; the primary of a replication group is <id>-001.
  dimensions          = { CacheClusterId = "${module.redis.replication_group_id}-001" }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = 75
  alarm_actions       = [module.alarms.topic_arn]
  ok_actions          = [module.alarms.topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "redis_memory" {
  alarm_name          = "${local.prefix}-redis-memory"
  alarm_description   = "Redis above 80 % of its memory: with noeviction, writes (queues, sessions) fail when full"
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { CacheClusterId = "${module.redis.replication_group_id}-001" }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = [module.alarms.topic_arn]
  ok_actions          = [module.alarms.topic_arn]
}
