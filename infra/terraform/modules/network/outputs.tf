output "vpc_id" {
  description = "VPC id."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "Public subnets (ALB, NAT gateways)."
  value       = [for subnet in aws_subnet.public : subnet.id]
}

output "private_subnet_ids" {
  description = "Private subnets (ECS tasks, Aurora, Redis, Lambda)."
  value       = [for subnet in aws_subnet.private : subnet.id]
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways: what tenants allow in their database firewalls."
  value       = [for eip in aws_eip.nat : eip.public_ip]
}
