// The operator's verbs as buttons: each opens a confirmation saying what will happen, then posts
// the CLI's own arguments to /api/actions (the server runs `ferry <args>`) and shows its reply;
// the page redraws its view when the dialog closes.
import { h, TERMINAL } from './dom.js';

const $ = (id) => document.getElementById(id);
/** reason: 'optional' | 'required' | 'none' (a `--reason` field in the dialog). */
export function actionButton(label, { title, what, args, reason = 'optional', danger = false }) {
  return h(
    'button',
    {
      type: 'button',
      class: danger ? 'danger' : undefined,
      onclick: () => confirmAction({ title, what, args, reason }),
    },
    label,
  );
}

const shellWord = (a) => (/[\s"'$`\\]/.test(a) ? JSON.stringify(a) : a);

function confirmAction({ title, what, args, reason }) {
  const dialog = $('confirm');
  const field = $('confirm-reason');
  const go = $('confirm-go');
  const result = $('confirm-result');
  $('confirm-title').textContent = title;
  $('confirm-what').textContent = what;
  $('confirm-reason-label').hidden = reason === 'none';
  $('confirm-reason-need').textContent = reason === 'required' ? '(required)' : '(optional)';
  field.value = '';
  field.required = reason === 'required';
  result.hidden = true;
  result.textContent = '';
  go.hidden = false;
  go.disabled = false;
  $('confirm-cancel').textContent = 'Cancel';
  const fullArgs = () => (field.value.trim() ? [...args, '--reason', field.value.trim()] : args);
  const showCommand = () => ($('confirm-cmd').textContent = `ferry ${fullArgs().map(shellWord).join(' ')}`);
  field.oninput = showCommand;
  showCommand();
  $('confirm-form').onsubmit = async (event) => {
    event.preventDefault();
    if (!$('confirm-form').reportValidity()) return;
    go.disabled = true;
    const reply = await post(fullArgs());
    // A refusal shows why (the CLI's stderr); a success what the CLI printed.
    const lines = reply.ok ? reply.out : [...reply.err, ...reply.out];
    result.textContent = lines.join('\n') || reply.error || (reply.ok ? 'done' : 'refused');
    result.className = reply.ok ? 'ok' : 'refused';
    result.hidden = false;
    go.hidden = true;
    $('confirm-cancel').textContent = 'Close';
    $('confirm-cancel').focus();
  };
  $('confirm-cancel').onclick = () => dialog.close();
  dialog.showModal();
  (reason === 'none' ? go : field).focus();
}

async function post(args) {
  try {
    const res = await fetch('/api/actions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    const body = await res.json();
    return { ok: false, out: [], err: [], ...body };
  } catch (error) {
    return { ok: false, out: [], err: [`the ferry ui server did not answer: ${error.message}`] };
  }
}

const approveWords = (action) =>
  action === 'step-up' ? 'step up to its next traffic step' : 'be promoted: 100 % of the traffic and `default` on it';

export const approveButton = (runId, version, action) =>
  actionButton('Approve', {
    title: `Approve ${runId}`,
    what: `v${version} will ${approveWords(action)}.`,
    args: ['approve', runId],
  });

export const rejectButton = (runId, version, before) =>
  actionButton('Reject', {
    title: `Reject ${runId}`,
    what: `Restore the split ${before ?? 'from before it arrived'}; undeploy v${version}. The run ends rejected.`,
    args: ['reject', runId],
    reason: 'required',
    danger: true,
  });

/** The verbs that apply to a run where it stands; `before`: its previous split in words. */
export function runActions(run, before) {
  const id = run.runId;
  const buttons = [];
  if (run.state === 'awaiting-approval')
    buttons.push(approveButton(id, run.version, run.approval?.action), rejectButton(id, run.version, before));
  if (!TERMINAL.has(run.state))
    buttons.push(
      actionButton('Abort', {
        title: `Abort ${id}`,
        what: `End the run aborted: restore the split ${before ?? 'from before it'}, undeploy v${run.version} if it is deployed, release the endpoint.`,
        args: ['abort', id],
        danger: true,
      }),
    );
  if (['failed', 'aborted', 'rejected'].includes(run.state))
    buttons.push(
      actionButton('Retry', {
        title: `Retry ${id}`,
        what: `Start attempt ${(run.attempt ?? 1) + 1} of v${run.version}, its Model Registry version reused${run.state === 'rejected' ? ' (--force: its gates rejected it; they judge it again)' : ''}.`,
        args: run.state === 'rejected' ? ['retry', id, '--force'] : ['retry', id],
      }),
    );
  if (run.deadLetterId)
    buttons.push(
      actionButton('Replay its dead letter', {
        title: `Replay ${run.deadLetterId}`,
        what: `Replay the dead letter that ended ${id}: the run gets its next attempt.`,
        args: ['replay', run.deadLetterId],
        reason: 'none',
      }),
    );
  if (run.kind === 'savedmodel' && run.state === 'promoted')
    buttons.push(
      actionButton(`Roll ${run.workflow} back to v${run.version}`, {
        title: `Roll ${run.workflow} back to v${run.version}`,
        what: `Put v${run.version} back at 100 % of ${run.workflow}'s endpoint with \`default\` on it, deploying it again if it was undeployed; the versions serving now lose their traffic.`,
        args: ['rollback', run.workflow, '--to', run.version],
        danger: true,
      }),
    );
  return buttons;
}
