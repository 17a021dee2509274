output "distribution_id" {
  description = "CloudFront distribution id (for cache invalidations after a UI deploy)."
  value       = aws_cloudfront_distribution.this.id
}

output "domain_name" {
  description = "cloudfront.net domain name of the site."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "site_url" {
  description = "URL of the site (UI at /, API at /api/v1)."
  value       = "https://${length(var.aliases) > 0 ? var.aliases[0] : aws_cloudfront_distribution.this.domain_name}"
}
