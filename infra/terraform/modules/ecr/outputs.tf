output "repository_urls" {
  description = "Repository URL per app."
  value       = { for app, repository in aws_ecr_repository.this : app => repository.repository_url }
}

output "repository_arns" {
  description = "Repository ARN per app."
  value       = { for app, repository in aws_ecr_repository.this : app => repository.arn }
}
