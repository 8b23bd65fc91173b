locals {
  bucket_prefix = "${var.project_id}-${var.name_prefix}"
}

# Where models land: gs://ARTIFACTS/models/<name>/<version>/saved_model.pb, mobile/<name>/<version>/model.tflite.
resource "google_storage_bucket" "artifacts" {
  project                     = var.project_id
  name                        = "${local.bucket_prefix}-artifacts"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy_buckets
  labels                      = var.labels

  # A re-uploaded file stays readable to the run that validated the earlier generation.
  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# Run records and pending-artifact notes (create-only writes, compare-and-set by generation).
resource "google_storage_bucket" "state" {
  project                     = var.project_id
  name                        = "${local.bucket_prefix}-state"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy_buckets
  labels                      = var.labels
  depends_on                  = [google_project_service.apis]

  # notifyRunEvent's one-per-event markers: only redeliveries within hours read them.
  lifecycle_rule {
    condition {
      age            = 7
      matches_prefix = ["notifications/"]
    }
    action {
      type = "Delete"
    }
  }
}

# Function source zips, named by content hash (see modules/cloud-function).
resource "google_storage_bucket" "source" {
  project                     = var.project_id
  name                        = "${local.bucket_prefix}-function-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = var.labels

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

# Validated mobile models for apps (Cloud Storage for Firebase: versioned object + manifest).
resource "google_storage_bucket" "mobile" {
  project                     = var.project_id
  name                        = "${local.bucket_prefix}-mobile"
  location                    = var.region
  uniform_bucket_level_access = true
  # Apps read it through Firebase (security rules, signed access), never as public objects.
  public_access_prevention = "enforced"
  force_destroy               = var.force_destroy_buckets
  labels                      = var.labels
  depends_on                  = [google_project_service.apis]
}

resource "google_firebase_project" "this" {
  provider   = google-beta
  count      = var.firebase.add_project ? 1 : 0
  project    = var.project_id
  depends_on = [google_project_service.apis]
}

# Makes the mobile bucket a Cloud Storage for Firebase bucket (apps read it with the Firebase SDKs and rules).
resource "google_firebase_storage_bucket" "mobile" {
  provider   = google-beta
  count      = var.firebase.link_bucket ? 1 : 0
  project    = var.project_id
  bucket_id  = google_storage_bucket.mobile.name
  depends_on = [google_firebase_project.this]
}
