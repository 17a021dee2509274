output "alb_arn" {
  description = "ARN of the internal load balancer (CloudFront VPC origin)."
  value       = aws_lb.this.arn
}

output "alb_dns_name" {
  description = "DNS name of the internal load balancer."
  value       = aws_lb.this.dns_name
}

output "autoscaling_group_name" {
  description = "Name of the API auto-scaling group (for instance refreshes)."
  value       = aws_autoscaling_group.this.name
}

output "log_group_name" {
  description = "CloudWatch log group of the API instances."
  value       = aws_cloudwatch_log_group.this.name
}

output "role_name" {
  description = "IAM role of the API instances."
  value       = aws_iam_role.this.name
}

output "target_group_arn" {
  description = "ARN of the API target group (health of the instances)."
  value       = aws_lb_target_group.this.arn
}
