variable "prefix" {
  description = "Parameter path prefix, e.g. /elasticdash/production."
  type        = string
}

variable "apps" {
  description = "Plain configuration per app: { app = { VARIABLE = value } }."
  type        = map(map(string))
}
