# Topics between the stages: the same names as functions/pipeline/topics.ts (a test checks).
locals {
  topics = {
    savedModelReady  = "ferry.savedmodel.ready"
    tfliteReady      = "ferry.tflite.ready"
    modelRegistered  = "ferry.model.registered"
    operationPending = "ferry.operation.pending"
    modelDeployed    = "ferry.model.deployed"
    runEvents        = "ferry.run.events"
    deadLetter       = "ferry.dead-letter"
    reconcile        = "ferry.reconcile"
  }
}

resource "google_pubsub_topic" "topics" {
  for_each = local.topics
  project  = var.project_id
  name     = each.value
  labels   = var.labels

  # Undelivered messages are kept a week, so a stalled pipeline can be resumed.
  message_retention_duration = "604800s"
  depends_on                 = [google_project_service.apis]
}

# What `ferry status` reads without consuming (cli/stack/dead-letters.ts: DEAD_LETTER_INBOX).
resource "google_pubsub_subscription" "dead_letter_inbox" {
  project                    = var.project_id
  name                       = "ferry-dead-letter-inbox"
  topic                      = google_pubsub_topic.topics["deadLetter"].id
  ack_deadline_seconds       = 60
  message_retention_duration = "604800s"
  retain_acked_messages      = true
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

# An audit trail of every run's state changes; attach notifications to the topic the same way.
resource "google_pubsub_subscription" "run_events_audit" {
  project                    = var.project_id
  name                       = "ferry-run-events-audit"
  topic                      = google_pubsub_topic.topics["runEvents"].id
  message_retention_duration = "604800s"
  labels                     = var.labels

  expiration_policy {
    ttl = ""
  }
}

# The Pub/Sub service agent forwards undeliverable messages to the dead-letter topic.
resource "google_pubsub_topic_iam_member" "dead_letter_publisher" {
  project = var.project_id
  topic   = google_pubsub_topic.topics["deadLetter"].name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_agent
}
