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

const WORKFLOW_FILES = ['deploy.yml', 'security.yml'];

// Tags 0.0.1 to 0.34.2 of trivy-action were force-pushed to malicious
// commits in March 2026, as both workflows note, so only a commit pin is
// accepted.
const TRIVY_ACTION = /^aquasecurity\/trivy-action@[0-9a-f]{40}$/;

// Shell forms that turn a failing command into a success.
const IGNORED_FAILURE = /\|\|\s*(true|:)\b|\bset\s+\+e\b|;\s*(true|:)\s*$/m;

function readWorkflow(file: string): Spec {
  const url = new URL(`../../.github/workflows/${file}`, import.meta.url);
  return parse(readFileSync(url, 'utf8')) as Spec;
}

function triggersOf(parsed: Spec): string[] {
  const on = parsed.on as unknown;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on as string[];
  return Object.keys((on ?? {}) as Spec);
}

for (const file of WORKFLOW_FILES) {
  describe(`workflow ${file}`, () => {
    const parsed = readWorkflow(file);
    const jobs = Object.entries(parsed.jobs as Record<string, Spec>);
    const allSteps = jobs.flatMap(([, job]) => (job.steps ?? []) as Spec[]);

    test(`workflow ${file} - no pull_request_target`, () => {
      assert.ok(!triggersOf(parsed).includes('pull_request_target'));
    });

    test(`workflow ${file} - read-only token`, () => {
      assert.deepEqual(parsed.permissions, { contents: 'read' });
      for (const [name, job] of jobs) {
        if (job.permissions === undefined) continue;
        assert.notEqual(job.permissions, 'write-all', `job ${name}`);
        assert.ok(
          typeof job.permissions === 'object' &&
            Object.values(job.permissions as Spec).every(
              (level) => level !== 'write',
            ),
          `job ${name} asks for write permissions: ${JSON.stringify(job.permissions)}`,
        );
      }
    });

    test(`workflow ${file} - failures never ignored`, () => {
      for (const [name, job] of jobs) {
        assert.notEqual(job['continue-on-error'], true, `job ${name}`);
        for (const step of (job.steps ?? []) as Spec[]) {
          const label = `job ${name} step ${step.name ?? step.uses ?? step.run}`;
          assert.notEqual(step['continue-on-error'], true, label);
          assert.doesNotMatch(String(step.run ?? ''), IGNORED_FAILURE, label);
        }
      }
    });

    test(`workflow ${file} - actions pinned`, () => {
      for (const step of allSteps.filter((item) => item.uses)) {
        assert.match(
          step.uses as string,
          /@(v?\d+\.\d+\.\d+|[0-9a-f]{40})$/,
          `${step.uses} is not pinned to a release or commit`,
        );
      }
    });

    test(`workflow ${file} - Trivy scans vulnerabilities`, () => {
      const trivySteps = allSteps.filter((step) =>
        String(step.uses).startsWith('aquasecurity/trivy-action@'),
      );
      for (const step of trivySteps) {
        const label = step.name ?? step.uses;
        assert.match(step.uses, TRIVY_ACTION, `${label}: pin by commit`);
        assert.match(String(step.with?.version), /^v\d+\.\d+\.\d+$/, label);
        assert.equal(step.with?.severity, 'HIGH,CRITICAL', label);
        assert.equal(step.with?.['exit-code'], '1', label);
        // Without `scanners`, Trivy runs its default vulnerability and
        // secret scanners.
        const scanners = String(step.with?.scanners ?? 'vuln,secret');
        assert.ok(
          scanners.split(',').includes('vuln'),
          `${label}: ${scanners}`,
        );
      }
    });
  });
}

describe('deploy workflow', () => {
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
