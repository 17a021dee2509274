variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "bucket_id" {
  description = "Name of the front-end bucket (built UI)."
  type        = string
}

variable "bucket_arn" {
  description = "ARN of the front-end bucket."
  type        = string
}

variable "bucket_regional_domain_name" {
  description = "Regional domain name of the front-end bucket."
  type        = string
}

variable "alb_arn" {
  description = "ARN of the internal API load balancer, reached through a CloudFront VPC origin."
  type        = string
}

variable "alb_dns_name" {
  description = "DNS name of the internal API load balancer."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the internal ALB (where CloudFront creates its VPC-origin security group)."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the internal ALB; receives the ingress rule from CloudFront's VPC origins."
  type        = string
}

variable "aliases" {
  description = "Custom domain names of the site (need acm_certificate_arn); empty to use the cloudfront.net name."
  type        = list(string)
  default     = []
}

variable "acm_certificate_arn" {
  description = "ACM certificate in us-east-1 covering the aliases; null to use CloudFront's default certificate."
  type        = string
  default     = null

  validation {
    condition     = var.acm_certificate_arn == null || can(regex("^arn:aws:acm:us-east-1:[0-9]{12}:certificate/", var.acm_certificate_arn))
    error_message = "acm_certificate_arn must be an ACM certificate ARN in us-east-1 (CloudFront's region)."
  }
}

variable "web_acl_arn" {
  description = "ARN of an existing WAFv2 web ACL (scope CLOUDFRONT) to attach; null for none."
  type        = string
  default     = null
}

variable "price_class" {
  description = "CloudFront price class: PriceClass_100 (North America, Europe), PriceClass_200 or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
