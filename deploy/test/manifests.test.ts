import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  K8S_DIR,
  OVERLAYS,
  findObject,
  renderOverlay,
  type KubeObject,
} from '../lib/render.ts';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered objects are free-form

const APPS = ['api', 'web'] as const;

function podSpec(objects: KubeObject[], name: string): Spec {
  return (findObject(objects, 'Deployment', name).spec as Spec).template.spec;
}

function allContainers(spec: Spec): Spec[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

describe('manifests', () => {
  for (const overlay of OVERLAYS) {
    const objects = renderOverlay(overlay);

    test(`manifests - ${overlay} namespace audits and warns restricted`, () => {
      const labels =
        findObject(objects, 'Namespace', 'shop').metadata.labels ?? {};
      assert.equal(labels['pod-security.kubernetes.io/audit'], 'restricted');
      assert.equal(labels['pod-security.kubernetes.io/warn'], 'restricted');
    });

    test(`manifests - ${overlay} objects live in shop`, () => {
      for (const object of objects.filter(
        (item) => item.kind !== 'Namespace',
      )) {
        assert.equal(
          object.metadata.namespace,
          'shop',
          `${object.kind}/${object.metadata.name}`,
        );
      }
    });

    test(`manifests - ${overlay} images pinned`, () => {
      const workloads = objects.filter((object) =>
        ['Deployment', 'StatefulSet'].includes(object.kind),
      );
      for (const workload of workloads) {
        for (const container of allContainers(
          (workload.spec as Spec).template.spec,
        )) {
          const image = container.image as string;
          const digest = /@sha256:[0-9a-f]{64}$/.test(image);
          const tag = image.slice(image.lastIndexOf('/') + 1).split(':')[1];
          assert.ok(
            digest || /^v?\d+\.\d+(\.\d+)?(-[\w.]+)?$/.test(tag ?? ''),
            `${workload.metadata.name}: ${image} has no digest or version tag`,
          );
          assert.ok(
            !image.endsWith(':latest'),
            `${workload.metadata.name}: ${image} uses latest`,
          );
        }
      }
    });

    test(`manifests - ${overlay} keeps no Secret values`, () => {
      const secrets = objects.filter((object) => object.kind === 'Secret');
      assert.deepEqual(
        secrets.map((secret) => secret.metadata.name),
        [],
      );
      for (const configMap of objects.filter(
        (object) => object.kind === 'ConfigMap',
      )) {
        for (const key of Object.keys(
          (configMap.data as Record<string, string>) ?? {},
        )) {
          assert.doesNotMatch(
            key,
            /SECRET|PASSWORD|TOKEN|PRIVATE_KEY|DATABASE_URL|REDIS_URL/,
            `${configMap.metadata.name}.${key}`,
          );
        }
      }
    });

    test(`manifests - ${overlay} api has no Ingress`, () => {
      const ingresses = objects.filter((object) => object.kind === 'Ingress');
      assert.deepEqual(
        ingresses.map((ingress) => ingress.metadata.name),
        ['web'],
      );
      const backends =
        JSON.stringify(ingresses[0]?.spec).match(
          /"service":\{"name":"([^"]+)"/g,
        ) ?? [];
      assert.deepEqual(backends, ['"service":{"name":"web"']);
    });

    test(`manifests - ${overlay} Ingress is HTTPS only`, () => {
      const annotations =
        findObject(objects, 'Ingress', 'web').metadata.annotations ?? {};
      const listeners = JSON.parse(
        annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '[]',
      ) as Record<string, number>[];
      assert.deepEqual(listeners, [{ HTTP: 80 }, { HTTPS: 443 }]);
      assert.equal(
        annotations['alb.ingress.kubernetes.io/ssl-redirect'],
        '443',
      );
      assert.match(
        annotations['alb.ingress.kubernetes.io/ssl-policy'] ?? '',
        /^ELBSecurityPolicy-TLS13/,
      );
    });

    test(`manifests - ${overlay} Services are internal`, () => {
      for (const service of objects.filter(
        (object) => object.kind === 'Service',
      )) {
        assert.equal(
          (service.spec as Spec).type,
          'ClusterIP',
          service.metadata.name,
        );
      }
    });

    for (const app of APPS) {
      test(`manifests - ${overlay} ${app} probes`, () => {
        const container = podSpec(objects, app).containers[0];
        assert.equal(container.livenessProbe?.httpGet?.path, '/health');
        assert.equal(container.readinessProbe?.httpGet?.path, '/ready');
      });

      test(`manifests - ${overlay} ${app} drains before stopping`, () => {
        const spec = podSpec(objects, app);
        const sleep = spec.containers[0].lifecycle?.preStop?.sleep?.seconds as
          number | undefined;
        assert.ok(
          sleep !== undefined && sleep >= 5,
          `preStop sleep is ${sleep}`,
        );
        assert.ok(
          spec.terminationGracePeriodSeconds >= sleep + 20,
          `grace period ${spec.terminationGracePeriodSeconds} s leaves under 20 s after the preStop sleep`,
        );
      });

      test(`manifests - ${overlay} ${app} spreads across zones`, () => {
        const terms =
          podSpec(objects, app).affinity?.podAntiAffinity
            ?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
        const zoneTerm = terms.find(
          (term: Spec) =>
            term.podAffinityTerm.topologyKey === 'topology.kubernetes.io/zone',
        );
        assert.ok(zoneTerm, 'no zone anti-affinity');
        assert.equal(
          zoneTerm.podAffinityTerm.labelSelector.matchLabels[
            'app.kubernetes.io/name'
          ],
          app,
        );
      });

      test(`manifests - ${overlay} ${app} writes only to emptyDir`, () => {
        const spec = podSpec(objects, app);
        const volumes = new Map<string, Spec>(
          spec.volumes.map((volume: Spec) => [volume.name, volume]),
        );
        for (const container of allContainers(spec)) {
          for (const mount of container.volumeMounts ?? []) {
            const volume = volumes.get(mount.name);
            assert.ok(
              volume?.emptyDir !== undefined || mount.readOnly === true,
              `${container.name}: ${mount.mountPath} is writable and not an emptyDir`,
            );
          }
        }
      });

      test(`manifests - ${overlay} ${app} has HPA and PDB`, () => {
        const hpa = findObject(objects, 'HorizontalPodAutoscaler', app)
          .spec as Spec;
        assert.equal(hpa.scaleTargetRef.name, app);
        const pdb = findObject(objects, 'PodDisruptionBudget', app)
          .spec as Spec;
        assert.equal(pdb.selector.matchLabels['app.kubernetes.io/name'], app);
      });
    }

    test(`manifests - ${overlay} migrations run before api`, () => {
      const spec = podSpec(objects, 'api');
      const migrate = (spec.initContainers ?? []).find(
        (container: Spec) => container.name === 'migrate',
      );
      assert.ok(migrate, 'no migrate init container');
      assert.equal(migrate.image, spec.containers[0].image);
      assert.match(migrate.command.join(' '), /migrate/);
    });
  }

  test('manifests - production enforces restricted', () => {
    const labels =
      findObject(renderOverlay('production'), 'Namespace', 'shop').metadata
        .labels ?? {};
    assert.equal(labels['pod-security.kubernetes.io/enforce'], 'restricted');
  });

  test('manifests - production secrets from AWS', () => {
    const objects = renderOverlay('production');
    const externalSecret = findObject(objects, 'ExternalSecret', 'api-secrets')
      .spec as Spec;
    assert.equal(externalSecret.target.name, 'api-secrets');
    assert.equal(externalSecret.secretStoreRef.name, 'aws-secrets-manager');
    const secretRefs = podSpec(objects, 'api')
      .containers[0].envFrom.filter((source: Spec) => source.secretRef)
      .map((source: Spec) => source.secretRef.name);
    assert.deepEqual(secretRefs, ['api-secrets']);
  });

  test('manifests - each emptyDir is justified', () => {
    for (const file of [
      'base/api-deployment.yaml',
      'base/web-deployment.yaml',
    ]) {
      const lines = readFileSync(join(K8S_DIR, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        const volume = /^\s+- name: ([\w-]+)$/.exec(line);
        if (!volume || !lines[index + 1]?.trim().startsWith('emptyDir:'))
          return;
        const comment = lines
          .slice(0, index)
          .reverse()
          .find(
            (previous) =>
              !previous.trim().startsWith('#') ||
              previous.includes(`# ${volume[1]}:`),
          );
        assert.ok(
          comment?.includes(`# ${volume[1]}:`),
          `${file}: emptyDir ${volume[1]} has no "# ${volume[1]}: reason" comment above it`,
        );
      });
    }
  });
});
