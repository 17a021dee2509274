output "notebook_name" {
  description = "Name of the SageMaker notebook instance."
  value       = aws_sagemaker_notebook_instance.this.name
}

output "role_name" {
  description = "IAM role of the notebook."
  value       = aws_iam_role.this.name
}
