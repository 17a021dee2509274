variable "bucket" {
  description = "Globally unique bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket))
    error_message = "bucket must be a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for default encryption (SSE-KMS with a bucket key)."
  type        = string
}

variable "noncurrent_days" {
  description = "Days an overwritten or deleted object version is kept before it expires."
  type        = number

  validation {
    condition     = var.noncurrent_days >= 1
    error_message = "noncurrent_days must be at least 1."
  }
}

variable "logs_bucket" {
  description = "Bucket receiving this bucket's server access logs (under s3/<bucket>/)."
  type        = string
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete the bucket with its objects."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
}
