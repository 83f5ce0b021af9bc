output "arns" {
  description = "Secret ARN by name: internal-token-private-key, internal-token-public-keys, secrets-master-key, secrets-previous-keys."
  value = merge(
    { for name, secret in aws_secretsmanager_secret.operator_set : name => secret.arn },
    {
      "secrets-master-key"    = aws_secretsmanager_secret.master_key.arn
      "secrets-previous-keys" = aws_secretsmanager_secret.previous_keys.arn
    },
  )
}
