variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region (used by the scripts on the instance)."
  type        = string
}

variable "account_id" {
  description = "AWS account id (scopes the IAM policies)."
  type        = string
}

variable "subnet_id" {
  description = "Private subnet of the job instance."
  type        = string
}

variable "security_group_id" {
  description = "Security group of the job instance (no ingress; egress to RDS and HTTPS)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key of the environment (artifacts, parameters, secrets, logs, alarm topic)."
  type        = string
}

variable "artifacts_bucket" {
  description = "Name of the artifacts bucket: the job reads and publishes artifacts there."
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
  description = "SSM Parameter Store path of the WTW_* settings (shared with the API)."
  type        = string
}

variable "db_secret_arn" {
  description = "Secrets Manager secret with the database username and password (managed by RDS)."
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
  description = "EC2 instance type of the job (collaborative model training and index updates run in memory)."
  type        = string
  default     = "t3.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like t3.large."
  }
}

variable "root_volume_gb" {
  description = "Root volume size in GiB (virtualenv, artifact cache, scratch space)."
  type        = number
  default     = 60

  validation {
    condition     = var.root_volume_gb >= 20
    error_message = "root_volume_gb must be at least 20."
  }
}

variable "schedule" {
  description = "EventBridge Scheduler expression that starts the job instance, e.g. cron(0 3 * * ? *)."
  type        = string
  default     = "cron(0 3 * * ? *)"

  validation {
    condition     = can(regex("^(cron|rate)\\(.+\\)$", var.schedule))
    error_message = "schedule must be a cron(...) or rate(...) expression."
  }
}

variable "schedule_timezone" {
  description = "IANA time zone of the schedule expression."
  type        = string
  default     = "UTC"
}

variable "timeout_hours" {
  description = "Hours after which a running job is stopped (and reported as failed)."
  type        = number
  default     = 4

  validation {
    condition     = var.timeout_hours >= 1 && var.timeout_hours <= 23
    error_message = "timeout_hours must be between 1 and 23."
  }
}

variable "alarm_email" {
  description = "E-mail address notified when the nightly job fails or has not succeeded for a day; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@ ]+@[^@ ]+\\.[^@ ]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or null."
  }
}

variable "log_retention_days" {
  description = "Days the job logs are kept in CloudWatch Logs."
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
