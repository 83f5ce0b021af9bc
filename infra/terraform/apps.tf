# Every app of apps/ as it runs on ECS Fargate: its port, size, who may call it, and its
# environment. Plain configuration goes to SSM Parameter Store (`config`), secrets to Secrets
# Manager (`secrets`, resolved in main.tf); `defaults` lists variables the app reads but leaves at
# its schema default in AWS. tests/unit/terraform.test.ts checks this file against each app's env
# schema (apps/<app>/src/env.ts), its Dockerfile and docker-compose.yaml.

locals {
  namespace = "${var.name}.internal"
  # Cloud Map DNS name of an app inside the VPC.
  url = { for app, port in local.ports : app => "http://${app}.${local.namespace}:${port}" }
  ports = {
    "web"             = 3000
    "gateway"         = 4000
    "svc-auth"        = 4010
    "svc-tenants"     = 4020
    "svc-connections" = 4030
    "svc-datasets"    = 4040
    "svc-plans"       = 4050
    "svc-deployer"    = 4060
    "svc-realtime"    = 4070
    "worker"          = 4080
  }

  # ZServiceBaseEnv of packages/service-kit: read by every NestJS app.
  service_base_config = {
    NODE_ENV            = "production"
    LOG_LEVEL           = var.log_level
    HOST                = "0.0.0.0"
    SHUTDOWN_GRACE_MS   = "10000"
    SHUTDOWN_TIMEOUT_MS = "15000"
  }
  # ZS3Env of packages/service-kit: AWS's endpoint and the task role's credentials.
  s3_defaults = ["S3_ENDPOINT", "S3_PUBLIC_ENDPOINT", "S3_FORCE_PATH_STYLE", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"]

  apps = {
    "web" = {
      port          = local.ports["web"]
      cpu           = 512
      memory        = 1024
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = "web"
      health_path   = "/"
      db_role       = null
      redis         = false
      callers       = []
      task_policy   = null
      queue_scaling = false
      config = {
        PORT                = tostring(local.ports["web"])
        GATEWAY_URL         = local.url["gateway"]
        SESSION_COOKIE_NAME = "ed_session"
        # The Content-Security-Policy allows uploads to https://*.s3.<region>.amazonaws.com.
        S3_REGION = var.region
      }
      secrets = []
      # AWS S3's own endpoint: the CSP derives the upload origin from S3_REGION.
      defaults = ["S3_ENDPOINT", "S3_PUBLIC_ENDPOINT"]
    }

    "gateway" = {
      port          = local.ports["gateway"]
      cpu           = 512
      memory        = 1024
      desired_count = 2
      min_count     = 2
      max_count     = 20
      public_host   = "api"
      health_path   = "/health/ready"
      db_role       = null
      redis         = true
      callers       = ["web"]
      task_policy   = null
      queue_scaling = false
      config = merge(local.service_base_config, {
        GATEWAY_PORT               = tostring(local.ports["gateway"])
        SVC_AUTH_URL               = local.url["svc-auth"]
        SVC_TENANTS_URL            = local.url["svc-tenants"]
        SVC_CONNECTIONS_URL        = local.url["svc-connections"]
        SVC_PLANS_URL              = local.url["svc-plans"]
        SVC_DATASETS_URL           = local.url["svc-datasets"]
        SVC_REALTIME_URL           = local.url["svc-realtime"]
        SVC_DEPLOYER_URL           = local.url["svc-deployer"]
        WEB_ORIGINS                = "https://${var.domain_name}"
        SESSION_COOKIE_NAME        = "ed_session"
        SESSION_TTL_DAYS           = "30"
        RATE_LIMIT_AUTH_PER_MINUTE = "30"
        RATE_LIMIT_USER_PER_MINUTE = "1200"
        AUTH_CACHE_TTL_MS          = "10000"
        # Browser → ALB → web (/api proxy) → gateway: two hops append X-Forwarded-For.
        TRUST_PROXY_HOPS = "2"
      })
      secrets  = ["REDIS_URL", "INTERNAL_TOKEN_PRIVATE_KEY"]
      defaults = []
    }

    "svc-auth" = {
      port          = local.ports["svc-auth"]
      cpu           = 512
      memory        = 1024
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = "svc_auth"
      redis         = true
      callers       = ["gateway"]
      task_policy   = null
      queue_scaling = false
      config = merge(local.service_base_config, {
        SVC_AUTH_PORT    = tostring(local.ports["svc-auth"])
        SESSION_TTL_DAYS = "30"
      })
      secrets  = ["DATABASE_URL", "REDIS_URL", "INTERNAL_TOKEN_PUBLIC_KEYS"]
      defaults = ["AUTH_HOUSEKEEPING_INTERVAL_MS"]
    }

    "svc-tenants" = {
      port          = local.ports["svc-tenants"]
      cpu           = 256
      memory        = 512
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = "svc_tenants"
      redis         = true
      callers       = ["gateway"]
      task_policy   = null
      queue_scaling = false
      config = merge(local.service_base_config, {
        SVC_TENANTS_PORT = tostring(local.ports["svc-tenants"])
      })
      secrets  = ["DATABASE_URL", "REDIS_URL", "INTERNAL_TOKEN_PUBLIC_KEYS"]
      defaults = []
    }

    "svc-connections" = {
      port          = local.ports["svc-connections"]
      cpu           = 512
      memory        = 1024
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = "svc_connections"
      redis         = true
      callers       = ["gateway", "svc-deployer"]
      task_policy   = "connections"
      queue_scaling = false
      config = merge(local.service_base_config, {
        SVC_CONNECTIONS_PORT = tostring(local.ports["svc-connections"])
        # Customer database passwords in Secrets Manager under <prefix>/<tenant>/connections/<id>.
        SECRET_STORE                  = "aws"
        SECRETS_PREFIX                = local.connection_secrets_prefix
        AWS_REGION                    = var.region
        CUSTOMER_POOL_MAX             = "5"
        CUSTOMER_STATEMENT_TIMEOUT_MS = "15000"
        EXACT_COUNT_TIMEOUT_MS        = "5000"
      })
      secrets = ["DATABASE_URL", "REDIS_URL", "INTERNAL_TOKEN_PUBLIC_KEYS"]
      # The local store's master keys are not used with SECRET_STORE=aws.
      defaults = ["SECRETS_MASTER_KEY", "SECRETS_MASTER_KEY_FILE", "SECRETS_MASTER_KEY_ID", "SECRETS_PREVIOUS_KEYS"]
    }

    "svc-datasets" = {
      port          = local.ports["svc-datasets"]
      cpu           = 512
      memory        = 1024
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = "jobs"
      redis         = true
      callers       = ["gateway"]
      task_policy   = "datasets"
      queue_scaling = false
      config = merge(local.service_base_config, {
        SVC_DATASETS_PORT           = tostring(local.ports["svc-datasets"])
        S3_REGION                   = var.region
        S3_BUCKET                   = module.storage.datasets_bucket
        DATASET_MAX_UPLOAD_BYTES    = "5368709120"
        UPLOAD_PART_SIZE_BYTES      = "67108864"
        UPLOAD_SINGLE_PUT_MAX_BYTES = "104857600"
        QUERY_CACHE_TTL_SECONDS     = "600"
        QUERY_TIMEOUT_MS            = "10000"
        BULLMQ_PREFIX               = var.bullmq_prefix
      })
      secrets  = ["DATABASE_URL", "REDIS_URL", "INTERNAL_TOKEN_PUBLIC_KEYS"]
      defaults = local.s3_defaults
    }

    "svc-plans" = {
      port          = local.ports["svc-plans"]
      cpu           = 256
      memory        = 512
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = "svc_plans"
      redis         = true
      callers       = ["gateway", "svc-deployer"]
      task_policy   = null
      queue_scaling = false
      config = merge(local.service_base_config, {
        SVC_PLANS_PORT = tostring(local.ports["svc-plans"])
      })
      secrets  = ["DATABASE_URL", "REDIS_URL", "INTERNAL_TOKEN_PUBLIC_KEYS"]
      defaults = []
    }

    "svc-deployer" = {
      port          = local.ports["svc-deployer"]
      cpu           = 256
      memory        = 512
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = "jobs"
      redis         = true
      callers       = ["gateway"]
      task_policy   = "deployer"
      queue_scaling = false
      config = merge(local.service_base_config, {
        SVC_DEPLOYER_PORT   = tostring(local.ports["svc-deployer"])
        SVC_PLANS_URL       = local.url["svc-plans"]
        SVC_CONNECTIONS_URL = local.url["svc-connections"]
        BULLMQ_PREFIX       = var.bullmq_prefix
        # The cloud image of the worker has no local target (apps/worker/Dockerfile).
        DEPLOY_TARGETS        = "aws"
        SECRETS_MASTER_KEY_ID = var.secrets_master_key_id
      })
      secrets = ["DATABASE_URL", "REDIS_URL", "INTERNAL_TOKEN_PUBLIC_KEYS", "SECRETS_MASTER_KEY", "SECRETS_PREVIOUS_KEYS"]
      # The EC2 emulator of the test hosts is for development and tests only (refused in production).
      defaults = ["SECRETS_MASTER_KEY_FILE", "DEPLOY_AWS_EMULATOR_URL"]
    }

    "svc-realtime" = {
      port          = local.ports["svc-realtime"]
      cpu           = 512
      memory        = 1024
      desired_count = 2
      min_count     = 2
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = null
      redis         = true
      callers       = ["gateway"]
      task_policy   = null
      queue_scaling = false
      config = merge(local.service_base_config, {
        SVC_REALTIME_PORT          = tostring(local.ports["svc-realtime"])
        SSE_HEARTBEAT_MS           = "15000"
        SSE_MAX_CONNECTIONS        = "10000"
        SSE_SLOW_CLIENT_TIMEOUT_MS = "30000"
      })
      secrets  = ["REDIS_URL", "INTERNAL_TOKEN_PUBLIC_KEYS"]
      defaults = []
    }

    "worker" = {
      port          = local.ports["worker"]
      cpu           = 1024
      memory        = 2048
      desired_count = 1
      min_count     = 1
      max_count     = 10
      public_host   = null
      health_path   = "/health/ready"
      db_role       = "jobs"
      redis         = true
      callers       = []
      task_policy   = "worker"
      queue_scaling = true
      config = merge(local.service_base_config, {
        WORKER_PORT             = tostring(local.ports["worker"])
        S3_REGION               = var.region
        S3_BUCKET               = module.storage.datasets_bucket
        BULLMQ_PREFIX           = var.bullmq_prefix
        INGEST_CONCURRENCY      = tostring(var.worker_ingest_concurrency)
        INGEST_MAX_COLUMNS      = "1000"
        INGEST_MAX_BYTES        = "5368709120"
        INGEST_SAMPLE_ROWS      = "10000"
        INGEST_LOCK_DURATION_MS = "30000"
        DEPLOY_CONCURRENCY      = "2"
        DEPLOY_LOCK_DURATION_MS = "30000"
        RECOVERY_INTERVAL_MS    = "30000"
        RECOVERY_GRACE_MS       = "10000"
        MONITOR_INTERVAL_MS     = "5000"
        SECRETS_MASTER_KEY_ID   = var.secrets_master_key_id
      })
      secrets = ["DATABASE_URL", "REDIS_URL", "SECRETS_MASTER_KEY", "SECRETS_PREVIOUS_KEYS"]
      # No local target in the cloud image: its settings stay at their defaults, unused.
      defaults = concat(local.s3_defaults, [
        "SECRETS_MASTER_KEY_FILE", "DEPLOY_LOCAL_ROOT", "DEPLOY_LOCAL_PORT_RANGE", "DEPLOY_LOCAL_LISTEN_ADDRESSES", "PG_BIN_DIR",
        "DEPLOY_AWS_EMULATOR_URL",
      ])
    }
  }

  connection_secrets_prefix = "${var.name}-${var.environment}"
}
