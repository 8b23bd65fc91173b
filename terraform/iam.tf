# Least privilege: one runtime identity per function, bound to buckets and topics rather than the
# project wherever the role allows it. No primitive roles (owner/editor/viewer); a test checks.
locals {
  reads_artifacts = ["onArtifact", "validatePredictions", "publishMobile"]
  uses_vertex     = ["registerModel", "deployModel", "awaitOperation", "validatePredictions", "onDeadLetter", "reconcile"]
  # The functions whose code uses Remote Config templates (wiring's remoteConfigTemplates); a test derives it.
  uses_remote_config = []

  topic_publishers = merge([
    for entry_point, f in local.functions : {
      for topic in f.publishes : "${entry_point}/${topic}" => { entry_point = entry_point, topic = topic }
    }
  ]...)

  build_roles = toset([
    "roles/artifactregistry.writer",
    "roles/logging.logWriter",
  ])
}

resource "google_service_account" "function" {
  for_each     = local.functions
  project      = var.project_id
  account_id   = "${var.name_prefix}-${each.value.name}"
  display_name = "ferry ${each.key}"
  description  = "Runtime identity of the ${each.key} function."
}

# Pushes stage messages to the functions and carries the Eventarc storage trigger; may only invoke them.
resource "google_service_account" "invoker" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-invoker"
  display_name = "ferry invoker"
  description  = "Identity of the Pub/Sub push subscriptions and the Eventarc trigger that invoke ferry's functions."
}

# Builds the function images (instead of the project's default compute account).
resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name_prefix}-build"
  display_name = "ferry function builds"
  description  = "Cloud Build identity for ferry's function deployments."
}

resource "google_storage_bucket_iam_member" "state" {
  for_each = local.functions
  bucket   = google_storage_bucket.state.name
  role     = "roles/storage.objectUser"
  member   = google_service_account.function[each.key].member
}

resource "google_storage_bucket_iam_member" "artifacts_reader" {
  for_each = toset(local.reads_artifacts)
  bucket   = google_storage_bucket.artifacts.name
  role     = "roles/storage.objectViewer"
  member   = google_service_account.function[each.key].member
}

# Vertex AI loads the SavedModel files itself, as its service agent.
resource "google_storage_bucket_iam_member" "artifacts_vertex_agent" {
  bucket = google_storage_bucket.artifacts.name
  role   = "roles/storage.objectViewer"
  member = local.vertex_agent
}

resource "google_pubsub_topic_iam_member" "publisher" {
  for_each = local.topic_publishers
  project  = var.project_id
  topic    = google_pubsub_topic.topics[each.value.topic].name
  role     = "roles/pubsub.publisher"
  member   = google_service_account.function[each.value.entry_point].member
}

# Model Registry and endpoints have no resource-level IAM: the project-level Vertex AI user role.
resource "google_project_iam_member" "vertex_user" {
  for_each = toset(local.uses_vertex)
  project  = var.project_id
  role     = "roles/aiplatform.user"
  member   = google_service_account.function[each.key].member
}

resource "google_project_iam_member" "firebase_ml_admin" {
  project = var.project_id
  role    = "roles/firebaseml.admin"
  member  = google_service_account.function["publishMobile"].member
}

# firebase-admin's remoteConfig(): getTemplate, validateTemplate and publishTemplate, which are
# cloudconfig.configs.get and .update, the two permissions of Firebase Remote Config Admin.
# https://cloud.google.com/iam/docs/roles-permissions/cloudconfig
resource "google_project_iam_member" "remote_config_admin" {
  for_each = toset(local.uses_remote_config)
  project  = var.project_id
  role     = "roles/cloudconfig.admin"
  member   = google_service_account.function[each.key].member
}

resource "google_storage_bucket_iam_member" "mobile_writer" {
  bucket = google_storage_bucket.mobile.name
  role   = "roles/storage.objectUser"
  member = google_service_account.function["publishMobile"].member
}

# firebase-admin signs the read URL Firebase ML fetches the model from (iam.serviceAccounts.signBlob on itself).
resource "google_service_account_iam_member" "publish_mobile_signs_as_itself" {
  service_account_id = google_service_account.function["publishMobile"].name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = google_service_account.function["publishMobile"].member
}

# Eventarc storage triggers: the Cloud Storage service agent publishes the object events.
resource "google_project_iam_member" "gcs_agent_publisher" {
  project = var.project_id
  role    = "roles/pubsub.publisher"
  member  = local.gcs_agent
}

resource "google_project_iam_member" "invoker_event_receiver" {
  project = var.project_id
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.invoker.member
}

# The Pub/Sub service agent mints the OIDC tokens push subscriptions send as the invoker.
resource "google_service_account_iam_member" "pubsub_agent_invoker_tokens" {
  service_account_id = google_service_account.invoker.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_agent
}

resource "google_project_iam_member" "build" {
  for_each = local.build_roles
  project  = var.project_id
  role     = each.value
  member   = google_service_account.build.member
}

resource "google_storage_bucket_iam_member" "build_source" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.build.member
}

# Cloud Build fetches each function's source from the bucket Cloud Functions copies it into,
# gcf-v2-sources-<project number>-<region>, which Cloud Functions creates on the first deploy (so
# Terraform cannot bind on the bucket itself). The read is granted on the project but, by an IAM
# condition, only for that bucket: no other bucket of the project is readable by builds.
# https://cloud.google.com/functions/docs/securing/build-custom-sa
resource "google_project_iam_member" "build_sources_reader" {
  project = var.project_id
  role    = "roles/storage.objectViewer"
  member  = google_service_account.build.member
  condition {
    title       = "gcf-v2-sources only"
    description = "Function sources that Cloud Functions staged for Cloud Build"
    expression  = "resource.name.startsWith(\"projects/_/buckets/gcf-v2-sources-${data.google_project.this.number}-${var.region}\")"
  }
}

# notifyRunEvent reads the webhook URL (its key) from Secret Manager at instance start.
resource "google_secret_manager_secret_iam_member" "notify_webhook" {
  count     = var.notify_webhook_secret == null ? 0 : 1
  project   = var.project_id
  secret_id = var.notify_webhook_secret
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.function["notifyRunEvent"].member
}
