variable "name" {
  description = "Name prefix."
  type        = string
}

variable "secret_prefix" {
  description = "Secrets Manager name prefix: REDIS_URL is <prefix>/redis-url."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the replication group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets."
  type        = list(string)
}

variable "node_type" {
  description = "Node type."
  type        = string
}

variable "replicas" {
  description = "Replicas next to the primary."
  type        = number
}

variable "client_security_group_ids" {
  description = "Security groups allowed on 6379, by name."
  type        = map(string)
}
