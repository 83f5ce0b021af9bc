variable "name" {
  description = "Name prefix."
  type        = string
}

variable "cidr" {
  description = "VPC CIDR."
  type        = string
}

variable "az_count" {
  description = "Availability zones to spread subnets over."
  type        = number
}

variable "single_nat_gateway" {
  description = "One NAT gateway for every private subnet instead of one per zone."
  type        = bool
}
