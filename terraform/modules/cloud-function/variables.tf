variable "project_id" {
  description = "Project of the function."
  type        = string
}

variable "region" {
  description = "Region of the function and its trigger."
  type        = string
}

variable "name" {
  description = "Function name (lowercase, also the Cloud Run service name)."
  type        = string
}

variable "description" {
  description = "What the function does."
  type        = string
}

variable "entry_point" {
  description = "Functions Framework target the code registers (cloudEvent('<entry_point>', ...))."
  type        = string
}

variable "source_dir" {
  description = "Folder `npm run package` built for this function (package.json + bundle)."
  type        = string
}

variable "source_bucket" {
  description = "Bucket the zipped source is uploaded to."
  type        = string
}

variable "service_account_email" {
  description = "Runtime identity of the function."
  type        = string
}

variable "build_service_account" {
  description = "Cloud Build identity (projects/P/serviceAccounts/EMAIL)."
  type        = string
}

variable "invoker_email" {
  description = "Identity that invokes the function: the push subscription's OIDC token or the Eventarc trigger."
  type        = string
}

variable "memory_mb" {
  description = "Memory of one instance, in MiB."
  type        = number
}

variable "timeout_s" {
  description = "Longest a single event may run, in seconds (event-driven functions: at most 540)."
  type        = number

  validation {
    condition     = var.timeout_s > 0 && var.timeout_s <= 540
    error_message = "timeout_s must be 1-540: event-driven functions cannot run longer."
  }
}

variable "max_instances" {
  description = "Upper bound on concurrent instances."
  type        = number
}

variable "environment" {
  description = "Environment variables (FERRY_*)."
  type        = map(string)
}

variable "secret_environment" {
  description = "Environment variables read from Secret Manager at instance start: name => {secret (id in this project), version}."
  type = map(object({
    secret  = string
    version = string
  }))
  default = {}
}

variable "labels" {
  description = "Labels of the function."
  type        = map(string)
  default     = {}
}

variable "storage_trigger" {
  description = "Invoke on Cloud Storage events through Eventarc (with retries), or null."
  type = object({
    bucket     = string
    event_type = string
  })
  default = null
}

variable "pubsub_trigger" {
  description = "Invoke from a push subscription on a topic, with a retry policy and (if dead_letter) a dead-letter policy to dead_letter_topic, or null."
  type = object({
    topic                 = string
    dead_letter           = bool
    dead_letter_topic     = string
    max_delivery_attempts = number
    min_backoff_s         = number
    max_backoff_s         = number
    pubsub_agent          = string
  })
  default = null
}
