# ElasticDash on AWS: one VPC, one ECS Fargate cluster with a service per app (apps.tf), an ALB in
# front of web and gateway only, Aurora PostgreSQL, ElastiCache Redis, S3, Secrets Manager and
# SSM Parameter Store, CloudWatch logs and alarms, ECR. See README.md for the variables and
# outputs, docs/operations.md for running it.

data "aws_caller_identity" "current" {}

locals {
  prefix = var.name
  # Postgres roles: one per service owning its schema; svc-datasets, svc-deployer and the worker
  # share `jobs` (the worker writes the datasets and deployer schemas and creates ds_<tenant>).
  # Every role needs CREATE on the database: the migration runner (packages/db) runs
  # `create schema if not exists`, which PostgreSQL checks against that privilege even when the
  # schema exists. A role still cannot touch a schema it does not own.
  db_roles = {
    svc_auth        = { schemas = ["auth"], create_on_database = true }
    svc_tenants     = { schemas = ["tenants"], create_on_database = true }
    svc_connections = { schemas = ["connections"], create_on_database = true }
    svc_plans       = { schemas = ["plans"], create_on_database = true }
    jobs            = { schemas = ["datasets", "deployer"], create_on_database = true }
  }

  shared_secret_arns = {
    REDIS_URL                  = module.redis.url_secret_arn
    INTERNAL_TOKEN_PRIVATE_KEY = module.secrets.arns["internal-token-private-key"]
    INTERNAL_TOKEN_PUBLIC_KEYS = module.secrets.arns["internal-token-public-keys"]
    SECRETS_MASTER_KEY         = module.secrets.arns["secrets-master-key"]
    SECRETS_PREVIOUS_KEYS      = module.secrets.arns["secrets-previous-keys"]
  }

  app_secret_arns = {
    for app, cfg in local.apps : app => merge(
      { for name in cfg.secrets : name => local.shared_secret_arns[name] if name != "DATABASE_URL" },
      cfg.db_role == null ? tomap({}) : tomap({ DATABASE_URL = module.database.url_secret_arns[cfg.db_role] }),
    )
  }

  # Least privilege per task role: only the apps that call AWS APIs get a policy.
  task_policies = {
    connections = data.aws_iam_policy_document.connections.json
    datasets    = data.aws_iam_policy_document.datasets.json
    worker      = data.aws_iam_policy_document.worker.json
    deployer    = data.aws_iam_policy_document.deployer.json
  }
}

module "network" {
  source = "./modules/network"

  name               = local.prefix
  cidr               = var.vpc_cidr
  az_count           = var.az_count
  single_nat_gateway = var.single_nat_gateway
}

module "ecr" {
  source = "./modules/ecr"

  name         = local.prefix
  repositories = keys(local.apps)
  keep_images  = var.ecr_keep_images
}

module "cluster" {
  source = "./modules/cluster"

  name      = local.prefix
  vpc_id    = module.network.vpc_id
  namespace = local.namespace
}

module "secrets" {
  source = "./modules/secrets"

  name = "${local.prefix}/${var.environment}"
}

module "database" {
  source = "./modules/database"

  name                  = local.prefix
  secret_prefix         = "${local.prefix}/${var.environment}"
  vpc_id                = module.network.vpc_id
  subnet_ids            = module.network.private_subnet_ids
  engine_version        = var.db_engine_version
  instance_class        = var.db_instance_class
  instance_count        = var.db_instance_count
  backup_retention_days = var.db_backup_retention_days
  deletion_protection   = var.db_deletion_protection
  database_name         = "elasticdash"
  roles                 = local.db_roles
  client_security_group_ids = {
    for app, cfg in local.apps : app => module.service[app].security_group_id if cfg.db_role != null
  }
}

module "redis" {
  source = "./modules/redis"

  name          = local.prefix
  secret_prefix = "${local.prefix}/${var.environment}"
  vpc_id        = module.network.vpc_id
  subnet_ids    = module.network.private_subnet_ids
  node_type     = var.redis_node_type
  replicas      = var.redis_replicas
  client_security_group_ids = merge(
    { for app, cfg in local.apps : app => module.service[app].security_group_id if cfg.redis },
    { queue-metrics = module.queue_metrics.security_group_id },
  )
}

module "storage" {
  source = "./modules/storage"

  name                   = "${local.prefix}-${var.environment}-${data.aws_caller_identity.current.account_id}"
  upload_origins         = ["https://${var.domain_name}"]
  backups_retention_days = var.backups_retention_days
}

module "config" {
  source = "./modules/config"

  prefix = "/${local.prefix}/${var.environment}"
  apps   = { for app, cfg in local.apps : app => cfg.config }
}

module "alb" {
  source = "./modules/alb"

  name              = local.prefix
  vpc_id            = module.network.vpc_id
  subnet_ids        = module.network.public_subnet_ids
  certificate_arn   = var.certificate_arn
  idle_timeout      = 120
  access_log_bucket = var.alb_access_log_bucket
  targets = {
    for app, cfg in local.apps : app => {
      port        = cfg.port
      health_path = cfg.health_path
      host        = cfg.public_host == "web" ? var.domain_name : var.api_domain_name
      default     = cfg.public_host == "web"
    } if cfg.public_host != null
  }
}

module "alarms" {
  source = "./modules/alarms"

  name        = local.prefix
  alarm_email = var.alarm_email
}

module "service" {
  source   = "./modules/service"
  for_each = local.apps

  name          = local.prefix
  app           = each.key
  region        = var.region
  image         = "${module.ecr.repository_urls[each.key]}:${var.image_tag}"
  port          = each.value.port
  cpu           = each.value.cpu
  memory        = each.value.memory
  desired_count = each.value.desired_count
  min_count     = each.value.min_count
  max_count     = each.value.max_count
  health_path   = each.value.health_path

  cluster_arn                = module.cluster.arn
  cluster_name               = module.cluster.name
  namespace_id               = module.cluster.namespace_id
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.private_subnet_ids
  ingress_security_group_ids = each.value.public_host != null ? [module.alb.security_group_id] : []
  caller_apps                = each.value.callers

  environment_arns = module.config.parameter_arns[each.key]
  secret_arns      = local.app_secret_arns[each.key]
  task_policy_json = each.value.task_policy == null ? null : local.task_policies[each.value.task_policy]

  target_group_arn        = each.value.public_host != null ? module.alb.target_group_arns[each.key] : null
  log_retention_days      = var.log_retention_days
  cpu_target_percent      = var.cpu_target_percent
  alarm_topic_arn         = module.alarms.topic_arn
  alb_arn_suffix          = each.value.public_host != null ? module.alb.arn_suffix : null
  target_group_arn_suffix = each.value.public_host != null ? module.alb.target_group_arn_suffixes[each.key] : null

  queue_scaling = each.value.queue_scaling ? {
    namespace   = module.queue_metrics.metric_namespace
    metric_name = module.queue_metrics.backlog_per_task_metric
    dimensions  = { Service = "${local.prefix}-${each.key}" }
    target      = var.worker_backlog_per_task_target
  } : null
}

# Services reach each other only on the callee's port, from the callers listed in apps.tf.
resource "aws_vpc_security_group_ingress_rule" "caller" {
  for_each = merge([
    for app, cfg in local.apps : {
      for caller in cfg.callers : "${caller}->${app}" => { app = app, caller = caller, port = cfg.port }
    }
  ]...)

  security_group_id            = module.service[each.value.app].security_group_id
  referenced_security_group_id = module.service[each.value.caller].security_group_id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
  description                  = "${each.value.caller} calls ${each.value.app}"
}

# Publishes the BullMQ backlog per worker task to CloudWatch every minute (worker autoscaling).
module "queue_metrics" {
  source = "./modules/queue-metrics"

  name                 = local.prefix
  vpc_id               = module.network.vpc_id
  subnet_ids           = module.network.private_subnet_ids
  redis_url_secret_arn = module.redis.url_secret_arn
  bullmq_prefix        = var.bullmq_prefix
  queues               = ["dataset-ingest", "plan-deploy"]
  cluster_name         = module.cluster.name
  worker_service_name  = "${local.prefix}-worker"
  log_retention_days   = var.log_retention_days
  alarm_topic_arn      = module.alarms.topic_arn
}

module "github_oidc" {
  source = "./modules/github-oidc"
  count  = var.github_repository == "" ? 0 : 1

  name                          = local.prefix
  github_repository             = var.github_repository
  create_oidc_provider          = var.create_github_oidc_provider
  ecr_repository_arns           = values(module.ecr.repository_arns)
  cluster_arn                   = module.cluster.arn
  task_role_arns                = [for app in keys(local.apps) : module.service[app].task_role_arn]
  execution_role_arns           = [for app in keys(local.apps) : module.service[app].execution_role_arn]
  task_definition_family_prefix = "${local.prefix}-"
}
