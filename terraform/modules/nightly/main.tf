# Nightly job: EventBridge Scheduler starts a stopped EC2 instance; systemd on the instance runs
# `wtw jobs nightly` on boot, reports success or failure as CloudWatch metrics and powers off.
#
# Why this shape (and not a systemd timer on an always-on instance, nor Fargate/Lambda):
# - the job needs the same Python environment as the API (torch, FAISS, the model wheel) and can run for hours,
#   which rules out Lambda's 15 minutes; Fargate would need a container image pipeline the project does not have;
# - an always-on job instance with a systemd timer costs ~24x more for ~1 hour of work a day;
# - the schedule lives in AWS (visible, changeable with Terraform, retried by Scheduler), the execution in systemd
#   (timeouts, logs, exit status), and a new release replaces the instance, whose first boot runs the migrations.
# The instance's role reaches only the artifacts bucket, its settings and the database secret; its security group
# allows no ingress and egress only to RDS and HTTPS.

data "aws_ssm_parameter" "al2023" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

locals {
  user_data = join("\n", [
    templatefile("${path.module}/../bootstrap/install.sh.tftpl", {
      region           = var.region
      artifacts_bucket = var.artifacts_bucket
      app_wheel        = var.app_wheel
      parameter_path   = var.parameter_path
      db_secret_arn    = var.db_secret_arn
      app_secret_arn   = ""
      db_address       = var.db_address
      db_port          = var.db_port
      db_name          = var.db_name
      log_group        = aws_cloudwatch_log_group.this.name
    }),
    templatefile("${path.module}/templates/units.sh.tftpl", {
      region        = var.region
      name          = var.name
      timeout_hours = var.timeout_hours
    }),
  ])
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/wtw/${var.name}/nightly"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = merge(var.tags, { Name = "${var.name}-nightly" })
}

# ---------------------------------------------------------------- IAM: artifacts, settings, DB secret, logs

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadWriteArtifacts"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["arn:aws:s3:::${var.artifacts_bucket}/*"]
  }
  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.artifacts_bucket}"]
  }
  statement {
    sid       = "ReadSettings"
    actions   = ["ssm:GetParametersByPath", "ssm:GetParameters", "ssm:GetParameter"]
    resources = ["arn:aws:ssm:${var.region}:${var.account_id}:parameter${var.parameter_path}", "arn:aws:ssm:${var.region}:${var.account_id}:parameter${var.parameter_path}/*"]
  }
  statement {
    sid       = "ReadDatabaseSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [var.db_secret_arn]
  }
  statement {
    sid       = "UseEnvironmentKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
  statement {
    sid       = "ReportOutcome"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["WTW"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-nightly"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = merge(var.tags, { Name = "${var.name}-nightly" })
}

resource "aws_iam_role_policy" "this" {
  name   = "wtw-nightly"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-nightly"
  role = aws_iam_role.this.name
  tags = merge(var.tags, { Name = "${var.name}-nightly" })
}

# ---------------------------------------------------------------- the job instance (stopped between runs)

resource "aws_instance" "this" {
  ami                                  = data.aws_ssm_parameter.al2023.insecure_value
  instance_type                        = var.instance_type
  subnet_id                            = var.subnet_id
  vpc_security_group_ids               = [var.security_group_id]
  iam_instance_profile                 = aws_iam_instance_profile.this.name
  associate_public_ip_address          = false
  instance_initiated_shutdown_behavior = "stop"
  ebs_optimized                        = true
  monitoring                           = true
  user_data_base64                     = base64encode(local.user_data)
  user_data_replace_on_change          = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_gb
    encrypted             = true
    delete_on_termination = true
    tags                  = merge(var.tags, { Name = "${var.name}-nightly" })
  }

  tags = merge(var.tags, { Name = "${var.name}-nightly", Role = "nightly" })

  lifecycle {
    # A new AMI is picked up with the next release (a new wheel replaces the instance), not on every plan.
    ignore_changes = [ami]
  }
}

# ---------------------------------------------------------------- the schedule

data "aws_iam_policy_document" "scheduler_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.account_id]
    }
  }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "StartTheJobInstance"
    actions   = ["ec2:StartInstances"]
    resources = ["arn:aws:ec2:${var.region}:${var.account_id}:instance/${aws_instance.this.id}"]
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name}-nightly-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_assume.json
  tags               = merge(var.tags, { Name = "${var.name}-nightly-scheduler" })
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "start-nightly-instance"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule_group" "this" {
  name = var.name
  tags = merge(var.tags, { Name = var.name })
}

resource "aws_scheduler_schedule" "nightly" {
  # checkov:skip=CKV_AWS_297: the schedule's payload is only an instance id; an AWS-owned key is enough.
  name                         = "${var.name}-nightly"
  group_name                   = aws_scheduler_schedule_group.this.name
  description                  = "Start the job instance, which runs `wtw jobs nightly` and powers off"
  schedule_expression          = var.schedule
  schedule_expression_timezone = var.schedule_timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = "arn:aws:scheduler:::aws-sdk:ec2:startInstances"
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ InstanceIds = [aws_instance.this.id] })

    retry_policy {
      maximum_event_age_in_seconds = 3600
      maximum_retry_attempts       = 5
    }
  }
}

# ---------------------------------------------------------------- alarms

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = merge(var.tags, { Name = "${var.name}-alarms" })
}

resource "aws_sns_topic_subscription" "email" {
  count = var.alarm_email == null ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "failed" {
  alarm_name          = "${var.name}-nightly-failed"
  alarm_description   = "wtw jobs nightly exited with an error; the last good artifacts keep serving. See ${aws_cloudwatch_log_group.this.name}."
  namespace           = "WTW"
  metric_name         = "NightlyFailed"
  dimensions          = { Environment = var.name }
  statistic           = "Maximum"
  period              = 3600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  tags                = merge(var.tags, { Name = "${var.name}-nightly-failed" })
}

resource "aws_cloudwatch_metric_alarm" "stale" {
  alarm_name          = "${var.name}-nightly-stale"
  alarm_description   = "No successful nightly run in the last day (the schedule or the instance did not start)."
  namespace           = "WTW"
  metric_name         = "NightlySucceeded"
  dimensions          = { Environment = var.name }
  statistic           = "Sum"
  period              = 86400
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  treat_missing_data  = "breaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  tags                = merge(var.tags, { Name = "${var.name}-nightly-stale" })
}
