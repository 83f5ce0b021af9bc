output "role_arn" {
  description = "Role of the deploy workflow (AWS_DEPLOY_ROLE_ARN)."
  value       = aws_iam_role.deploy.arn
}
