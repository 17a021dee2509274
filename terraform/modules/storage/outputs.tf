output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the data buckets, logs, secrets and the database."
  value       = aws_kms_key.data.arn
}

output "raw_bucket" {
  description = "Bucket for raw datasets (IMDb dumps, MovieLens, TMDB)."
  value       = module.raw.id
}

output "raw_bucket_arn" {
  description = "ARN of the raw datasets bucket."
  value       = module.raw.arn
}

output "artifacts_bucket" {
  description = "Bucket of the artifact store (catalog, vectors, indexes, models); versioned."
  value       = module.artifacts.id
}

output "artifacts_bucket_arn" {
  description = "ARN of the artifacts bucket."
  value       = module.artifacts.arn
}

output "frontend_bucket" {
  description = "Bucket holding the built UI (ui/dist), served only through CloudFront."
  value       = aws_s3_bucket.frontend.id
}

output "frontend_bucket_arn" {
  description = "ARN of the front-end bucket."
  value       = aws_s3_bucket.frontend.arn
}

output "frontend_bucket_regional_domain_name" {
  description = "Regional domain name of the front-end bucket (CloudFront origin)."
  value       = aws_s3_bucket.frontend.bucket_regional_domain_name
}

output "logs_bucket" {
  description = "Bucket receiving S3 server access logs, ALB access logs and VPC flow logs."
  value       = aws_s3_bucket.logs.id
}

output "logs_bucket_arn" {
  description = "ARN of the logs bucket."
  value       = aws_s3_bucket.logs.arn
}
