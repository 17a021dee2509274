variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,26}$", var.name))
    error_message = "name must be 3-27 characters of lower-case letters, digits and hyphens (ALB names are short)."
  }
}

variable "region" {
  description = "AWS region (used by the scripts on the instances)."
  type        = string
}

variable "account_id" {
  description = "AWS account id (scopes the IAM policies)."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the load balancer's target group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets (two availability zones) for the internal ALB and the instances."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must span at least two availability zones."
  }
}

variable "alb_security_group_id" {
  description = "Security group of the ALB (HTTP from CloudFront only)."
  type        = string
}

variable "api_security_group_id" {
  description = "Security group of the API instances (traffic from the ALB only)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the environment (artifacts, parameters, secrets, logs)."
  type        = string
}

variable "artifacts_bucket" {
  description = "Name of the artifacts bucket: the service reads artifacts and the release wheel from it."
  type        = string
}

variable "logs_bucket" {
  description = "Name of the bucket receiving the ALB access logs (prefix alb/)."
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

variable "parameter_path" {
  description = "SSM Parameter Store path whose parameters (named after WTW_* variables) configure the service."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+[^/]$", var.parameter_path))
    error_message = "parameter_path must start with / and not end with /."
  }
}

variable "db_secret_arn" {
  description = "Secrets Manager secret with the database username and password (managed by RDS)."
  type        = string
}

variable "app_secret_arn" {
  description = "Secrets Manager secret holding WTW_SERVICE__SECRET_KEY (JWT signing key)."
  type        = string
}

variable "db_address" {
  description = "Database host name."
  type        = string
}

variable "db_port" {
  description = "Database port."
  type        = number
  default     = 5432
}

variable "db_name" {
  description = "Database name."
  type        = string
  default     = "wtw"
}

variable "instance_type" {
  description = "EC2 instance type of the API instances; the index and the model live in memory (t3.large: 8 GiB)."
  type        = string
  default     = "t3.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like t3.large."
  }
}

variable "min_size" {
  description = "Minimum number of API instances."
  type        = number
  default     = 1

  validation {
    condition     = var.min_size >= 1
    error_message = "min_size must be at least 1."
  }
}

variable "max_size" {
  description = "Maximum number of API instances (CPU target tracking scales between min and max)."
  type        = number
  default     = 3

  validation {
    condition     = var.max_size >= 1
    error_message = "max_size must be at least 1."
  }
}

variable "workers" {
  description = "Uvicorn worker processes per instance (`wtw serve --workers`)."
  type        = number
  default     = 2

  validation {
    condition     = var.workers >= 1 && var.workers <= 32
    error_message = "workers must be between 1 and 32."
  }
}

variable "api_port" {
  description = "Port `wtw serve` listens on."
  type        = number
  default     = 8000
}

variable "root_volume_gb" {
  description = "Root volume size in GiB (OS, virtualenv with torch, artifact cache)."
  type        = number
  default     = 40

  validation {
    condition     = var.root_volume_gb >= 20
    error_message = "root_volume_gb must be at least 20."
  }
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Days the API logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}
