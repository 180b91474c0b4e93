import { describe, expect, it } from 'vitest';
import { chooseThresholds, describeCalibration, type Observation } from '../server/kb/search/calibration.js';

const many = (count: number, o: Observation): Observation[] => Array.from({ length: count }, () => ({ ...o }));

/** held-out alternative questions: half confident and right, half less confident and right one time in two; titles all right */
function observations(questions: number): Observation[] {
  return [
    ...many(questions / 2, { confidence: 0.6, correct: true, inTop3: true, outOfScope: false, kind: 'question' }),
    ...many(questions / 4, { confidence: 0.4, correct: true, inTop3: true, outOfScope: false, kind: 'question' }),
    ...many(questions / 4, { confidence: 0.4, correct: false, inTop3: true, outOfScope: false, kind: 'question' }),
    ...many(40, { confidence: 0.7, correct: true, inTop3: true, outOfScope: false, kind: 'title' }),
    ...many(40, { confidence: 0.1, correct: false, inTop3: false, outOfScope: true, kind: 'unknown' }),
  ];
}

describe('calibration of the answer threshold', () => {
  it('measures right answers on the held-out alternative questions when there are enough, not on the titles that are always right', () => {
    const c = chooseThresholds(observations(40));
    // at 0.4 only three in four questions are right; titles would have made it seven in eight
    expect(c.answerAt).toBe(0.6);
    expect(c.basis).toMatchObject({ rule: 'precision', precisionOn: 'questions', heldOutQuestions: 40, heldOutTitles: 40 });
    expect(describeCalibration(c)).toMatch(/rule: lowest threshold with 80 % right answers on held-out questions\)$/);
  });

  it('with few alternative questions, counts the titles too', () => {
    const c = chooseThresholds(observations(20));
    expect(c.answerAt).toBe(0.4);
    expect(c.basis).toMatchObject({ rule: 'precision', precisionOn: 'questions and titles', heldOutQuestions: 20 });
    expect(describeCalibration(c)).toMatch(/rule: lowest threshold with 85 % right answers on held-out questions and titles\)$/);
  });
});
