# The zip is named by its content hash: a code change is a new object, which redeploys the function.
data "archive_file" "source" {
  type        = "zip"
  source_dir  = var.source_dir
  output_path = "${path.root}/.terraform/ferry-source/${var.entry_point}.zip"
}

resource "google_storage_bucket_object" "source" {
  bucket = var.source_bucket
  name   = "${var.entry_point}-${data.archive_file.source.output_md5}.zip"
  source = data.archive_file.source.output_path
}

resource "google_cloudfunctions2_function" "this" {
  project     = var.project_id
  location    = var.region
  name        = var.name
  description = var.description
  labels      = var.labels

  build_config {
    runtime         = "nodejs20"
    entry_point     = var.entry_point
    service_account = var.build_service_account

    source {
      storage_source {
        bucket = var.source_bucket
        object = google_storage_bucket_object.source.name
      }
    }
  }

  service_config {
    available_memory               = "${var.memory_mb}M"
    timeout_seconds                = var.timeout_s
    max_instance_count             = var.max_instances
    min_instance_count             = 0
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    service_account_email          = var.service_account_email
    environment_variables          = var.environment

    dynamic "secret_environment_variables" {
      for_each = var.secret_environment
      content {
        key        = secret_environment_variables.key
        project_id = var.project_id
        secret     = secret_environment_variables.value.secret
        version    = secret_environment_variables.value.version
      }
    }
  }

  # Storage events come through Eventarc; retried with backoff (10-600 s) until the handler returns.
  dynamic "event_trigger" {
    for_each = var.storage_trigger == null ? [] : [var.storage_trigger]
    content {
      trigger_region        = var.region
      event_type            = event_trigger.value.event_type
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = var.invoker_email

      event_filters {
        attribute = "bucket"
        value     = event_trigger.value.bucket
      }
    }
  }
}

# Only the invoker identity may call the function (Pub/Sub push or Eventarc).
resource "google_cloud_run_v2_service_iam_member" "invoker" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.this.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${var.invoker_email}"
}

# Stage messages: a push subscription the project owns, so its retry and dead-letter policies are
# declared here (Eventarc's own subscriptions cannot be given a dead-letter topic in Terraform).
# The Functions Framework turns the push envelope into the
# google.cloud.pubsub.topic.v1.messagePublished CloudEvent the handler is registered for; the URL
# path /projects/P/topics/T names its source.
# It pushes to the run.app URL (service_config[0].uri), which is also the token's audience: Cloud
# Run's ingress documentation admits Pub/Sub push at the run.app URL of an internal-only service;
# the cloudfunctions.net URL (.url) has no such promise.
# https://cloud.google.com/run/docs/securing/ingress#internal-services
resource "google_pubsub_subscription" "trigger" {
  count                      = var.pubsub_trigger == null ? 0 : 1
  project                    = var.project_id
  name                       = "${var.entry_point}-trigger"
  topic                      = var.pubsub_trigger.topic
  ack_deadline_seconds       = 600
  message_retention_duration = "86400s"
  labels                     = var.labels

  push_config {
    push_endpoint = "${google_cloudfunctions2_function.this.service_config[0].uri}/projects/${var.project_id}/topics/${var.pubsub_trigger.topic}"

    oidc_token {
      service_account_email = var.invoker_email
      audience              = google_cloudfunctions2_function.this.service_config[0].uri
    }
  }

  retry_policy {
    minimum_backoff = "${var.pubsub_trigger.min_backoff_s}s"
    maximum_backoff = "${var.pubsub_trigger.max_backoff_s}s"
  }

  # No policy when the function reads the dead-letter topic itself (it would forward into it).
  # A plain bool decides, so the block count is known at plan time (the topic id is not).
  dynamic "dead_letter_policy" {
    for_each = var.pubsub_trigger.dead_letter ? [var.pubsub_trigger] : []
    content {
      dead_letter_topic     = dead_letter_policy.value.dead_letter_topic
      max_delivery_attempts = dead_letter_policy.value.max_delivery_attempts
    }
  }

  expiration_policy {
    ttl = ""
  }
}

# Dead-lettering needs the Pub/Sub service agent to read (ack) from the source subscription.
resource "google_pubsub_subscription_iam_member" "dead_letter_subscriber" {
  count        = var.pubsub_trigger == null ? 0 : (var.pubsub_trigger.dead_letter ? 1 : 0)
  project      = var.project_id
  subscription = google_pubsub_subscription.trigger[0].name
  role         = "roles/pubsub.subscriber"
  member       = var.pubsub_trigger.pubsub_agent
}
