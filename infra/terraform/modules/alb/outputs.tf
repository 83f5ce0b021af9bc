output "dns_name" {
  description = "ALB DNS name."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "ALB hosted zone id."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "ALB security group (allowed into web and gateway)."
  value       = aws_security_group.this.id
}

output "arn_suffix" {
  description = "ALB ARN suffix (CloudWatch dimension)."
  value       = aws_lb.this.arn_suffix
}

output "target_group_arns" {
  description = "Target group ARN per app."
  value       = { for app, group in aws_lb_target_group.this : app => group.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix per app (CloudWatch dimension)."
  value       = { for app, group in aws_lb_target_group.this : app => group.arn_suffix }
}
