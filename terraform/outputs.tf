output "artifacts_bucket" {
  description = "Drop models here: models/<name>/<version>/ (SavedModel) or mobile/<name>/<version>/model.tflite, as the workflows in workflows/ match them."
  value       = google_storage_bucket.artifacts.name
}

output "region" {
  description = "Region of the Vertex AI endpoints; `gcloud ai` reads it from CLOUDSDK_AI_REGION (README Deploy step 2)."
  value       = var.region
}

output "state_bucket" {
  description = "Run records (FERRY_STATE_BUCKET)."
  value       = google_storage_bucket.state.name
}

output "mobile_bucket" {
  description = "Cloud Storage for Firebase bucket with validated mobile models (FERRY_MOBILE_BUCKET)."
  value       = google_storage_bucket.mobile.name
}

output "source_bucket" {
  description = "Function source zips, named <entryPoint>-<md5>.zip."
  value       = google_storage_bucket.source.name
}

output "topics" {
  description = "Pub/Sub topics by role, as in functions/pipeline/topics.ts."
  value       = { for key, topic in google_pubsub_topic.topics : key => topic.name }
}

output "dead_letter_inbox" {
  description = "Subscription on the dead-letter topic that `ferry status` reads."
  value       = google_pubsub_subscription.dead_letter_inbox.name
}

output "functions" {
  description = "Deployed functions: name, URLs (cloudfunctions.net and run.app) and runtime service account, by entry point."
  value = {
    for entry_point, m in module.function : entry_point => {
      name            = m.name
      url             = m.url
      uri             = m.uri
      service_account = google_service_account.function[entry_point].email
    }
  }
}

output "drop_artifact" {
  description = "How to start a run: copy a model into the artifacts bucket."
  value       = <<-EOT
    gcloud storage cp golden.jsonl gs://${google_storage_bucket.artifacts.name}/golden/flowers.jsonl
    gcloud storage cp -r ./export/7/* gs://${google_storage_bucket.artifacts.name}/models/flowers/7/
    gcloud storage cp mobile-golden.jsonl gs://${google_storage_bucket.artifacts.name}/golden/flowers-mobile.jsonl
    gcloud storage cp model.tflite gs://${google_storage_bucket.artifacts.name}/mobile/flowers/7/model.tflite
    gcloud pubsub subscriptions pull ${google_pubsub_subscription.run_events_audit.name} --auto-ack --limit=20
  EOT
}
