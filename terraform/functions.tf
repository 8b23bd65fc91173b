# One gen2 function per entry point in functions/entry-points.ts (ENTRY_POINTS). `trigger_topic` is the
# topic key in local.topics whose push subscription invokes it; onArtifact is invoked by Eventarc
# on Storage finalize instead. `publishes` lists the topics it may publish to (least privilege).
# `dead_letter`: whether its trigger subscription dead-letters to ferry.dead-letter (not for
# onDeadLetter, which reads that topic, nor for the reconciler, whose next tick supersedes a failed one).
locals {
  function_defaults = {
    onArtifact = {
      name          = "on-artifact"
      description   = "Storage finalize on the artifacts bucket: completeness, dedup, static checks, run record."
      trigger_topic = null
      dead_letter   = true
      publishes     = ["savedModelReady", "tfliteReady", "runEvents", "deadLetter"]
      memory_mb     = 512
      timeout_s     = 300
      max_instances = 20
    }
    registerModel = {
      name          = "register-model"
      description   = "ferry.savedmodel.ready: a new version in the Vertex AI Model Registry."
      trigger_topic = "savedModelReady"
      dead_letter   = true
      publishes     = ["modelRegistered", "operationPending", "runEvents", "deadLetter"]
      memory_mb     = 512
      timeout_s     = 300
      max_instances = 10
    }
    deployModel = {
      name          = "deploy-model"
      description   = "ferry.model.registered: DeployModel at the canary split (not waited on)."
      trigger_topic = "modelRegistered"
      dead_letter   = true
      publishes     = ["modelRegistered", "operationPending", "runEvents", "deadLetter"]
      memory_mb     = 512
      timeout_s     = 300
      max_instances = 10
    }
    awaitOperation = {
      name          = "await-operation"
      description   = "ferry.operation.pending: follows a Vertex long-running operation for at most its budget."
      trigger_topic = "operationPending"
      dead_letter   = true
      publishes     = ["operationPending", "modelDeployed", "savedModelReady", "modelRegistered", "runEvents", "deadLetter"]
      memory_mb     = 512
      timeout_s     = 300
      max_instances = 10
    }
    validatePredictions = {
      name          = "validate-predictions"
      description   = "ferry.model.deployed: golden requests through the endpoint; step up, promote or roll back."
      trigger_topic = "modelDeployed"
      dead_letter   = true
      publishes     = ["modelDeployed", "operationPending", "runEvents", "deadLetter"]
      memory_mb     = 1024
      timeout_s     = 540
      max_instances = 10
    }
    publishMobile = {
      name          = "publish-mobile"
      description   = "ferry.tflite.ready: TFLite golden set, then Firebase ML and Cloud Storage for Firebase."
      trigger_topic = "tfliteReady"
      dead_letter   = true
      publishes     = ["runEvents", "deadLetter"]
      memory_mb     = 1024
      timeout_s     = 540
      max_instances = 5
    }
    onDeadLetter = {
      name          = "on-dead-letter"
      description   = "ferry.dead-letter: ends the run of a dead-lettered stage message (canary rolled back, run failed, lease released)."
      trigger_topic = "deadLetter"
      dead_letter   = false
      publishes     = ["savedModelReady", "modelRegistered", "runEvents"]
      memory_mb     = 512
      timeout_s     = 300
      max_instances = 5
    }
    reconcile = {
      name          = "reconcile"
      description   = "ferry.reconcile (Cloud Scheduler): nudges runs stalled past their state's budget, then ends them safely; releases leases of ended runs."
      trigger_topic = "reconcile"
      dead_letter   = false
      publishes     = ["savedModelReady", "tfliteReady", "modelRegistered", "operationPending", "modelDeployed", "runEvents"]
      memory_mb     = 512
      timeout_s     = 540
      max_instances = 1
    }
    # Deployed only when var.notify_webhook_secret is set (see local.functions). No dead-letter
    # policy: a run event names its run, and onDeadLetter would end that run.
    notifyRunEvent = {
      name          = "notify-run-event"
      description   = "ferry.run.events: posts awaiting approval, promoted, published, rejected, failed, rolled back and dead-lettered runs to a chat webhook."
      trigger_topic = "runEvents"
      dead_letter   = false
      publishes     = []
      memory_mb     = 256
      timeout_s     = 60
      max_instances = 5
    }
  }

  functions = {
    for entry_point, f in local.function_defaults : entry_point => merge(f, {
      memory_mb     = coalesce(try(var.functions[entry_point].memory_mb, null), f.memory_mb)
      timeout_s     = coalesce(try(var.functions[entry_point].timeout_s, null), f.timeout_s)
      max_instances = coalesce(try(var.functions[entry_point].max_instances, null), f.max_instances)
    }) if !contains(keys(local.optional_functions), entry_point) || local.optional_functions[entry_point]
  }

  # Functions that exist only when configured: their service account, grants and trigger too.
  optional_functions = {
    notifyRunEvent = var.notify_webhook_secret != null
  }

  # The webhook URL, from Secret Manager into FERRY_NOTIFY_WEBHOOK_URL (functions/entry/notify-config.ts).
  secret_env = {
    notifyRunEvent = var.notify_webhook_secret == null ? {} : {
      FERRY_NOTIFY_WEBHOOK_URL = { secret = var.notify_webhook_secret, version = "latest" }
    }
  }

  # Read by functions/entry/config.ts and functions/adapters/vertex/vertex-config.ts.
  common_env = {
    FERRY_PROJECT          = var.project_id
    FERRY_LOCATION         = var.region
    FERRY_STATE_BUCKET     = google_storage_bucket.state.name
    FERRY_MAX_EVENT_AGE_MS = tostring(var.max_event_age_ms)
  }
  extra_env = {
    awaitOperation = {
      FERRY_AWAIT_BUDGET_MS = tostring(var.await_budget_ms)
      FERRY_AWAIT_POLL_MS   = tostring(var.await_poll_ms)
    }
    validatePredictions = {
      FERRY_VALIDATE_BUDGET_MS = tostring(var.validate_budget_ms)
    }
    publishMobile = {
      FERRY_MOBILE_BUCKET = google_storage_bucket.mobile.name
    }
    # Staged mobile rollouts: the reconciler widens their manifest entry.
    reconcile = {
      FERRY_MOBILE_BUCKET = google_storage_bucket.mobile.name
    }
    notifyRunEvent = var.notify_format == null ? {} : {
      FERRY_NOTIFY_FORMAT = var.notify_format
    }
  }
}

# FERRY_CLAIM_MS: a stage's claim on a run lasts as long as the function may run, so a claim left
# by a crashed instance expires before Pub/Sub stops redelivering (functions/pipeline/run-stage.ts).
module "function" {
  source   = "./modules/cloud-function"
  for_each = local.functions

  project_id            = var.project_id
  region                = var.region
  name                  = "${var.name_prefix}-${each.value.name}"
  description           = each.value.description
  entry_point           = each.key
  source_dir            = "${path.root}/${var.build_dir}/${each.key}"
  source_bucket         = google_storage_bucket.source.name
  service_account_email = google_service_account.function[each.key].email
  build_service_account = google_service_account.build.id
  invoker_email         = google_service_account.invoker.email
  memory_mb             = each.value.memory_mb
  timeout_s             = each.value.timeout_s
  max_instances         = each.value.max_instances
  environment           = merge(local.common_env, { FERRY_CLAIM_MS = tostring(each.value.timeout_s * 1000) }, lookup(local.extra_env, each.key, {}))
  secret_environment    = lookup(local.secret_env, each.key, {})
  labels                = var.labels

  storage_trigger = each.value.trigger_topic == null ? {
    bucket     = google_storage_bucket.artifacts.name
    event_type = "google.cloud.storage.object.v1.finalized"
  } : null

  pubsub_trigger = each.value.trigger_topic == null ? null : {
    topic                 = google_pubsub_topic.topics[each.value.trigger_topic].name
    dead_letter           = each.value.dead_letter
    dead_letter_topic     = google_pubsub_topic.topics["deadLetter"].id
    max_delivery_attempts = var.max_delivery_attempts
    min_backoff_s         = var.retry_min_backoff_s
    max_backoff_s         = var.retry_max_backoff_s
    pubsub_agent          = local.pubsub_agent
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_source,
    google_project_iam_member.build_sources_reader,
    google_project_iam_member.invoker_event_receiver,
    google_project_iam_member.gcs_agent_publisher,
    google_secret_manager_secret_iam_member.notify_webhook,
  ]
}
