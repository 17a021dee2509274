terraform {
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Remote state: S3 with native lock files (no DynamoDB table needed since Terraform 1.10).
  # The bucket and region are given at init time (docs/deploy.md, step 2):
  #   terraform init -backend-config="bucket=wtw-tfstate-<account-id>" -backend-config="region=<region>"
  backend "s3" {
    key          = "wtw/prod/terraform.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = local.tags
  }
}

# CloudFront's WAF web ACLs live in us-east-1.
provider "aws" {
  alias               = "us_east_1"
  region              = "us-east-1"
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = local.tags
  }
}
