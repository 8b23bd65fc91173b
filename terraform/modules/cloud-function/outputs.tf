output "name" {
  description = "Function name."
  value       = google_cloudfunctions2_function.this.name
}

output "url" {
  description = "HTTPS URL of the function (internal ingress only)."
  value       = google_cloudfunctions2_function.this.url
}

output "uri" {
  description = "The run.app URL of the function's Cloud Run service: the push endpoint's host and the OIDC audience."
  value       = google_cloudfunctions2_function.this.service_config[0].uri
}

output "source_object" {
  description = "The uploaded source zip, named by content hash."
  value       = google_storage_bucket_object.source.name
}

output "subscription" {
  description = "The push subscription that triggers it, if any."
  value       = one(google_pubsub_subscription.trigger[*].name)
}
