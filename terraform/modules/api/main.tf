# The API: an internal ALB (reached only by CloudFront's VPC origin) in front of an auto-scaling group of
# Amazon Linux 2023 instances running `wtw serve` under systemd. Settings come from SSM Parameter Store and
# Secrets Manager at process start; IMDSv2 is required; logs go to CloudWatch; no SSH (Session Manager only).

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
      app_secret_arn   = var.app_secret_arn
      db_address       = var.db_address
      db_port          = var.db_port
      db_name          = var.db_name
      log_group        = aws_cloudwatch_log_group.this.name
    }),
    templatefile("${path.module}/templates/units.sh.tftpl", {
      region        = var.region
      api_port      = var.api_port
      workers       = var.workers
      db_secret_arn = var.db_secret_arn
    }),
  ])
  instance_tags = merge(var.tags, { Name = "${var.name}-api", Role = "api" })
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/wtw/${var.name}/api"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = merge(var.tags, { Name = "${var.name}-api" })
}

# ---------------------------------------------------------------- IAM: read-only on artifacts and settings

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
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject"]
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
    sid       = "ReadSecrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [var.db_secret_arn, var.app_secret_arn]
  }
  statement {
    sid       = "DecryptWithEnvironmentKey"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-api"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = merge(var.tags, { Name = "${var.name}-api" })
}

resource "aws_iam_role_policy" "this" {
  name   = "wtw-api"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

# Session Manager instead of SSH keys and port 22.
resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-api"
  role = aws_iam_role.this.name
  tags = merge(var.tags, { Name = "${var.name}-api" })
}

# ---------------------------------------------------------------- instances

resource "aws_launch_template" "this" {
  name_prefix            = "${var.name}-api-"
  description            = "What To Watch API (${var.app_wheel})"
  image_id               = data.aws_ssm_parameter.al2023.insecure_value
  instance_type          = var.instance_type
  vpc_security_group_ids = [var.api_security_group_id]
  ebs_optimized          = true
  update_default_version = true
  user_data              = base64encode(local.user_data)

  iam_instance_profile {
    arn = aws_iam_instance_profile.this.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume_gb
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = local.instance_tags
  }

  tag_specifications {
    resource_type = "volume"
    tags          = local.instance_tags
  }

  tags = merge(var.tags, { Name = "${var.name}-api" })
}

resource "aws_autoscaling_group" "this" {
  name_prefix               = "${var.name}-api-"
  vpc_zone_identifier       = var.subnet_ids
  min_size                  = var.min_size
  max_size                  = var.max_size
  target_group_arns         = [aws_lb_target_group.this.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 1800
  default_instance_warmup   = 600

  launch_template {
    id      = aws_launch_template.this.id
    version = aws_launch_template.this.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
    }
  }

  dynamic "tag" {
    for_each = local.instance_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    ignore_changes = [desired_capacity]
  }
}

resource "aws_autoscaling_policy" "cpu" {
  name                   = "${var.name}-api-cpu"
  autoscaling_group_name = aws_autoscaling_group.this.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = 60
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}

# ---------------------------------------------------------------- load balancer

resource "aws_lb" "this" {
  # checkov:skip=CKV2_AWS_20: HTTP is redirected to HTTPS by CloudFront; this ALB is internal and has no HTTPS viewers.
  # checkov:skip=CKV2_AWS_28: internal ALB reached only through CloudFront's VPC origin; WAF belongs on the distribution.
  name                       = "${var.name}-api"
  internal                   = true
  load_balancer_type         = "application"
  subnets                    = var.subnet_ids
  security_groups            = [var.alb_security_group_id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection

  access_logs {
    bucket  = var.logs_bucket
    prefix  = "alb"
    enabled = true
  }

  tags = merge(var.tags, { Name = "${var.name}-api" })
}

resource "aws_lb_target_group" "this" {
  # checkov:skip=CKV_AWS_378: TLS ends at CloudFront; the hop from the ALB to the instances stays inside the private subnets.
  name_prefix          = "wtwapi"
  port                 = var.api_port
  protocol             = "HTTP"
  vpc_id               = var.vpc_id
  target_type          = "instance"
  deregistration_delay = 30

  health_check {
    path                = "/readyz"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = merge(var.tags, { Name = "${var.name}-api" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "http" {
  # checkov:skip=CKV_AWS_2: viewers use HTTPS at CloudFront; this internal listener is reached only by CloudFront's VPC origin over the AWS network.
  # checkov:skip=CKV_AWS_103: no TLS on this internal listener (see CKV_AWS_2).
  # checkov:skip=CKV2_AWS_20: redirecting to HTTPS is done by CloudFront (viewer_protocol_policy = redirect-to-https).
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = merge(var.tags, { Name = "${var.name}-api-http" })
}
