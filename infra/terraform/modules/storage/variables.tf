variable "name" {
  description = "Bucket name prefix (globally unique: include the account id)."
  type        = string
}

variable "upload_origins" {
  description = "Browser origins allowed to PUT presigned uploads (CORS)."
  type        = list(string)
}

variable "backups_retention_days" {
  description = "Days before backup objects expire."
  type        = number
}
