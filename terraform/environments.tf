# Workflow environments in other projects (`environments[].project` in a workflow file): what the
# functions need there, and nothing at all while var.environment_projects is empty. Regions need
# nothing: these roles are project-wide, and CopyModel between regions of one project is covered
# by iam.tf's grants.
locals {
  # The functions' own project is iam.tf's.
  environment_projects = toset([for project in var.environment_projects : project if project != var.project_id])

  # Every function whose code calls Vertex (local.uses_vertex), in every other project.
  environment_vertex_users = merge([
    for entry_point in local.uses_vertex : {
      for project in local.environment_projects :
      "${entry_point}/${project}" => { entry_point = entry_point, project = project }
    }
  ]...)
}

# The Vertex calls ferry makes in an environment's project: ListModels, UploadModel,
# ListModelVersions, GetModel, MergeVersionAliases, CreateEndpoint, GetEndpoint, DeployModel,
# UndeployModel, UpdateEndpoint (the split), Predict and GetOperation. No predefined role narrower
# than Vertex AI User holds them all (Vertex AI Viewer has no create, deploy or predict); the
# service recommends a custom role for less.
# https://cloud.google.com/vertex-ai/docs/general/access-control
resource "google_project_iam_member" "environment_vertex_user" {
  for_each = local.environment_vertex_users
  project  = each.value.project
  role     = "roles/aiplatform.user"
  member   = google_service_account.function[each.value.entry_point].member
}

# Names (creating it if needed) the Vertex AI service agent of each environment project,
# service-<number>@gcp-sa-aiplatform.iam.gserviceaccount.com. Vertex AI must be enabled there.
resource "google_project_service_identity" "environment_vertex" {
  provider = google-beta
  for_each = local.environment_projects
  project  = each.value
  service  = "aiplatform.googleapis.com"
}

# UploadModel in an environment's project reads the SavedModel from this project's artifacts
# bucket as that project's Vertex AI service agent ("If empty, Vertex AI Service Agent will be used
# to access resources needed to upload the model"), so the agent may read the bucket's objects.
# https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/upload
resource "google_storage_bucket_iam_member" "artifacts_environment_vertex_agent" {
  for_each = local.environment_projects
  bucket   = google_storage_bucket.artifacts.name
  role     = "roles/storage.objectViewer"
  member   = "serviceAccount:${google_project_service_identity.environment_vertex[each.key].email}"
}
