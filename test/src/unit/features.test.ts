/** The Kubernetes feature table: stages per version, on by default from beta. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStages, featureOnByDefault, featureStage, FEATURES, onByDefaultSince, type FeatureId } from '../../../server/out/core';

const stages: readonly [FeatureId, string, string][] = [
  ['sleepAction', '1.28', 'absent'],
  ['sleepAction', '1.29', 'alpha'],
  ['sleepAction', '1.30', 'beta'],
  ['sleepAction', '1.33', 'beta'],
  ['sleepAction', '1.34', 'ga'],
  ['sleepActionZero', '1.31', 'absent'],
  ['sleepActionZero', '1.32', 'alpha'],
  ['sleepActionZero', 'v1.33.4', 'beta'],
  ['sleepActionZero', '1.34', 'ga'],
  ['sidecarContainers', '1.27', 'absent'],
  ['sidecarContainers', '1.28', 'alpha'],
  ['sidecarContainers', '1.29', 'beta'],
  ['sidecarContainers', '1.33', 'ga'],
  ['stopSignals', '1.32', 'absent'],
  ['stopSignals', '1.33', 'alpha'],
  ['stopSignals', '1.40', 'alpha'],
  ['sleepAction', '2.0', 'ga'],
];

test('features: the stage of each feature per version', () => {
  for (const [id, version, stage] of stages) assert.equal(featureStage(id, version), stage, `${id} in ${version}`);
});

test('features: on by default from beta, never while alpha', () => {
  assert.equal(featureOnByDefault('sleepAction', '1.29'), false);
  assert.equal(featureOnByDefault('sleepAction', '1.30'), true);
  assert.equal(featureOnByDefault('sleepActionZero', '1.32'), false);
  assert.equal(featureOnByDefault('sleepActionZero', '1.33'), true);
  assert.equal(featureOnByDefault('sidecarContainers', '1.28'), false);
  assert.equal(featureOnByDefault('sidecarContainers', '1.29'), true);
  assert.equal(featureOnByDefault('stopSignals', '1.34'), false);
  assert.equal(featureOnByDefault('sleepAction', 'not a version'), true, 'an unparsable version counts as the default target, 1.34');
});

test('features: gates and the version text derived from the table', () => {
  assert.deepEqual(
    Object.values(FEATURES).map((f) => f.gate),
    ['PodLifecycleSleepAction', 'PodLifecycleSleepActionAllowZero', 'SidecarContainers', 'ContainerStopSignals'],
  );
  assert.equal(onByDefaultSince('sleepAction'), '1.30');
  assert.equal(onByDefaultSince('stopSignals'), undefined);
  assert.equal(describeStages('sleepAction'), 'alpha in 1.29 behind the PodLifecycleSleepAction feature gate, off by default; beta and on by default in 1.30; GA in 1.34');
});
