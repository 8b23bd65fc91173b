import {
  applyRolloutStep,
  firstStepBaseline,
  percentExpression,
  restoreRollout,
  rollBackCompletedRollout,
  rolloutBaseline,
  rolloutConditionName,
  rolloutSeed,
  RolloutTemplateError,
  type TemplateRollout,
} from '../../../../../functions/core/mobile/rollout-template';
import type { RcTemplateBody } from '../../../../../functions/core/mobile/remote-config-template';

const CONDITION = 'ferry_flowers_model_rollout';

/** A template as a project has it before the rollout: the parameter, another one, a console condition. */
function template(): RcTemplateBody & { etag: string } {
  return {
    etag: 'etag-1',
    conditions: [{ name: 'ios_users', expression: "device.os == 'ios'", tagColor: 'BLUE' }],
    parameters: {
      flowers_model: {
        defaultValue: { value: 'flowers' },
        conditionalValues: { ios_users: { value: 'flowers_ios' } },
        description: 'model the app downloads',
      },
      welcome_text: { defaultValue: { value: 'hello' } },
    },
    parameterGroups: {},
  };
}

function rolloutOf(base: RcTemplateBody): TemplateRollout {
  return {
    parameter: 'flowers_model',
    seed: rolloutSeed('flowers-mobile.8.1'),
    candidateValue: 'flowers_v8',
    before: rolloutBaseline(base, 'flowers_model'),
  };
}

describe('rollout template arithmetic', () => {
  it('derives a valid, deterministic seed per run (0 to 32 of [-_.0-9a-zA-Z])', () => {
    expect(rolloutSeed('run-1')).toBe(rolloutSeed('run-1'));
    expect(rolloutSeed('run-1')).not.toBe(rolloutSeed('run-2'));
    expect(rolloutSeed('run-1')).toMatch(/^[-_.0-9a-zA-Z]{0,32}$/);
    expect(rolloutConditionName('flowers_model')).toBe(CONDITION);
  });

  it('puts the condition first and points its conditional value at the candidate', () => {
    const base = template();
    const rollout = rolloutOf(base);
    const next = applyRolloutStep(base, rollout, undefined, 5);
    expect(next.conditions[0]).toEqual({ name: CONDITION, expression: percentExpression(rollout.seed, 5) });
    expect(next.conditions[0].expression).toBe(`percent('${rollout.seed}') between 0 and 5`);
    expect(next.conditions.slice(1)).toEqual(base.conditions);
    expect(next.parameters.flowers_model).toEqual({
      defaultValue: { value: 'flowers' },
      conditionalValues: { [CONDITION]: { value: 'flowers_v8' }, ios_users: { value: 'flowers_ios' } },
      description: 'model the app downloads',
    });
    expect(next.parameters.welcome_text).toEqual(base.parameters.welcome_text);
    expect(next.etag).toBe('etag-1'); // publish sends the etag it read
    expect(base).toEqual(template()); // the input is not changed
  });

  it('is idempotent: the same step twice gives the same template, at every step', () => {
    const base = template();
    const rollout = rolloutOf(base);
    let current = base;
    let from: number | undefined;
    for (const to of [5, 25, 100]) {
      const once = applyRolloutStep(current, rollout, from, to);
      expect(applyRolloutStep(once, rollout, from, to)).toEqual(once);
      current = once;
      from = to;
    }
  });

  it('widens the condition, then at 100 % moves the default and removes the condition', () => {
    const base = template();
    const rollout = rolloutOf(base);
    const at5 = applyRolloutStep(base, rollout, undefined, 5);
    const at25 = applyRolloutStep(at5, rollout, 5, 25);
    expect(at25.conditions.map((c) => c.expression)).toEqual([
      percentExpression(rollout.seed, 25),
      "device.os == 'ios'",
    ]);
    const at100 = applyRolloutStep(at25, rollout, 25, 100);
    expect(at100.conditions).toEqual(base.conditions);
    expect(at100.parameters.flowers_model).toEqual({
      defaultValue: { value: 'flowers_v8' },
      conditionalValues: { ios_users: { value: 'flowers_ios' } },
      description: 'model the app downloads',
    });
  });

  it('leaves no empty conditionalValues behind when the parameter had none', () => {
    const base = template();
    base.parameters.flowers_model = { defaultValue: { value: 'flowers' } };
    const rollout = rolloutOf(base);
    const at100 = applyRolloutStep(applyRolloutStep(base, rollout, undefined, 50), rollout, 50, 100);
    expect(at100.parameters.flowers_model).toEqual({ defaultValue: { value: 'flowers_v8' } });
  });

  it('keeps unrelated concurrent edits (another parameter, another condition) at every step', () => {
    const base = template();
    const rollout = rolloutOf(base);
    const at5 = applyRolloutStep(base, rollout, undefined, 5);
    const edited: RcTemplateBody = {
      ...at5,
      conditions: [...at5.conditions, { name: 'beta', expression: "app.userProperty['beta'] == 'yes'" }],
      parameters: {
        ...at5.parameters,
        welcome_text: { defaultValue: { value: 'hi there' } },
        new_flag: { defaultValue: { value: 'on' } },
      },
    };
    const at25 = applyRolloutStep(edited, rollout, 5, 25);
    expect(at25.parameters.welcome_text).toEqual({ defaultValue: { value: 'hi there' } });
    expect(at25.parameters.new_flag).toEqual({ defaultValue: { value: 'on' } });
    expect(at25.conditions.map((c) => c.name)).toEqual([CONDITION, 'ios_users', 'beta']);
    const restored = restoreRollout(at25, rollout);
    expect(restored.parameters.welcome_text).toEqual({ defaultValue: { value: 'hi there' } });
    expect(restored.conditions.map((c) => c.name)).toEqual(['ios_users', 'beta']);
  });

  it('restores ferry’s part exactly, at any step and after 100 %, and twice is the same as once', () => {
    const base = template();
    const rollout = rolloutOf(base);
    const at5 = applyRolloutStep(base, rollout, undefined, 5);
    const at100 = applyRolloutStep(applyRolloutStep(at5, rollout, 5, 25), rollout, 25, 100);
    for (const state of [at5, at100]) {
      const restored = restoreRollout(state, rollout);
      expect(restored).toEqual(base);
      expect(restoreRollout(restored, rollout)).toEqual(restored);
    }
  });

  it('records the parameter before the rollout, a copy the template cannot change', () => {
    const base = template();
    const before = rolloutBaseline(base, 'flowers_model');
    base.parameters.flowers_model.defaultValue!.value = 'changed';
    expect(before.defaultValue).toEqual({ value: 'flowers' });
  });

  describe('refuses, with a reason, a template whose ferry part was changed by hand', () => {
    const base = template();
    const rollout = rolloutOf(base);
    const at5 = applyRolloutStep(base, rollout, undefined, 5);
    const edit = (change: (t: RcTemplateBody) => void) => {
      const copy = structuredClone(at5);
      change(copy);
      return copy;
    };

    it.each<[string, RcTemplateBody, RegExp]>([
      [
        'the parameter’s default changed',
        edit((t) => (t.parameters.flowers_model.defaultValue = { value: 'flowers_hotfix' })),
        /default value of "flowers_model" was changed by hand to "flowers_hotfix".*ferry stops rather than overwrite it/,
      ],
      [
        'the default set to the in-app default',
        edit((t) => (t.parameters.flowers_model.defaultValue = { useInAppDefault: true })),
        /changed by hand to the in-app default/,
      ],
      [
        'the condition’s percent changed',
        edit((t) => (t.conditions[0].expression = `percent('${rollout.seed}') between 0 and 50`)),
        /condition "ferry_flowers_model_rollout" was changed by hand to "percent\('ferry-[0-9a-f]+'\) between 0 and 50"/,
      ],
      [
        'the condition removed',
        edit((t) => (t.conditions = t.conditions.filter((c) => c.name !== CONDITION))),
        /condition "ferry_flowers_model_rollout" was removed by hand/,
      ],
      [
        'the conditional value changed',
        edit((t) => (t.parameters.flowers_model.conditionalValues![CONDITION] = { value: 'flowers_v7' })),
        /value of "flowers_model" under "ferry_flowers_model_rollout" was changed by hand to "flowers_v7"/,
      ],
    ])('%s', (_name, edited, message) => {
      const step = () => applyRolloutStep(edited, rollout, 5, 25);
      expect(step).toThrow(RolloutTemplateError);
      expect(step).toThrow(message);
      expect(() => applyRolloutStep(edited, rollout, 5, 100)).toThrow(RolloutTemplateError);
    });
  });

  describe('refuses broken templates', () => {
    it('with the parameter missing (at the start and mid-rollout)', () => {
      const base = template();
      const rollout = rolloutOf(base);
      const missing = { ...base, parameters: { welcome_text: base.parameters.welcome_text } };
      expect(() => rolloutBaseline(missing, 'flowers_model')).toThrow(
        /no parameter "flowers_model": create it with the model apps use today as its default value/,
      );
      expect(() => applyRolloutStep(missing, rollout, 5, 25)).toThrow(RolloutTemplateError);
    });

    it('with the parameter inside a parameter group', () => {
      const base = template();
      const { flowers_model: moved, ...rest } = base.parameters;
      const grouped = {
        ...base,
        parameters: rest,
        parameterGroups: { models: { parameters: { flowers_model: moved } } },
      };
      expect(() => rolloutBaseline(grouped, 'flowers_model')).toThrow(/in the parameter group "models"/);
    });

    it('with a rollout condition already there (another rollout, or one left behind)', () => {
      const base = template();
      const at5 = applyRolloutStep(base, rolloutOf(base), undefined, 5);
      expect(() => rolloutBaseline(at5, 'flowers_model')).toThrow(
        /already has a condition "ferry_flowers_model_rollout"/,
      );
    });

    it('with another rollout’s condition when starting (a different seed)', () => {
      const base = template();
      const other = applyRolloutStep(base, { ...rolloutOf(base), seed: rolloutSeed('another-run') }, undefined, 5);
      expect(() => applyRolloutStep(other, rolloutOf(base), undefined, 5)).toThrow(/was changed by hand/);
    });
  });
});

describe('firstStepBaseline (a start retried after its first publish)', () => {
  it('gives the parameter as before when the first step is already in the template', () => {
    const base = template();
    const rollout = rolloutOf(base);
    const at5 = applyRolloutStep(base, rollout, undefined, 5);
    const { before: _before, ...rest } = rollout;
    expect(firstStepBaseline(at5, rest, 5)).toEqual(base.parameters.flowers_model);
    expect(firstStepBaseline(base, rest, 5)).toEqual(base.parameters.flowers_model);
  });

  it('still refuses another rollout’s condition', () => {
    const base = template();
    const other = applyRolloutStep(base, { ...rolloutOf(base), seed: rolloutSeed('another-run') }, undefined, 5);
    const { before: _before, ...rest } = rolloutOf(base);
    expect(() => firstStepBaseline(other, rest, 5)).toThrow(/already has a condition/);
  });
});

describe('rollBackCompletedRollout (ferry rollback after 100 %)', () => {
  const done = () => {
    const base = template();
    const rollout = rolloutOf(base);
    const at100 = applyRolloutStep(applyRolloutStep(base, rollout, undefined, 5), rollout, 5, 100);
    return { base, rollout, at100 };
  };

  it('puts the parameter back as before the rollout, keeping other edits, and is idempotent', () => {
    const { base, rollout, at100 } = done();
    const edited: RcTemplateBody = {
      ...at100,
      parameters: { ...at100.parameters, extra: { defaultValue: { value: 'x' } } },
    };
    const back = rollBackCompletedRollout(edited, rollout);
    expect(back.parameters.flowers_model).toEqual(base.parameters.flowers_model);
    expect(back.parameters.extra).toEqual({ defaultValue: { value: 'x' } });
    expect(rollBackCompletedRollout(back, rollout)).toBe(back);
  });

  it('refuses when the default was changed since the rollout finished', () => {
    const { rollout, at100 } = done();
    const changed = structuredClone(at100);
    changed.parameters.flowers_model.defaultValue = { value: 'flowers_v9' };
    expect(() => rollBackCompletedRollout(changed, rollout)).toThrow(
      /default value of "flowers_model" is "flowers_v9", not what the rollout left \("flowers_v8"\)/,
    );
  });
});
