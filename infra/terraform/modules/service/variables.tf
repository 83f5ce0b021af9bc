variable "name" {
  description = "Name prefix: the service, task family and roles are <name>-<app>."
  type        = string
}

variable "app" {
  description = "App directory name in apps/ (also the container name and Cloud Map name)."
  type        = string
}

variable "region" {
  description = "AWS region (log configuration)."
  type        = string
}

variable "image" {
  description = "Image the first task definition uses; the deploy workflow registers later revisions."
  type        = string
}

variable "port" {
  description = "Container port (the app's <APP>_PORT)."
  type        = number
}

variable "cpu" {
  description = "Fargate task CPU units."
  type        = number
}

variable "memory" {
  description = "Fargate task memory (MiB)."
  type        = number
}

variable "desired_count" {
  description = "Tasks at creation (autoscaling moves it between min_count and max_count)."
  type        = number
}

variable "min_count" {
  description = "Autoscaling minimum."
  type        = number
}

variable "max_count" {
  description = "Autoscaling maximum."
  type        = number
}

variable "health_path" {
  description = "Readiness path checked by the container health check (and the ALB)."
  type        = string
}

variable "cluster_arn" {
  description = "ECS cluster ARN."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster name (autoscaling resource id, alarms)."
  type        = string
}

variable "namespace_id" {
  description = "Cloud Map namespace the service registers in."
  type        = string
}

variable "vpc_id" {
  description = "VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the tasks."
  type        = list(string)
}

variable "ingress_security_group_ids" {
  description = "Security groups allowed to the container port besides caller apps (the ALB)."
  type        = list(string)
}

variable "caller_apps" {
  description = "Apps that call this one (the rules are made in the root module; documented here)."
  type        = list(string)
}

variable "environment_arns" {
  description = "{ VARIABLE = SSM parameter ARN } of the app's plain configuration."
  type        = map(string)
}

variable "secret_arns" {
  description = "{ VARIABLE = Secrets Manager ARN } of the app's secrets."
  type        = map(string)
}

variable "task_policy_json" {
  description = "IAM policy of the task role (what the app may call in AWS); null = none."
  type        = string
  default     = null
}

variable "target_group_arn" {
  description = "ALB target group (web and gateway only); null = not behind the ALB."
  type        = string
  default     = null
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix for the unhealthy-host alarm; null when not behind the ALB."
  type        = string
  default     = null
}

variable "target_group_arn_suffix" {
  description = "Target group ARN suffix for the unhealthy-host alarm; null when not behind the ALB."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Log group retention."
  type        = number
}

variable "cpu_target_percent" {
  description = "Target-tracking CPU utilisation."
  type        = number
}

variable "alarm_topic_arn" {
  description = "SNS topic of the alarms."
  type        = string
}

variable "queue_scaling" {
  description = "Target tracking on a queue metric (the worker): CloudWatch namespace, metric, dimensions and target value; null = CPU only."
  type = object({
    namespace   = string
    metric_name = string
    dimensions  = map(string)
    target      = number
  })
  default = null
}
