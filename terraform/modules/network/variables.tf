variable "name" {
  description = "Name prefix for every resource, e.g. \"wtw-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 characters of lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "cidr_block" {
  description = "IPv4 CIDR of the VPC; split into two public and two private /20 subnets (or the equivalent)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr_block)) && tonumber(split("/", var.cidr_block)[1]) <= 20
    error_message = "cidr_block must be a valid IPv4 CIDR of size /20 or larger."
  }
}

variable "availability_zones" {
  description = "Exactly two availability zones for the public and private subnets, e.g. [\"eu-west-1a\", \"eu-west-1b\"]."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 2
    error_message = "availability_zones must list exactly two zones."
  }
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway per availability zone (resilient, production) instead of one shared NAT gateway (cheaper)."
  type        = bool
  default     = false
}

variable "api_port" {
  description = "Port the API instances listen on (`wtw serve --port`)."
  type        = number
  default     = 8000

  validation {
    condition     = var.api_port >= 1024 && var.api_port <= 65535
    error_message = "api_port must be an unprivileged port (1024-65535)."
  }
}

variable "flow_logs_bucket_arn" {
  description = "ARN of the S3 bucket that receives the VPC flow logs (under vpc-flow-logs/)."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource (on top of the provider's default_tags)."
  type        = map(string)
  default     = {}
}

variable "region" {
  description = "AWS region of the VPC (names the S3 gateway endpoint)."
  type        = string
}
