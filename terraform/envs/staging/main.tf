# What To Watch, staging environment (smaller, single-AZ database, one NAT gateway): the modules wired together.
#   CloudFront ──/──────> S3 (built UI)
#              └─/api/*─> internal ALB ─> API instances (ASG) ─> RDS PostgreSQL <─ nightly job instance
#   SageMaker notebook ─> S3 raw + artifacts <─ API (read) / nightly job (read, publish)

locals {
  environment = "staging"
  name        = "wtw-${local.environment}"
  tags = merge(var.extra_tags, {
    Project     = "what-to-watch"
    Environment = local.environment
    ManagedBy   = "terraform"
    Stack       = "terraform/envs/${local.environment}"
  })
  parameter_path = "/wtw/${local.environment}/config"
  settings = {
    WTW_ARTIFACT_ROOT    = "s3://${module.storage.artifacts_bucket}/store"
    WTW_CACHE_DIR        = "/var/cache/wtw"
    WTW_DATA_DIR         = "/var/lib/wtw/data"
    WTW_EMBEDDING__MODEL = var.embedding_model
    WTW_LOG_LEVEL        = "INFO"
  }
}

module "storage" {
  source = "../../modules/storage"

  name               = local.name
  account_id         = var.account_id
  region             = var.region
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

module "network" {
  source = "../../modules/network"

  name                 = local.name
  region               = var.region
  availability_zones   = var.availability_zones
  nat_gateway_per_az   = var.nat_gateway_per_az
  flow_logs_bucket_arn = module.storage.logs_bucket_arn
  tags                 = local.tags
}

module "database" {
  source = "../../modules/database"

  name                  = local.name
  subnet_ids            = module.network.private_subnet_ids
  security_group_id     = module.network.database_security_group_id
  kms_key_arn           = module.storage.kms_key_arn
  instance_class        = var.db_instance_class
  multi_az              = var.db_multi_az
  backup_retention_days = var.db_backup_retention_days
  deletion_protection   = var.deletion_protection
  log_retention_days    = var.log_retention_days
  tags                  = local.tags
}

# ---------------------------------------------------------------- settings of the API and the job
# Non-secret WTW_* settings in Parameter Store (one parameter per variable, read by /usr/local/bin/wtw-exec);
# the JWT signing key in Secrets Manager, its value set once by hand (docs/deploy.md) so it is never in state.

resource "aws_ssm_parameter" "settings" {
  for_each = local.settings

  name   = "${local.parameter_path}/${each.key}"
  type   = "SecureString"
  key_id = module.storage.kms_key_arn
  value  = each.value
  tags   = merge(local.tags, { Name = each.key })
}

resource "aws_secretsmanager_secret" "service_key" {
  # checkov:skip=CKV2_AWS_57: rotating the JWT signing key signs every user out; rotate by hand (docs/deploy.md).
  name                    = "${local.name}/service-secret-key"
  description             = "WTW_SERVICE__SECRET_KEY: JWT signing key of the API"
  kms_key_id              = module.storage.kms_key_arn
  recovery_window_in_days = 7
  tags                    = merge(local.tags, { Name = "${local.name}-service-secret-key" })
}

module "api" {
  source = "../../modules/api"

  name                  = local.name
  region                = var.region
  account_id            = var.account_id
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.private_subnet_ids
  alb_security_group_id = module.network.alb_security_group_id
  api_security_group_id = module.network.api_security_group_id
  kms_key_arn           = module.storage.kms_key_arn
  artifacts_bucket      = module.storage.artifacts_bucket
  logs_bucket           = module.storage.logs_bucket
  app_wheel             = var.app_wheel
  parameter_path        = local.parameter_path
  db_secret_arn         = module.database.master_secret_arn
  app_secret_arn        = aws_secretsmanager_secret.service_key.arn
  db_address            = module.database.address
  db_port               = module.database.port
  db_name               = module.database.db_name
  instance_type         = var.api_instance_type
  min_size              = var.api_min_size
  max_size              = var.api_max_size
  workers               = var.api_workers
  deletion_protection   = var.deletion_protection
  log_retention_days    = var.log_retention_days
  tags                  = local.tags

  depends_on = [aws_ssm_parameter.settings]
}

module "waf" {
  source = "../../modules/waf"
  count  = var.enable_waf && var.web_acl_arn == null ? 1 : 0

  providers = {
    aws = aws.us_east_1
  }

  name               = local.name
  account_id         = var.account_id
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

module "frontend" {
  source = "../../modules/frontend"

  name                        = local.name
  bucket_id                   = module.storage.frontend_bucket
  bucket_arn                  = module.storage.frontend_bucket_arn
  bucket_regional_domain_name = module.storage.frontend_bucket_regional_domain_name
  alb_arn                     = module.api.alb_arn
  alb_dns_name                = module.api.alb_dns_name
  vpc_id                      = module.network.vpc_id
  alb_security_group_id       = module.network.alb_security_group_id
  aliases                     = var.aliases
  acm_certificate_arn         = var.acm_certificate_arn
  web_acl_arn                 = var.web_acl_arn != null ? var.web_acl_arn : one(module.waf[*].web_acl_arn)
  tags                        = local.tags
}

module "nightly" {
  source = "../../modules/nightly"

  name               = local.name
  region             = var.region
  account_id         = var.account_id
  subnet_id          = module.network.private_subnet_ids[0]
  security_group_id  = module.network.job_security_group_id
  kms_key_arn        = module.storage.kms_key_arn
  artifacts_bucket   = module.storage.artifacts_bucket
  app_wheel          = var.app_wheel
  parameter_path     = local.parameter_path
  db_secret_arn      = module.database.master_secret_arn
  db_address         = module.database.address
  db_port            = module.database.port
  db_name            = module.database.db_name
  instance_type      = var.job_instance_type
  schedule           = var.nightly_schedule
  schedule_timezone  = var.nightly_timezone
  alarm_email        = var.alarm_email
  log_retention_days = var.log_retention_days
  tags               = local.tags

  depends_on = [aws_ssm_parameter.settings]
}

module "notebook" {
  source = "../../modules/notebook"

  name              = local.name
  region            = var.region
  account_id        = var.account_id
  subnet_id         = module.network.private_subnet_ids[0]
  security_group_id = module.network.notebook_security_group_id
  kms_key_arn       = module.storage.kms_key_arn
  raw_bucket        = module.storage.raw_bucket
  artifacts_bucket  = module.storage.artifacts_bucket
  app_wheel         = var.app_wheel
  embedding_model   = var.embedding_model
  instance_type     = var.notebook_instance_type
  tags              = local.tags
}
