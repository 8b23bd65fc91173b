import { approvalClock, approvalNeeded, requestApproval } from '../../../../../functions/core/run/approval';
import type { OperatorAction } from '../../../../../functions/core/run/run-record';
import { parseWorkflow, WorkflowError } from '../../../../../functions/core/workflow/parse-workflow';
import { sampleRun } from '../../../../helpers/sample-run';

const workflow = (approval?: string, extra: string[] = []) =>
  parseWorkflow(
    [
      'name: flowers',
      'match: models/flowers/{version}/',
      'artifact: savedmodel',
      'model: {displayName: flowers}',
      'endpoint: {displayName: flowers}',
      'rollout: {canaryPercent: 10, steps: [50, 100]}',
      ...(approval ? [`approval: ${approval}`] : []),
      'validation: {goldenSet: golden/flowers.jsonl}',
      ...extra,
      '',
    ].join('\n'),
    'flowers.yaml',
  );
const approved = (step: number): OperatorAction => ({ verb: 'approve', by: 'ana', at: '2026-11-30T10:00:00Z', step });

describe('workflow approval', () => {
  it('takes defaults: 24 h, then reject', () => {
    expect(workflow('{before: promote}').approval).toEqual({
      before: 'promote',
      timeoutMs: 86_400_000,
      onTimeout: 'reject',
    });
    expect(workflow('{before: each-step, timeout: 30m, onTimeout: approve}').approval).toEqual({
      before: 'each-step',
      timeoutMs: 1_800_000,
      onTimeout: 'approve',
    });
    expect(workflow().approval).toBeUndefined();
  });

  it.each([
    ['{before: always}', /flowers.yaml: approval.before: must be one of promote, each-step/],
    ['{timeout: 1h}', /flowers.yaml: approval.before: is required/],
    ['{before: promote, timeout: 1 day}', /flowers.yaml: approval.timeout: must match pattern/],
    [
      '{before: promote, timeout: 0h}',
      /flowers.yaml: approval.timeout: "0h" is not a duration above zero; write e.g. 30m/,
    ],
    ['{before: promote, onTimeout: ignore}', /approval.onTimeout: must be one of reject, approve/],
    ['{before: promote, after: x}', /flowers.yaml: approval.after: is not a known field/],
  ])('refuses %s, naming the field', (approval, message) => {
    expect(() => workflow(approval)).toThrow(WorkflowError);
    expect(() => workflow(approval)).toThrow(message);
  });

  it('is refused on a TFLite workflow, which has no canary to hold', () => {
    const text = [
      'name: phones',
      'match: mobile/phones/{version}/model.tflite',
      'artifact: tflite',
      'approval: {before: promote}',
      'validation: {goldenSet: golden/phones.jsonl}',
      'mobile: {modelName: phones}',
      '',
    ].join('\n');
    expect(() => parseWorkflow(text, 'phones.yaml')).toThrow(/phones.yaml: approval: applies to SavedModel workflows/);
  });
});

describe('approvalNeeded', () => {
  const run = (step: number, actions: OperatorAction[] = []) => sampleRun({ step, operatorActions: actions });

  it('before: promote asks only before the candidate takes all the traffic', () => {
    const w = workflow('{before: promote}');
    expect(approvalNeeded(w, run(-1), 'step-up')).toBe(false); // 10 → 50
    expect(approvalNeeded(w, run(0), 'step-up')).toBe(true); // 50 → 100
    expect(approvalNeeded(w, run(1, [approved(0)]), 'promote')).toBe(false); // approved on the way to 100
    expect(approvalNeeded(w, run(-1), 'promote')).toBe(true); // a first model: its canary is 100 %
  });

  it('each-step asks before every step up, and not twice for the same move to 100 %', () => {
    const w = workflow('{before: each-step}');
    expect(approvalNeeded(w, run(-1), 'step-up')).toBe(true);
    expect(approvalNeeded(w, run(0, [approved(-1)]), 'step-up')).toBe(true);
    expect(approvalNeeded(w, run(1, [approved(-1), approved(0)]), 'promote')).toBe(false);
  });

  it('never without an approval in the workflow', () => {
    expect(approvalNeeded(workflow(), run(0), 'step-up')).toBe(false);
    expect(approvalNeeded(workflow(), run(1), 'promote')).toBe(false);
  });
});

describe('approvalClock', () => {
  const w = workflow('{before: promote, timeout: 4h}');
  const waiting = requestApproval(
    sampleRun({ state: 'deployed', step: 0 }),
    w,
    'step-up',
    'ok',
    new Date('2026-11-30T10:00:00Z'),
  );
  const at = (iso: string) => approvalClock(waiting, new Date(iso));

  it('waits, is overdue once past half the timeout, times out at the deadline', () => {
    expect(at('2026-11-30T11:59:59Z')).toBe('waiting');
    expect(at('2026-11-30T12:00:00Z')).toBe('overdue');
    expect(
      approvalClock(
        { ...waiting, approval: { ...waiting.approval!, overdueLoggedAt: 'x' } },
        new Date('2026-11-30T13:00:00Z'),
      ),
    ).toBe('waiting');
    expect(at('2026-11-30T14:00:00Z')).toBe('timed-out');
  });

  it('is only about runs awaiting approval', () => {
    expect(approvalClock({ ...waiting, state: 'deployed' }, new Date('2026-12-30T00:00:00Z'))).toBe('waiting');
  });
});
