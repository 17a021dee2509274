variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"; also the RDS instance identifier."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "subnet_ids" {
  description = "Private subnet ids (two availability zones) for the DB subnet group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "RDS needs subnets in at least two availability zones."
  }
}

variable "security_group_id" {
  description = "Security group of the database (ingress from the API and the job only)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key that encrypts storage, the managed master-password secret and exported logs."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major version; RDS picks the newest minor and upgrades minors automatically."
  type        = string
  default     = "17"

  validation {
    condition     = contains(["15", "16", "17"], var.engine_version)
    error_message = "engine_version must be one of 15, 16, 17."
  }
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t4g.micro (staging) or db.t4g.small (production)."
  type        = string
  default     = "db.t4g.small"

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS class such as db.t4g.small."
  }
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB; storage autoscaling may grow it up to max_allocated_storage_gb."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage_gb >= 20
    error_message = "allocated_storage_gb must be at least 20."
  }
}

variable "max_allocated_storage_gb" {
  description = "Upper bound of storage autoscaling in GiB."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage_gb >= 20
    error_message = "max_allocated_storage_gb must be at least 20."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in the second availability zone (doubles the instance cost)."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days of automated backups and point-in-time recovery."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the database (and take a final snapshot when it is deleted anyway)."
  type        = bool
  default     = true
}

variable "performance_insights" {
  description = "Enable Performance Insights (not available on the smallest burstable classes)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days the exported PostgreSQL logs are kept in CloudWatch Logs."
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
