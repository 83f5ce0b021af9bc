# Non-secret configuration in SSM Parameter Store, one String parameter per app and variable
# (/<name>/<environment>/<app>/<VARIABLE>). ECS reads them at task start: change a value, then
# force a new deployment of that service.

locals {
  parameters = merge([
    for app, config in var.apps : {
      for variable, value in config : "${app}/${variable}" => { app = app, variable = variable, value = value }
    }
  ]...)
}

resource "aws_ssm_parameter" "this" {
  for_each = local.parameters

  name  = "${var.prefix}/${each.key}"
  type  = "String"
  tier  = "Standard"
  value = each.value.value
}
