variable "name" {
  description = "Name prefix: repositories are <name>/<repository>."
  type        = string
}

variable "repositories" {
  description = "One repository per app."
  type        = list(string)
}

variable "keep_images" {
  description = "Images kept per repository."
  type        = number
}
