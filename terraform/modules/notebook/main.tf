# SageMaker notebook for the heavy offline steps (`wtw ingest --download`, `wtw embed` on a GPU, `wtw index build`).
# It sits in a private subnet without direct internet access (egress through the NAT gateway), root access off,
# its volume encrypted, IMDSv2 only; its role reads and writes only the raw and artifacts buckets.
# A lifecycle configuration installs the project and stops the instance when idle, so the GPU is paid for by use.

locals {
  notebook_name = "${var.name}-notebook"
  buckets       = [var.raw_bucket, var.artifacts_bucket]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadWriteData"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = [for bucket in local.buckets : "arn:aws:s3:::${bucket}/*"]
  }
  statement {
    sid       = "ListData"
    actions   = ["s3:ListBucket"]
    resources = [for bucket in local.buckets : "arn:aws:s3:::${bucket}"]
  }
  statement {
    sid       = "UseEnvironmentKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
  statement {
    sid       = "NotebookLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["arn:aws:logs:${var.region}:${var.account_id}:log-group:/aws/sagemaker/NotebookInstances:*"]
  }
  statement {
    sid       = "StopItselfWhenIdle"
    actions   = ["sagemaker:StopNotebookInstance", "sagemaker:DescribeNotebookInstance"]
    resources = ["arn:aws:sagemaker:${var.region}:${var.account_id}:notebook-instance/${local.notebook_name}"]
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-notebook"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = merge(var.tags, { Name = "${var.name}-notebook" })
}

resource "aws_iam_role_policy" "this" {
  name   = "wtw-notebook"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "this" {
  name = "${var.name}-wtw"
  on_create = base64encode(templatefile("${path.module}/templates/on_create.sh.tftpl", {
    artifacts_bucket = var.artifacts_bucket
    app_wheel        = var.app_wheel
  }))
  on_start = base64encode(templatefile("${path.module}/templates/on_start.sh.tftpl", {
    region           = var.region
    notebook_name    = local.notebook_name
    artifacts_bucket = var.artifacts_bucket
    raw_bucket       = var.raw_bucket
    embedding_model  = var.embedding_model
    idle_minutes     = var.idle_minutes
  }))
  tags = merge(var.tags, { Name = "${var.name}-wtw" })
}

resource "aws_sagemaker_notebook_instance" "this" {
  name                   = local.notebook_name
  role_arn               = aws_iam_role.this.arn
  instance_type          = var.instance_type
  volume_size            = var.volume_size_gb
  platform_identifier    = "notebook-al2-v3"
  subnet_id              = var.subnet_id
  security_groups        = [var.security_group_id]
  kms_key_id             = var.kms_key_arn
  direct_internet_access = "Disabled"
  root_access            = "Disabled"
  lifecycle_config_name  = aws_sagemaker_notebook_instance_lifecycle_configuration.this.name

  instance_metadata_service_configuration {
    minimum_instance_metadata_service_version = "2"
  }

  tags = merge(var.tags, { Name = local.notebook_name })
}
