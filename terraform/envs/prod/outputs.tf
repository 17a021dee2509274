output "site_url" {
  description = "The site: UI at /, API at /api/v1."
  value       = module.frontend.site_url
}

output "api_url" {
  description = "Base URL of the API (through CloudFront)."
  value       = "${module.frontend.site_url}/api/v1"
}

output "cloudfront_distribution_id" {
  description = "Distribution to invalidate after uploading a new UI build."
  value       = module.frontend.distribution_id
}

output "raw_bucket" {
  description = "Bucket for raw datasets."
  value       = module.storage.raw_bucket
}

output "artifacts_bucket" {
  description = "Artifacts bucket; releases/ holds the wheels, store/ is WTW_ARTIFACT_ROOT."
  value       = module.storage.artifacts_bucket
}

output "artifact_root" {
  description = "WTW_ARTIFACT_ROOT of this environment."
  value       = local.settings.WTW_ARTIFACT_ROOT
}

output "frontend_bucket" {
  description = "Bucket receiving the built UI (ui/dist)."
  value       = module.storage.frontend_bucket
}

output "logs_bucket" {
  description = "Bucket with S3, ALB and VPC flow logs."
  value       = module.storage.logs_bucket
}

output "database_address" {
  description = "Private DNS name of RDS PostgreSQL."
  value       = module.database.address
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the RDS master credentials (managed and rotated by RDS)."
  value       = module.database.master_secret_arn
}

output "service_secret_arn" {
  description = "Secrets Manager secret for WTW_SERVICE__SECRET_KEY (set its value once, docs/deploy.md)."
  value       = aws_secretsmanager_secret.service_key.arn
}

output "api_autoscaling_group" {
  description = "Auto-scaling group of the API instances."
  value       = module.api.autoscaling_group_name
}

output "api_target_group_arn" {
  description = "Target group of the API instances: `aws elbv2 describe-target-health --target-group-arn ...`."
  value       = module.api.target_group_arn
}

output "api_log_group" {
  description = "CloudWatch log group of the API."
  value       = module.api.log_group_name
}

output "nightly_instance_id" {
  description = "Job instance (stopped between runs); `aws ec2 start-instances` runs the nightly job now."
  value       = module.nightly.instance_id
}

output "nightly_log_group" {
  description = "CloudWatch log group of the nightly job and the migrations."
  value       = module.nightly.log_group_name
}

output "alarm_topic_arn" {
  description = "SNS topic of the nightly job's alarms."
  value       = module.nightly.alarm_topic_arn
}

output "notebook_name" {
  description = "SageMaker notebook instance for ingest, embedding and index builds."
  value       = module.notebook.notebook_name
}
