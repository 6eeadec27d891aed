import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { OVERLAYS, renderObjects, renderOverlay } from '../lib/render.ts';
import { validateObject } from '../lib/schema.ts';

describe('schema', () => {
  for (const overlay of OVERLAYS) {
    test(`schema - every ${overlay} object validates`, async () => {
      const objects = renderOverlay(overlay);
      assert.ok(objects.length > 0, `${overlay} rendered no objects`);
      for (const object of objects) {
        await assert.doesNotReject(
          validateObject(object),
          `${object.kind}/${object.metadata.name}`,
        );
      }
    });
  }

  test('schema - base renders and validates', async () => {
    for (const object of renderObjects('base')) {
      await assert.doesNotReject(
        validateObject(object),
        `${object.kind}/${object.metadata.name}`,
      );
    }
  });

  test('schema - wrong field type rejected', async () => {
    const [deployment] = renderOverlay('production').filter(
      (object) => object.kind === 'Deployment',
    );
    assert.ok(deployment);
    const broken = structuredClone(deployment) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- deliberate corruption
    broken.spec.replicas = 'two';
    await assert.rejects(validateObject(broken), /replicas/);
  });

  test('schema - missing required field rejected', async () => {
    const objects = renderOverlay('production');
    const service = objects.find((object) => object.kind === 'Service');
    assert.ok(service);
    const broken = structuredClone(service) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- deliberate corruption
    broken.spec.ports = [{ name: 'http' }];
    await assert.rejects(validateObject(broken), /port/);
  });

  test('schema - invalid ExternalSecret rejected', async () => {
    const externalSecret = renderOverlay('production').find(
      (object) => object.kind === 'ExternalSecret',
    );
    assert.ok(externalSecret, 'production has no ExternalSecret');
    const broken = structuredClone(externalSecret) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- deliberate corruption
    broken.spec.refreshInterval = 3600;
    await assert.rejects(validateObject(broken), /refreshInterval/);
  });

  test('schema - unknown apiVersion rejected', async () => {
    const unknown = {
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'IngressClassParams',
      metadata: { name: 'alb' },
    };
    await assert.rejects(validateObject(unknown), /no schema/);
  });
});
