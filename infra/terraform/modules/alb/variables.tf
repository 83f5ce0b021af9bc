variable "name" {
  description = "Name prefix."
  type        = string
}

variable "vpc_id" {
  description = "VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Public subnets."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener."
  type        = string
}

variable "idle_timeout" {
  description = "Idle timeout in seconds (above the SSE heartbeat of 15 s)."
  type        = number
}

variable "access_log_bucket" {
  description = "S3 bucket for access logs; empty = off."
  type        = string
}

variable "targets" {
  description = "Apps behind the ALB: port, health check path, host name, and which one is the default action."
  type = map(object({
    port        = number
    health_path = string
    host        = string
    default     = bool
  }))

  validation {
    condition     = length([for target in values(var.targets) : target if target.default]) == 1
    error_message = "Exactly one target must be the default (web)."
  }
}
