# Queue depth for the worker's autoscaling: a small Lambda (src/index.mjs) runs every minute,
# reads the BullMQ queues in Redis and the worker's running task count, and publishes QueueDepth,
# Backlog and BacklogPerTask to CloudWatch.

locals {
  function_name = "${var.name}-queue-metrics"
  namespace     = "ElasticDash/Queues"
}

data "archive_file" "code" {
  type        = "zip"
  source_file = "${path.module}/src/index.mjs"
  output_path = "${path.root}/.terraform/build/queue-metrics.zip"
}

data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_security_group" "this" {
  name        = local.function_name
  description = "queue-metrics Lambda: out to Redis and AWS APIs"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_security_group.this.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = local.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "vpc" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "RedisUrl"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.redis_url_secret_arn]
  }
  statement {
    sid       = "WorkerService"
    actions   = ["ecs:DescribeServices"]
    resources = ["arn:aws:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:service/${var.cluster_name}/${var.worker_service_name}"]
  }
  statement {
    sid       = "Metrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [local.namespace]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "queue-metrics"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "this" {
  function_name    = local.function_name
  role             = aws_iam_role.this.arn
  runtime          = "nodejs20.x"
  handler          = "index.handler"
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  timeout          = 20
  memory_size      = 128

  vpc_config {
    subnet_ids         = var.subnet_ids
    security_group_ids = [aws_security_group.this.id]
  }

  environment {
    variables = {
      REDIS_URL_SECRET_ARN = var.redis_url_secret_arn
      BULLMQ_PREFIX        = var.bullmq_prefix
      QUEUES               = join(",", var.queues)
      CLUSTER_NAME         = var.cluster_name
      WORKER_SERVICE_NAME  = var.worker_service_name
      METRIC_NAMESPACE     = local.namespace
    }
  }

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy_attachment.vpc]
}

resource "aws_cloudwatch_event_rule" "every_minute" {
  name                = local.function_name
  schedule_expression = "rate(1 minute)"
}

resource "aws_cloudwatch_event_target" "this" {
  rule = aws_cloudwatch_event_rule.every_minute.name
  arn  = aws_lambda_function.this.arn
}

resource "aws_lambda_permission" "events" {
  statement_id  = "AllowEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.every_minute.arn
}

# No data for 5 minutes: the worker would stop scaling on queue depth.
resource "aws_cloudwatch_metric_alarm" "stale" {
  alarm_name          = "${local.function_name}-missing"
  alarm_description   = "No queue depth published for 5 minutes: worker autoscaling is blind"
  namespace           = local.namespace
  metric_name         = "BacklogPerTask"
  dimensions          = { Service = var.worker_service_name }
  statistic           = "SampleCount"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [var.alarm_topic_arn]
}
