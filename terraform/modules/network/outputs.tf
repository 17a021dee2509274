output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "public_subnet_ids" {
  description = "IDs of the two public subnets (NAT gateways only)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the two private subnets (ALB, API, job, database, notebook)."
  value       = aws_subnet.private[*].id
}

output "alb_security_group_id" {
  description = "Security group of the internal load balancer (ingress added by the frontend module: CloudFront only)."
  value       = aws_security_group.alb.id
}

output "api_security_group_id" {
  description = "Security group of the API instances: reachable only from the load balancer."
  value       = aws_security_group.api.id
}

output "job_security_group_id" {
  description = "Security group of the nightly job instance: no ingress."
  value       = aws_security_group.job.id
}

output "database_security_group_id" {
  description = "Security group of RDS: reachable only from the API and the job."
  value       = aws_security_group.database.id
}

output "notebook_security_group_id" {
  description = "Security group of the SageMaker notebook: no ingress."
  value       = aws_security_group.notebook.id
}
