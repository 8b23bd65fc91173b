# Alerts on what a person must act on, from Cloud Monitoring (independent of the chat notifier):
# dead letters waiting, failed runs, runs awaiting approval for too long. Each notifies
# var.notification_channels ([] keeps them in the console only).
locals {
  # functions/core/run/run-record.ts OUTCOMES; a test checks they agree.
  # A run a person ends from the CLI before it held traffic (aborted in checked/registered) is
  # logged by the CLI, not by a function: these counters see the outcomes functions write.
  run_outcomes = toset(["promoted", "published", "rejected", "failed", "aborted", "rolled-back"])

  # Gen2 functions log to their Cloud Run service; ferry's services are named "<name_prefix>-...".
  function_logs = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name:\"${var.name_prefix}-\""

  # The line the reconciler writes once when a run has awaited approval for half its timeout:
  # {"alert": "approval-overdue", runId, workflow}. functions/core/notify/alert-log-fields.ts.
  approval_overdue_filter = "jsonPayload.alert=\"approval-overdue\""
}

# One counter per run outcome, from the line announce() logs at every state change
# (functions/pipeline/run-stage.ts: {state, outcome, runId, workflow}), labelled by workflow.
resource "google_logging_metric" "run_outcome" {
  for_each    = local.run_outcomes
  project     = var.project_id
  name        = "ferry/run_${each.key}"
  description = "ferry runs that ended ${each.key}, by workflow."
  filter      = "${local.function_logs} AND jsonPayload.outcome=\"${each.key}\""

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key         = "workflow"
      value_type  = "STRING"
      description = "The run's workflow."
    }
  }

  label_extractors = {
    workflow = "EXTRACT(jsonPayload.workflow)"
  }

  depends_on = [google_project_service.apis]
}

resource "google_logging_metric" "approval_overdue" {
  project     = var.project_id
  name        = "ferry/approval_overdue"
  description = "ferry runs awaiting approval past half their timeout, by workflow."
  filter      = "${local.function_logs} AND ${local.approval_overdue_filter}"

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"

    labels {
      key         = "workflow"
      value_type  = "STRING"
      description = "The run's workflow."
    }
  }

  label_extractors = {
    workflow = "EXTRACT(jsonPayload.workflow)"
  }

  depends_on = [google_project_service.apis]
}

# Anything on ferry-dead-letter-inbox: `ferry status` reads it without acknowledging, so the alert
# stays open until someone acknowledges the letters (or they expire after 7 days).
resource "google_monitoring_alert_policy" "dead_letter_backlog" {
  project               = var.project_id
  display_name          = "ferry: dead letters waiting"
  combiner              = "OR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "ferry-dead-letter-inbox has undelivered messages"

    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"${google_pubsub_subscription.dead_letter_inbox.name}\" AND metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "60s"

      aggregations {
        alignment_period   = "60s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A stage message was dead-lettered. Run `ferry status` (or pull ${google_pubsub_subscription.dead_letter_inbox.name}) for the run and the reason, then the function's logs."
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "run_failed" {
  project               = var.project_id
  display_name          = "ferry: a run failed"
  combiner              = "OR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "ferry/run_failed above zero"

    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.run_outcome["failed"].name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.workflow"]
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A ferry run ended failed. `ferry status` shows which, with the reason; the functions' logs (jsonPayload.outcome=\"failed\") carry the run id."
  }
}

resource "google_monitoring_alert_policy" "approval_overdue" {
  project               = var.project_id
  display_name          = "ferry: a run awaits approval past half its timeout"
  combiner              = "OR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "ferry/approval_overdue above zero"

    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.approval_overdue.name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
        group_by_fields      = ["metric.label.workflow"]
      }
    }
  }

  alert_strategy {
    auto_close = "3600s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = "A ferry run has waited for approval for half its timeout. `ferry status` names it; `ferry approve <run>` or `ferry reject <run>`."
  }
}
