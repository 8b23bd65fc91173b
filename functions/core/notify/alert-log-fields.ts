/**
 * Log lines Cloud Monitoring alerts on (terraform/monitoring.tf filters on them; a test checks the
 * filter). The reconciler logs `{alert: 'approval-overdue', runId, workflow}` once per run that has
 * awaited approval past half its timeout (pipeline/stages/approval-timeout.ts).
 */
export const ALERT_LOG_FIELD = 'alert';

export const ALERTS = {
  approvalOverdue: 'approval-overdue',
} as const;
