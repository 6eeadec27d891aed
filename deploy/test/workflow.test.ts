import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { parse } from 'yaml';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- workflow files are free-form

const WORKFLOW_PATH = new URL(
  '../../.github/workflows/deploy.yml',
  import.meta.url,
);
const workflow = parse(readFileSync(WORKFLOW_PATH, 'utf8')) as Spec;
const steps: Spec[] = Object.values(
  workflow.jobs as Record<string, Spec>,
).flatMap((job) => job.steps);

describe('deploy workflow', () => {
  test('deploy workflow - actions pinned', () => {
    const actions = steps
      .filter((step) => step.uses)
      .map((step) => step.uses as string);
    assert.ok(actions.length > 0);
    for (const action of actions) {
      assert.match(
        action,
        /@(v?\d+\.\d+\.\d+|[0-9a-f]{40})$/,
        `${action} is not pinned to a release or commit`,
      );
    }
  });

  test('deploy workflow - read-only token', () => {
    assert.deepEqual(workflow.permissions, { contents: 'read' });
  });

  test('deploy workflow - builds both images', () => {
    const job = workflow.jobs.images as Spec;
    assert.deepEqual(job.strategy.matrix.app, ['api', 'web']);
    const build = job.steps.find((step: Spec) =>
      String(step.uses).startsWith('docker/build-push-action@'),
    );
    assert.equal(build?.with.file, 'apps/${{ matrix.app }}/Dockerfile');
  });

  test('deploy workflow - Trivy fails on high', () => {
    const trivy = steps.find((step) =>
      String(step.uses).startsWith('aquasecurity/trivy-action@'),
    );
    assert.ok(trivy, 'no Trivy step');
    assert.equal(trivy.with.severity, 'HIGH,CRITICAL');
    assert.equal(trivy.with['exit-code'], '1');
  });

  test('deploy workflow - gitleaks scans history', () => {
    const checkout = (workflow.jobs.secrets as Spec).steps[0];
    assert.equal(checkout.with['fetch-depth'], 0);
    const gitleaks = steps.find((step) =>
      /gitleaks:v\d+\.\d+\.\d+ git /.test(String(step.run)),
    );
    assert.ok(gitleaks, 'no pinned gitleaks run');
    assert.match(gitleaks.run, /--exit-code 1/);
  });

  test('deploy workflow - runs the deploy tests', () => {
    const runs = steps.map((step) => String(step.run ?? ''));
    assert.ok(runs.some((run) => /npm test -w @shop\/deploy/.test(run)));
  });
});
