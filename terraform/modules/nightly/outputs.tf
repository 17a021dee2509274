output "instance_id" {
  description = "ID of the job instance (stopped between runs); start it by hand to run the job now."
  value       = aws_instance.this.id
}

output "log_group_name" {
  description = "CloudWatch log group of the job."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_topic_arn" {
  description = "SNS topic notified when the nightly job fails or goes stale."
  value       = aws_sns_topic.alarms.arn
}

output "role_name" {
  description = "IAM role of the job instance."
  value       = aws_iam_role.this.name
}
