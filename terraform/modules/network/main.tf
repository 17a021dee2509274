# VPC with two public subnets (NAT gateways only) and two private subnets (everything else), flow logs to S3,
# and the security groups that encode who may talk to whom:
#   CloudFront -> ALB:80 -> API:api_port -> RDS:5432 <- job;  the notebook accepts nothing.
# The ALB's only ingress rule (from the security group CloudFront creates for its VPC origins) is added by the
# frontend module, which owns the VPC origin.
# Outbound traffic from the instances is HTTPS only (AWS APIs, PyPI), plus PostgreSQL to RDS.

locals {
  public_cidrs  = [for i in range(2) : cidrsubnet(var.cidr_block, 4, i)]
  private_cidrs = [for i in range(2) : cidrsubnet(var.cidr_block, 4, i + 8)]
  nat_count     = var.nat_gateway_per_az ? 2 : 1
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr_block
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

# No rules: the default security group denies everything, so nothing can use it by accident.
resource "aws_default_security_group" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-default-deny" })
}

resource "aws_flow_log" "this" {
  vpc_id               = aws_vpc.this.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "${var.flow_logs_bucket_arn}/vpc-flow-logs/"
  tags                 = merge(var.tags, { Name = "${var.name}-flow-logs" })
}

resource "aws_internet_gateway" "this" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = 2

  vpc_id                  = aws_vpc.this.id
  cidr_block              = local.public_cidrs[count.index]
  availability_zone       = var.availability_zones[count.index]
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-public-${var.availability_zones[count.index]}", Tier = "public" })
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id                  = aws_vpc.this.id
  cidr_block              = local.private_cidrs[count.index]
  availability_zone       = var.availability_zones[count.index]
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-private-${var.availability_zones[count.index]}", Tier = "private" })
}

resource "aws_eip" "nat" {
  count = local.nat_count

  domain = "vpc"
  tags   = merge(var.tags, { Name = "${var.name}-nat-${count.index}" })
}

resource "aws_nat_gateway" "this" {
  count = local.nat_count

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = merge(var.tags, { Name = "${var.name}-nat-${count.index}" })
  depends_on    = [aws_internet_gateway.this]
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this.id
}

resource "aws_route_table_association" "public" {
  count = 2

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  count = 2

  vpc_id = aws_vpc.this.id
  tags   = merge(var.tags, { Name = "${var.name}-private-${var.availability_zones[count.index]}" })
}

resource "aws_route" "private_nat" {
  count = 2

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[var.nat_gateway_per_az ? count.index : 0].id
}

resource "aws_route_table_association" "private" {
  count = 2

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# S3 traffic (artifacts, datasets) stays on the AWS network and off the NAT gateway's per-GB charge.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
  tags              = merge(var.tags, { Name = "${var.name}-s3" })
}

# ---------------------------------------------------------------- security groups

resource "aws_security_group" "alb" {
  # checkov:skip=CKV2_AWS_5: attached by the api/database/nightly/notebook modules (checkov does not follow module outputs).
  name        = "${var.name}-alb"
  description = "Internal ALB of the API: HTTP from CloudFront VPC origins only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_vpc_security_group_egress_rule" "alb_to_api" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Forward to the API instances"
  ip_protocol                  = "tcp"
  from_port                    = var.api_port
  to_port                      = var.api_port
  referenced_security_group_id = aws_security_group.api.id
  tags                         = merge(var.tags, { Name = "${var.name}-alb-to-api" })
}

resource "aws_security_group" "api" {
  # checkov:skip=CKV2_AWS_5: attached by the api/database/nightly/notebook modules (checkov does not follow module outputs).
  name        = "${var.name}-api"
  description = "API instances: traffic from the ALB only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-api" })
}

resource "aws_vpc_security_group_ingress_rule" "api_from_alb" {
  security_group_id            = aws_security_group.api.id
  description                  = "wtw serve from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.api_port
  to_port                      = var.api_port
  referenced_security_group_id = aws_security_group.alb.id
  tags                         = merge(var.tags, { Name = "${var.name}-api-from-alb" })
}

resource "aws_security_group" "job" {
  # checkov:skip=CKV2_AWS_5: attached by the api/database/nightly/notebook modules (checkov does not follow module outputs).
  name        = "${var.name}-job"
  description = "Nightly job instance: no inbound traffic"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-job" })
}

resource "aws_security_group" "notebook" {
  # checkov:skip=CKV2_AWS_5: attached by the api/database/nightly/notebook modules (checkov does not follow module outputs).
  name        = "${var.name}-notebook"
  description = "SageMaker notebook: no inbound traffic"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-notebook" })
}

# HTTPS out (AWS APIs, PyPI) for the API, the job and the notebook.
resource "aws_vpc_security_group_egress_rule" "https_out" {
  for_each = {
    api      = aws_security_group.api.id
    job      = aws_security_group.job.id
    notebook = aws_security_group.notebook.id
  }

  security_group_id = each.value
  description       = "HTTPS to AWS APIs and package registries"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = merge(var.tags, { Name = "${var.name}-${each.key}-https-out" })
}

resource "aws_security_group" "database" {
  # checkov:skip=CKV2_AWS_5: attached by the api/database/nightly/notebook modules (checkov does not follow module outputs).
  name        = "${var.name}-database"
  description = "RDS PostgreSQL: from the API and the nightly job only"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-database" })
}

resource "aws_vpc_security_group_ingress_rule" "database_from" {
  for_each = {
    api = aws_security_group.api.id
    job = aws_security_group.job.id
  }

  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the ${each.key}"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = each.value
  tags                         = merge(var.tags, { Name = "${var.name}-database-from-${each.key}" })
}

resource "aws_vpc_security_group_egress_rule" "to_database" {
  for_each = {
    api = aws_security_group.api.id
    job = aws_security_group.job.id
  }

  security_group_id            = each.value
  description                  = "PostgreSQL to RDS"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.database.id
  tags                         = merge(var.tags, { Name = "${var.name}-${each.key}-to-database" })
}
