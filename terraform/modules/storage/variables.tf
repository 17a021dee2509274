variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"; also the prefix of the bucket names."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account id; appended to bucket names so they are globally unique."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id."
  }
}

variable "region" {
  description = "AWS region of the buckets and of the KMS key."
  type        = string
}

variable "artifact_noncurrent_days" {
  description = "Days an overwritten or deleted artifact version is kept before it expires (rollback window)."
  type        = number
  default     = 30

  validation {
    condition     = var.artifact_noncurrent_days >= 1
    error_message = "artifact_noncurrent_days must be at least 1."
  }
}

variable "log_retention_days" {
  description = "Days that access logs (S3, ALB, VPC flow logs) are kept in the logs bucket."
  type        = number
  default     = 365

  validation {
    condition     = var.log_retention_days >= 30
    error_message = "log_retention_days must be at least 30."
  }
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete non-empty buckets. Keep false in production."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
