# Task role policies of the apps that call AWS APIs (everything else gets a task role with no
# policy at all). Execution roles (image pull, logs, the app's own secrets and parameters) are
# made per app in modules/service.

locals {
  account_id = data.aws_caller_identity.current.account_id
}

# svc-connections, SECRET_STORE=aws: customer database passwords under its own prefix only.
data "aws_iam_policy_document" "connections" {
  statement {
    sid = "ConnectionSecrets"
    actions = [
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:TagResource",
      "secretsmanager:UpdateSecret",
    ]
    resources = ["arn:aws:secretsmanager:${var.region}:${local.account_id}:secret:${local.connection_secrets_prefix}/*"]
  }
}

# svc-datasets: presigned single and multipart uploads, reads for previews, deletes, HeadBucket.
data "aws_iam_policy_document" "datasets" {
  statement {
    sid = "DatasetObjects"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ]
    resources = ["${module.storage.datasets_bucket_arn}/*"]
  }
  statement {
    sid       = "DatasetBucket"
    actions   = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [module.storage.datasets_bucket_arn]
  }
}

# worker: reads uploaded CSVs, writes and reads backups, and deploys into tenants' own AWS
# accounts by assuming the role each tenant created for us (their trust policy checks the
# external id). Tighten deploy_target_role_arns when tenants' role names follow a convention.
data "aws_iam_policy_document" "worker" {
  statement {
    sid       = "DatasetObjects"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${module.storage.datasets_bucket_arn}/*"]
  }
  statement {
    sid       = "Backups"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${module.storage.backups_bucket_arn}/*"]
  }
  statement {
    sid       = "Buckets"
    actions   = ["s3:ListBucket"]
    resources = [module.storage.datasets_bucket_arn, module.storage.backups_bucket_arn]
  }
  statement {
    sid       = "TenantDeployTargets"
    actions   = ["sts:AssumeRole"]
    resources = var.deploy_target_role_arns
  }
}

# svc-deployer checks a tenant's AWS target credentials (AssumeRole + GetCallerIdentity).
data "aws_iam_policy_document" "deployer" {
  statement {
    sid       = "TenantDeployTargets"
    actions   = ["sts:AssumeRole"]
    resources = var.deploy_target_role_arns
  }
}
