# The platform's own secrets in Secrets Manager, injected by ECS into only the tasks that read
# them (modules/service). The internal token key pair has no value until the operator puts one
# (`node scripts/gen-internal-keys.mjs`, docs/operations.md): the gateway and services do not
# start without it, which is deliberate — Terraform cannot make an Ed25519 JWK.

locals {
  operator_set = {
    "internal-token-private-key" = "INTERNAL_TOKEN_PRIVATE_KEY of the gateway: Ed25519 private JWK (signs internal context tokens)"
    "internal-token-public-keys" = "INTERNAL_TOKEN_PUBLIC_KEYS of every service: JSON array of public JWKs (current + previous during rotation)"
  }
}

resource "aws_secretsmanager_secret" "operator_set" {
  for_each = local.operator_set

  name        = "${var.name}/${each.key}"
  description = each.value
}

# SECRETS_MASTER_KEY of svc-deployer and the worker (seals deployments' admin passwords).
resource "random_bytes" "master_key" {
  length = 32
}

resource "aws_secretsmanager_secret" "master_key" {
  name        = "${var.name}/secrets-master-key"
  description = "SECRETS_MASTER_KEY: base64 of 32 random bytes (svc-deployer, worker)"
}

resource "aws_secretsmanager_secret_version" "master_key" {
  secret_id     = aws_secretsmanager_secret.master_key.id
  secret_string = random_bytes.master_key.base64

  # Rotation replaces the value outside Terraform (docs/operations.md); do not put it back.
  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret" "previous_keys" {
  name        = "${var.name}/secrets-previous-keys"
  description = "SECRETS_PREVIOUS_KEYS: JSON {\"<key id>\": \"<base64>\"} of retired master keys that still decrypt"
}

resource "aws_secretsmanager_secret_version" "previous_keys" {
  secret_id     = aws_secretsmanager_secret.previous_keys.id
  secret_string = "{}"

  lifecycle {
    ignore_changes = [secret_string]
  }
}
