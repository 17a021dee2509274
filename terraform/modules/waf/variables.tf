variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "account_id" {
  description = "AWS account id (key policy of the WAF logs key)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id must be the 12-digit AWS account id."
  }
}

variable "rate_limit_per_ip" {
  description = "Requests one viewer address may make in 5 minutes before WAF blocks it for a while."
  type        = number
  default     = 3000

  validation {
    condition     = var.rate_limit_per_ip >= 100
    error_message = "rate_limit_per_ip must be at least 100."
  }
}

variable "auth_rate_limit_per_ip" {
  description = "Requests to /api/v1/auth/ (login, registration) one viewer address may make in 5 minutes."
  type        = number
  default     = 100

  validation {
    condition     = var.auth_rate_limit_per_ip >= 10
    error_message = "auth_rate_limit_per_ip must be at least 10."
  }
}

variable "log_retention_days" {
  description = "Days the WAF logs (blocked and counted requests) are kept in CloudWatch Logs."
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
