output "datasets_bucket" {
  description = "Datasets bucket name."
  value       = aws_s3_bucket.datasets.bucket
}

output "datasets_bucket_arn" {
  description = "Datasets bucket ARN."
  value       = aws_s3_bucket.datasets.arn
}

output "backups_bucket" {
  description = "Backups bucket name."
  value       = aws_s3_bucket.backups.bucket
}

output "backups_bucket_arn" {
  description = "Backups bucket ARN."
  value       = aws_s3_bucket.backups.arn
}
