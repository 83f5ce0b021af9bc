variable "name" {
  description = "Cluster name."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the Cloud Map namespace."
  type        = string
}

variable "namespace" {
  description = "Private DNS namespace for service discovery, e.g. elasticdash.internal."
  type        = string
}
