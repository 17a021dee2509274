output "address" {
  description = "Private DNS name of the database."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "master_secret_arn" {
  description = "Secrets Manager secret (managed by RDS, rotated) holding the master username and password."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}
