variable "project_id" {
  description = "The Google Cloud project ferry runs in (billing enabled)."
  type        = string
}

variable "region" {
  description = "Region of the functions, buckets, Eventarc trigger and Vertex AI resources (FERRY_LOCATION)."
  type        = string
  default     = "us-central1"
}

variable "environment_projects" {
  description = "Other projects that workflow environments deploy to (environments[].project), by project id. Each gets Vertex AI User for the functions that call Vertex, and its Vertex AI service agent may read the artifacts bucket; [] grants nothing outside project_id."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for project in var.environment_projects : can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", project))])
    error_message = "environment_projects must hold project ids (6-30 characters: lowercase letters, digits, hyphens), not names or numbers."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name; bucket names also get the project id to be globally unique."
  type        = string
  default     = "ferry"
}

variable "build_dir" {
  description = "Where `npm run package` wrote one folder per function (relative to this folder)."
  type        = string
  default     = "../build/functions"
}

variable "functions" {
  description = "Per-function overrides, keyed by entry point (onArtifact, registerModel, deployModel, awaitOperation, validatePredictions, publishMobile, onDeadLetter, reconcile)."
  type = map(object({
    memory_mb     = optional(number)
    timeout_s     = optional(number)
    max_instances = optional(number)
  }))
  default = {}
}

variable "max_delivery_attempts" {
  description = "Deliveries of a stage message before Pub/Sub moves it to the dead-letter topic (5-100)."
  type        = number
  default     = 10
}

variable "retry_min_backoff_s" {
  description = "Shortest wait before Pub/Sub redelivers a failed stage message."
  type        = number
  default     = 10
}

variable "retry_max_backoff_s" {
  description = "Longest wait before Pub/Sub redelivers a failed stage message."
  type        = number
  default     = 600
}

variable "max_event_age_ms" {
  description = "Events older than this are not retried any more (FERRY_MAX_EVENT_AGE_MS): the run ends failed."
  type        = number
  default     = 21600000
}

variable "reconcile_schedule" {
  description = "When Cloud Scheduler starts a reconciler pass (unix-cron, in var.scheduler_time_zone): every 10 minutes by default."
  type        = string
  default     = "*/10 * * * *"
}

variable "scheduler_time_zone" {
  description = "Time zone of reconcile_schedule (IANA name)."
  type        = string
  default     = "Etc/UTC"
}

variable "await_budget_ms" {
  description = "How long one awaitOperation call follows a Vertex operation before handing it on (FERRY_AWAIT_BUDGET_MS); must stay below its timeout."
  type        = number
  default     = 240000
}

variable "validate_budget_ms" {
  description = "How long one validatePredictions call sends golden requests before saving its tally and handing on (FERRY_VALIDATE_BUDGET_MS); must stay well below its timeout."
  type        = number
  default     = 300000
}

variable "await_poll_ms" {
  description = "How often awaitOperation polls a Vertex operation (FERRY_AWAIT_POLL_MS)."
  type        = number
  default     = 10000
}

variable "firebase" {
  description = "Add Firebase to the project (false when it already is a Firebase project) and link the mobile bucket to Cloud Storage for Firebase."
  type = object({
    add_project = optional(bool, true)
    link_bucket = optional(bool, true)
  })
  default = {}
}

variable "force_destroy_buckets" {
  description = "Let `terraform destroy` delete buckets that still hold objects (artifacts, run records, mobile models)."
  type        = bool
  default     = false
}

variable "labels" {
  description = "Labels put on every bucket, function and topic."
  type        = map(string)
  default     = { app = "ferry" }
}

variable "notify_webhook_secret" {
  description = "Secret Manager secret id (in this project) holding a Slack or Google Chat incoming-webhook URL. Set, it deploys notifyRunEvent, which posts run outcomes there; null deploys no notifier."
  type        = string
  default     = null
}

variable "notify_format" {
  description = "Chat format of the webhook: slack or chat. null infers it from the URL's host (hooks.slack.com, chat.googleapis.com)."
  type        = string
  default     = null

  validation {
    condition     = var.notify_format == null || contains(["slack", "chat"], coalesce(var.notify_format, "slack"))
    error_message = "notify_format must be slack, chat or null."
  }
}

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/P/notificationChannels/N) the alert policies notify; [] keeps the alerts in the console only."
  type        = list(string)
  default     = []
}
