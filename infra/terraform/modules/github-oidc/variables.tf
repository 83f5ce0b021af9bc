variable "name" {
  description = "Name prefix."
  type        = string
}

variable "github_repository" {
  description = "owner/name allowed to assume the role (from its main branch and environments)."
  type        = string
}

variable "create_oidc_provider" {
  description = "Create token.actions.githubusercontent.com as an OIDC provider (one per account)."
  type        = bool
}

variable "ecr_repository_arns" {
  description = "Repositories the workflow pushes to."
  type        = list(string)
}

variable "cluster_arn" {
  description = "ECS cluster whose services the workflow updates."
  type        = string
}

variable "task_role_arns" {
  description = "Task roles the new task definition revisions keep (iam:PassRole)."
  type        = list(string)
}

variable "execution_role_arns" {
  description = "Execution roles the new task definition revisions keep (iam:PassRole)."
  type        = list(string)
}

variable "task_definition_family_prefix" {
  description = "Prefix of the task definition families (<name>-)."
  type        = string
}
