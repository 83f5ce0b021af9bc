variable "name" {
  description = "Name prefix."
  type        = string
}

variable "alarm_email" {
  description = "E-mail subscribed to the topic; empty = none."
  type        = string
}
