# Aurora PostgreSQL: one cluster, one database, one schema per service, one login role per
# service (see bootstrap.sql.tftpl). The master password is managed and rotated by RDS in
# Secrets Manager; every role's DATABASE_URL is its own secret, injected into only the tasks that
# use that role.

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-aurora"
  description = "Aurora PostgreSQL: only the apps that own a schema"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "client" {
  for_each = var.client_security_group_ids

  security_group_id            = aws_security_group.this.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = each.key
}

resource "aws_rds_cluster_parameter_group" "this" {
  name   = "${var.name}-aurora-pg${split(".", var.engine_version)[0]}"
  family = "aurora-postgresql${split(".", var.engine_version)[0]}"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }
}

resource "aws_rds_cluster" "this" {
  cluster_identifier              = var.name
  engine                          = "aurora-postgresql"
  engine_version                  = var.engine_version
  database_name                   = var.database_name
  master_username                 = "elasticdash_admin"
  manage_master_user_password     = true
  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this.name
  storage_encrypted               = true
  backup_retention_period         = var.backup_retention_days
  preferred_backup_window         = "02:00-03:00"
  preferred_maintenance_window    = "sun:03:30-sun:04:30"
  copy_tags_to_snapshot           = true
  deletion_protection             = var.deletion_protection
  skip_final_snapshot             = false
  final_snapshot_identifier       = "${var.name}-final"
  enabled_cloudwatch_logs_exports = ["postgresql"]

  dynamic "serverlessv2_scaling_configuration" {
    for_each = var.instance_class == "db.serverless" ? [1] : []
    content {
      min_capacity = 0.5
      max_capacity = 16
    }
  }

  lifecycle {
    ignore_changes = [final_snapshot_identifier]
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  identifier                   = "${var.name}-${count.index}"
  cluster_identifier           = aws_rds_cluster.this.id
  engine                       = aws_rds_cluster.this.engine
  engine_version               = aws_rds_cluster.this.engine_version
  instance_class               = var.instance_class
  db_subnet_group_name         = aws_db_subnet_group.this.name
  performance_insights_enabled = true
  auto_minor_version_upgrade   = true
}

# ── one login role per service ────────────────────────────────────────────────────────────────

resource "random_password" "role" {
  for_each = var.roles

  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "url" {
  for_each = var.roles

  name        = "${var.secret_prefix}/database-url/${each.key}"
  description = "DATABASE_URL of the apps using the PostgreSQL role ${each.key}"
}

resource "aws_secretsmanager_secret_version" "url" {
  for_each = var.roles

  secret_id = aws_secretsmanager_secret.url[each.key].id
  # TLS is required (rds.force_ssl); node-postgres' `no-verify` encrypts without checking the
  # RDS CA. To verify it, add the RDS CA bundle to the image (NODE_EXTRA_CA_CERTS) and use
  # sslmode=verify-full.
  secret_string = "postgres://${each.key}:${random_password.role[each.key].result}@${aws_rds_cluster.this.endpoint}:5432/${var.database_name}?sslmode=no-verify"
}

locals {
  bootstrap_sql = templatefile("${path.module}/bootstrap.sql.tftpl", {
    database = var.database_name
    roles = {
      for role, config in var.roles : role => merge(config, { password = random_password.role[role].result })
    }
  })
}
