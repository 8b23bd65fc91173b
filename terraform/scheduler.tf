# The reconciler's clock: Cloud Scheduler publishes a tick on ferry.reconcile, whose push
# subscription invokes the reconcile function (functions/entry/reconcile.ts). Pub/Sub targets are
# published by the Cloud Scheduler service agent, whose automatic role may publish to any topic of
# the project: no grant is needed here.
resource "google_cloud_scheduler_job" "reconcile" {
  project     = var.project_id
  region      = var.region
  name        = "${var.name_prefix}-reconcile"
  description = "Starts a ferry reconciler pass: stalled runs nudged, then ended safely; leases of ended runs released."
  schedule    = var.reconcile_schedule
  time_zone   = var.scheduler_time_zone

  pubsub_target {
    topic_name = google_pubsub_topic.topics["reconcile"].id
    data       = base64encode(jsonencode({}))
  }

  depends_on = [google_project_service.apis]
}
