variable "name" {
  description = "Name prefix."
  type        = string
}

variable "vpc_id" {
  description = "VPC (the function reaches Redis in it)."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the function."
  type        = list(string)
}

variable "redis_url_secret_arn" {
  description = "Secret holding REDIS_URL."
  type        = string
}

variable "bullmq_prefix" {
  description = "BULLMQ_PREFIX of the apps."
  type        = string
}

variable "queues" {
  description = "BullMQ queues whose jobs the worker processes on demand (not the repeatable monitors)."
  type        = list(string)
}

variable "cluster_name" {
  description = "ECS cluster of the worker."
  type        = string
}

variable "worker_service_name" {
  description = "ECS service name of the worker."
  type        = string
}

variable "log_retention_days" {
  description = "Log retention of the function."
  type        = number
}

variable "alarm_topic_arn" {
  description = "SNS topic of the missing-metrics alarm."
  type        = string
}
