output "parameter_arns" {
  description = "Per app: { VARIABLE = parameter ARN }."
  value = {
    for app in keys(var.apps) : app => {
      for key, parameter in local.parameters : parameter.variable => aws_ssm_parameter.this[key].arn if parameter.app == app
    }
  }
}
