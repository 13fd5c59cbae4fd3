import { describe, expect, it } from 'vitest';
import { controlLabels, declaredControls, declaresFramework, frameworksOf, malformedControls, type Controls } from '../../services/core/frameworks.ts';

describe('framework controls', () => {
  it.each<[string, Controls | undefined, string[]]>([
    ['FSBP ids of every service form', { fsbp: ['S3.2', 'EC2.19', 'SecretsManager.1', 'IAM.7'] }, []],
    ['CIS recommendations of two and three levels', { cis: ['1.5', '2.1.4'] }, []],
    ['nothing declared', undefined, []],
    ['an FSBP id with a dash', { fsbp: ['S3-2'] }, ['fsbp "S3-2"']],
    ['an FSBP id without its number', { fsbp: ['S3'] }, ['fsbp "S3"']],
    ['an FSBP id starting with a digit', { fsbp: ['3S.2'] }, ['fsbp "3S.2"']],
    ['a CIS id with its name in it', { cis: ['CIS 1.5'] }, ['cis "CIS 1.5"']],
    ['a CIS section, not a recommendation', { cis: ['2'] }, ['cis "2"']],
    ['an FSBP id under cis', { cis: ['S3.2'] }, ['cis "S3.2"']],
  ])('malformedControls: %s', (_case, controls, expected) => {
    expect(malformedControls(controls)).toEqual(expected);
  });

  it.each<[Controls | undefined, string[], string[]]>([
    [{ fsbp: ['S3.8'], cis: ['2.1.4'] }, ['fsbp', 'cis'], ['FSBP S3.8', 'CIS 2.1.4']],
    [{ cis: ['1.5'] }, ['cis'], ['CIS 1.5']],
    [{ fsbp: [], cis: ['1.5'] }, ['cis'], ['CIS 1.5']],
    [undefined, [], []],
  ])('%j names frameworks %j, labels %j', (controls, frameworks, labels) => {
    expect(frameworksOf(controls)).toEqual(frameworks);
    expect(controlLabels(controls)).toEqual(labels);
    expect(declaresFramework(controls, 'fsbp')).toBe(frameworks.includes('fsbp'));
    expect(declaresFramework(controls, 'cis')).toBe(frameworks.includes('cis'));
  });

  it('declaredControls drops empty lists and is undefined when nothing is left', () => {
    expect(declaredControls({ fsbp: [], cis: ['1.5'] })).toEqual({ cis: ['1.5'] });
    expect(declaredControls({ fsbp: [] })).toBeUndefined();
    expect(declaredControls(undefined)).toBeUndefined();
  });
});
