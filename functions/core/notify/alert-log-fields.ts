/**
 * Log lines Cloud Monitoring alerts on (terraform/monitoring.tf filters on them; a test checks the
 * filter). `approval-overdue` is for the approval work of issue 14, which does not exist yet:
 * whatever finds a run awaiting approval past half its timeout (the reconciler, most likely) logs
 * `{alert: 'approval-overdue', runId, workflow}` once per run. Until then that alert never fires.
 */
export const ALERT_LOG_FIELD = 'alert';

export const ALERTS = {
  approvalOverdue: 'approval-overdue',
} as const;
