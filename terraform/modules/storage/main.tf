# Buckets of one environment: raw datasets and artifacts (KMS-encrypted, versioned), the built front end
# (served by CloudFront), and the logs bucket every other bucket, the ALB and the VPC flow logs write to.
# Nothing here is public: every bucket blocks public access, enforces bucket-owner ownership and TLS.

data "aws_elb_service_account" "this" {}

# ---------------------------------------------------------------- KMS key

# A key policy's resource is always "*" (the key itself); access is granted to the account, which delegates to
# IAM, and to the log and alarm services under conditions.
data "aws_iam_policy_document" "kms" {
  # checkov:skip=CKV_AWS_111: key policy: "*" means this key; write access is delegated to IAM of this account.
  # checkov:skip=CKV_AWS_356: key policy: "*" means this key.
  # checkov:skip=CKV_AWS_109: key policy: administration stays with the account root, as AWS recommends.
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogs"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${var.region}:${var.account_id}:*"]
    }
  }

  statement {
    sid       = "CloudWatchAlarmsToEncryptedTopics"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_kms_key" "data" {
  description             = "${var.name}: data buckets, logs, secrets, database"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = merge(var.tags, { Name = "${var.name}-data" })
}

resource "aws_kms_alias" "data" {
  name          = "alias/${var.name}-data"
  target_key_id = aws_kms_key.data.key_id
}

# ---------------------------------------------------------------- data buckets (raw, artifacts)

module "raw" {
  source = "./private_bucket"

  bucket          = "${var.name}-raw-${var.account_id}"
  kms_key_arn     = aws_kms_key.data.arn
  noncurrent_days = 30
  logs_bucket     = aws_s3_bucket.logs.id
  force_destroy   = var.force_destroy
  tags            = merge(var.tags, { Name = "${var.name}-raw", Purpose = "raw" })
}

module "artifacts" {
  source = "./private_bucket"

  bucket          = "${var.name}-artifacts-${var.account_id}"
  kms_key_arn     = aws_kms_key.data.arn
  noncurrent_days = var.artifact_noncurrent_days
  logs_bucket     = aws_s3_bucket.logs.id
  force_destroy   = var.force_destroy
  tags            = merge(var.tags, { Name = "${var.name}-artifacts", Purpose = "artifacts" })
}

# ---------------------------------------------------------------- front-end bucket
# Encrypted with S3-managed keys: CloudFront's origin access control then reads it without a KMS grant,
# and its content (the built UI) is public through CloudFront anyway. Its bucket policy, which names the
# distribution, lives in the frontend module.

resource "aws_s3_bucket" "frontend" {
  # checkov:skip=CKV_AWS_145: the built UI is public through CloudFront; SSE-S3 avoids a KMS grant for the OAC.
  # checkov:skip=CKV_AWS_144: the UI is rebuilt from git in minutes; cross-region replication adds nothing.
  # checkov:skip=CKV2_AWS_62: nothing consumes events of the front-end bucket.
  bucket        = "${var.name}-frontend-${var.account_id}"
  force_destroy = var.force_destroy
  tags          = merge(var.tags, { Name = "${var.name}-frontend", Purpose = "frontend" })
}

resource "aws_s3_bucket_public_access_block" "frontend" {
  bucket                  = aws_s3_bucket.frontend.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "frontend" {
  bucket = aws_s3_bucket.frontend.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "frontend" {
  bucket = aws_s3_bucket.frontend.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "frontend" {
  bucket = aws_s3_bucket.frontend.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "frontend" {
  bucket = aws_s3_bucket.frontend.id
  rule {
    id     = "expire-old-builds"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
  depends_on = [aws_s3_bucket_versioning.frontend]
}

resource "aws_s3_bucket_logging" "frontend" {
  bucket        = aws_s3_bucket.frontend.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3/${aws_s3_bucket.frontend.id}/"
}

# ---------------------------------------------------------------- logs bucket
# S3 server access logs and ALB access logs can only be delivered to SSE-S3 buckets.

resource "aws_s3_bucket" "logs" {
  # checkov:skip=CKV_AWS_18: this is the access-log target; logging it into itself would loop.
  # checkov:skip=CKV_AWS_145: S3 server access logs and ALB logs are only delivered to SSE-S3 buckets.
  # checkov:skip=CKV_AWS_144: logs are kept in one region; replication doubles their cost for no recovery need.
  # checkov:skip=CKV2_AWS_62: nothing consumes events of the logs bucket.
  bucket        = "${var.name}-logs-${var.account_id}"
  force_destroy = var.force_destroy
  tags          = merge(var.tags, { Name = "${var.name}-logs", Purpose = "logs" })
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire-logs"
    status = "Enabled"
    filter {}
    expiration {
      days = var.log_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/s3/*"]
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }

  statement {
    sid       = "AlbAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/alb/AWSLogs/${var.account_id}/*"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.this.arn]
    }
  }

  statement {
    sid       = "AlbAccessLogsServicePrincipal"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/alb/AWSLogs/${var.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "VpcFlowLogsWrite"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/vpc-flow-logs/AWSLogs/${var.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }

  statement {
    sid       = "VpcFlowLogsAclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.logs.arn]
    principals {
      type        = "Service"
      identifiers = ["delivery.logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket     = aws_s3_bucket.logs.id
  policy     = data.aws_iam_policy_document.logs.json
  depends_on = [aws_s3_bucket_public_access_block.logs]
}
