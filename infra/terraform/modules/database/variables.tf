variable "name" {
  description = "Name prefix."
  type        = string
}

variable "secret_prefix" {
  description = "Secrets Manager name prefix: DATABASE_URL secrets are <prefix>/database-url/<role>."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group."
  type        = list(string)
}

variable "engine_version" {
  description = "Aurora PostgreSQL engine version."
  type        = string
}

variable "instance_class" {
  description = "Instance class; db.serverless turns on Serverless v2 scaling (0.5-16 ACU)."
  type        = string
}

variable "instance_count" {
  description = "Instances: one writer plus readers."
  type        = number
}

variable "backup_retention_days" {
  description = "Automated backup retention in days."
  type        = number
}

variable "deletion_protection" {
  description = "Deletion protection of the cluster."
  type        = bool
}

variable "database_name" {
  description = "The one database; every service has its own schema in it."
  type        = string
}

variable "roles" {
  description = "PostgreSQL login roles: the schemas each owns and whether it may create schemas (CREATE on the database)."
  type = map(object({
    schemas            = list(string)
    create_on_database = bool
  }))
}

variable "client_security_group_ids" {
  description = "Security groups (per app) allowed to connect on 5432."
  type        = map(string)
}
