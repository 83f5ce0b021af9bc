variable "name" {
  description = "Secrets Manager name prefix, e.g. elasticdash/production."
  type        = string
}
