import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { parse } from 'yaml';

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

/** Return the pod spec of any workload kind, or undefined for other objects. */
function podTemplateOf(object: KubeObject): Spec | undefined {
  const spec = object.spec as Spec | undefined;
  if (object.kind === 'Pod') return spec;
  return spec?.jobTemplate?.spec?.template?.spec ?? spec?.template?.spec;
}

/** List the emptyDir volumes of the base Deployments as `app/volume`. */
function baseEmptyDirs(): string[] {
  return APPS.flatMap((app) => {
    const text = readFileSync(
      join(K8S_DIR, `base/${app}-deployment.yaml`),
      'utf8',
    );
    const deployment = parse(text) as Spec;
    return ((deployment.spec.template.spec.volumes ?? []) as Spec[])
      .filter((volume) => volume.emptyDir)
      .map((volume) => `${app}/${volume.name}`);
  });
}

function allContainers(spec: Spec): Spec[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

// ALB security policies whose minimum protocol is TLS 1.2 or 1.3, by exact
// name from the AWS "Security policies for your Application Load
// Balancer" page. Prefix matching would also admit the TLS13-1-0 and
// TLS13-1-1 policies, which accept TLS 1.0 and 1.1.
const TLS_POLICIES = new Set([
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09',
  'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
]);

// Environment variable names that carry secrets, so their value must come
// from a Secret (valueFrom) and never be written in a manifest.
const SECRET_NAME =
  /SECRET|PASSW(OR)?D|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|_URL$|_DSN$/i;
// Credentials in a value: a URL with a password (with or without a user),
// a password query parameter, or an AWS access key id.
const CREDENTIAL_VALUE =
  /:\/\/[^/\s@]*:[^/\s@]+@|[?&;](password|pass|pwd)=[^&\s]+|\bAKIA[0-9A-Z]{16}\b/i;
// Command-line flags whose argument is a secret, such as redis-server's.
const SECRET_FLAG = /^--?(requirepass|password|pass|token)$/i;

/** List every literal secret in the rendered pod templates and ConfigMaps. */
function secretLiterals(objects: KubeObject[]): string[] {
  const found: string[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata.name}`;
    if (object.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries(
        (object.data as Record<string, string>) ?? {},
      )) {
        if (CREDENTIAL_VALUE.test(value))
          found.push(`${where} ${key} contains a credential`);
      }
      continue;
    }

    const spec = object.spec as Spec | undefined;
    const pod: Spec | undefined =
      spec?.jobTemplate?.spec?.template?.spec ?? spec?.template?.spec;
    if (!pod) continue;
    for (const container of [
      ...(pod.initContainers ?? []),
      ...(pod.containers ?? []),
    ] as Spec[]) {
      for (const variable of (container.env ?? []) as Spec[]) {
        if (variable.value === undefined) continue;
        const value = String(variable.value);
        // `$(NAME)` refers to another variable, which is checked itself.
        const literal = value !== '' && !/^\$\([A-Z_][A-Z0-9_]*\)$/.test(value);
        if (literal && SECRET_NAME.test(variable.name))
          found.push(
            `${where} ${container.name} env ${variable.name} has a literal value`,
          );
        if (CREDENTIAL_VALUE.test(value))
          found.push(
            `${where} ${container.name} env ${variable.name} contains a credential`,
          );
      }
      const words = [
        ...(container.command ?? []),
        ...(container.args ?? []),
      ].map(String);
      words.forEach((word, index) => {
        const next = words[index + 1];
        if (
          SECRET_FLAG.test(word) &&
          next !== undefined &&
          !/^\$\([A-Z_][A-Z0-9_]*\)$/.test(next)
        )
          found.push(`${where} ${container.name} passes a literal ${word}`);
        if (CREDENTIAL_VALUE.test(word))
          found.push(
            `${where} ${container.name} has a credential in its command`,
          );
      });
    }
  }
  return found;
}

describe('manifests', () => {
  for (const overlay of OVERLAYS) {
    const objects = renderOverlay(overlay);

    test(`manifests - ${overlay} namespace audits and warns restricted`, () => {
      const labels =
        findObject(objects, 'Namespace', 'shop').metadata.labels ?? {};
      assert.equal(labels['pod-security.kubernetes.io/audit'], 'restricted');
      assert.equal(labels['pod-security.kubernetes.io/warn'], 'restricted');
      // An old version pins the rules of that release, which miss the
      // checks added since. The Pod Security check here follows v1.32.
      for (const mode of ['enforce', 'audit', 'warn']) {
        const version = labels[`pod-security.kubernetes.io/${mode}-version`];
        assert.ok(
          version === 'latest' || version === 'v1.32',
          `${mode}-version is ${version}`,
        );
      }
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
      const workloads = objects.filter((object) => podTemplateOf(object));
      assert.ok(workloads.some((object) => object.kind === 'Deployment'));
      for (const workload of workloads) {
        for (const container of allContainers(
          podTemplateOf(workload) as Spec,
        )) {
          const image = container.image as string;
          const digest = /@sha256:[0-9a-f]{64}$/.test(image);
          const tag = image.slice(image.lastIndexOf('/') + 1).split(':')[1];
          assert.ok(
            digest || /^v?\d+\.\d+(\.\d+)?(-[\w.]+)?$/.test(tag ?? ''),
            `${workload.kind}/${workload.metadata.name}: ${image} has no digest or version tag`,
          );
          assert.ok(
            !image.endsWith(':latest'),
            `${workload.kind}/${workload.metadata.name}: ${image} uses latest`,
          );
        }
      }
    });

    test(`manifests - ${overlay} HPA owns replicas`, () => {
      for (const app of APPS) {
        const deployment = findObject(objects, 'Deployment', app).spec as Spec;
        assert.equal(deployment.replicas, undefined, app);
      }
    });

    test(`manifests - ${overlay} emptyDirs have sizeLimit`, () => {
      for (const workload of objects.filter((object) =>
        podTemplateOf(object),
      )) {
        for (const volume of (podTemplateOf(workload)?.volumes ??
          []) as Spec[]) {
          if (!volume.emptyDir) continue;
          assert.ok(
            volume.emptyDir.sizeLimit,
            `${workload.kind}/${workload.metadata.name} emptyDir ${volume.name} has no sizeLimit`,
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

    test(`manifests - ${overlay} keeps no literal secrets`, () => {
      assert.deepEqual(secretLiterals(objects), []);
    });

    test(`manifests - ${overlay} secret check catches literals`, () => {
      const mutated = structuredClone(objects) as KubeObject[];
      const api = podSpec(mutated, 'api').containers[0];
      api.env = [
        ...(api.env ?? []),
        { name: 'JWT_SECRET', value: 'a-literal-signing-key' },
        { name: 'OTEL_ENDPOINT', value: 'http://otel:s3cret@collector:4318' },
      ];
      api.args = ['--requirepass', 'hunter2hunter2'];
      mutated.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'leaky' },
        data: {
          DB_DSN: 'postgres://shop:hunter2hunter2@db.internal:5432/shop',
          CACHE: 'redis://:hunter2hunter2@redis:6379',
          PG_QUERY: 'postgres://db:5432/shop?user=shop&password=hunter2',
        },
      } as KubeObject);
      const found = secretLiterals(mutated);
      for (const expected of [
        'env JWT_SECRET has a literal value',
        'env OTEL_ENDPOINT contains a credential',
        'passes a literal --requirepass',
        'DB_DSN contains a credential',
        'CACHE contains a credential',
        'PG_QUERY contains a credential',
      ]) {
        assert.ok(
          found.some((line) => line.endsWith(expected)),
          `${expected} not reported; found: [${found.join('; ')}]`,
        );
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
      assert.ok(
        TLS_POLICIES.has(
          annotations['alb.ingress.kubernetes.io/ssl-policy'] ?? '',
        ),
        `ssl-policy ${annotations['alb.ingress.kubernetes.io/ssl-policy']} is not a TLS 1.2+ policy of the allow-list`,
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
        // externalIPs lets traffic to any listed address reach the
        // Service, whatever its type.
        assert.equal(
          (service.spec as Spec).externalIPs,
          undefined,
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
        // Weight 100 is the maximum, so the zone spread outweighs the
        // scheduler's other preferences.
        assert.equal(zoneTerm.weight, 100);
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
        // One pod at a time may be evicted, and production keeps two.
        assert.equal(pdb.maxUnavailable, 1);
        assert.equal(pdb.minAvailable, undefined);
        assert.ok(hpa.maxReplicas >= hpa.minReplicas);
        if (overlay === 'production') assert.ok(hpa.minReplicas >= 2);
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

  test('manifests - production api trusts RDS CA', () => {
    const pod = podSpec(renderOverlay('production'), 'api');
    const configMapVolumes = new Map<string, string>(
      (pod.volumes as Spec[])
        .filter((volume) => volume.configMap)
        .map((volume) => [volume.name, volume.configMap.name]),
    );
    for (const container of allContainers(pod)) {
      const bundle = (container.env as Spec[] | undefined)?.find(
        (variable) => variable.name === 'NODE_EXTRA_CA_CERTS',
      )?.value as string | undefined;
      assert.ok(bundle, `${container.name} has no NODE_EXTRA_CA_CERTS`);
      const mount = (container.volumeMounts as Spec[]).find((item) =>
        bundle.startsWith(`${item.mountPath}/`),
      );
      assert.equal(
        configMapVolumes.get(mount?.name),
        'rds-ca-bundle',
        `${container.name}: ${bundle} is not in the rds-ca-bundle ConfigMap`,
      );
      assert.equal(mount?.readOnly, true, container.name);
    }
  });

  test('manifests - documented secret store limited to shop', () => {
    const docs = readFileSync(join(K8S_DIR, '../../docs/deploy.md'), 'utf8');
    const block =
      /```yaml\n(kind: ClusterSecretStore[\s\S]*?|apiVersion: external-secrets.io\/v1\nkind: ClusterSecretStore[\s\S]*?)```/.exec(
        docs,
      )?.[1];
    assert.ok(block, 'docs/deploy.md shows no ClusterSecretStore');
    const store = parse(block) as Spec;
    assert.deepEqual(store.spec.conditions, [{ namespaces: ['shop'] }]);
  });

  test('manifests - overlays add no emptyDir', () => {
    // The base files justify each emptyDir in a comment, which the test
    // below checks, so an overlay that adds one bypasses that review.
    const base = baseEmptyDirs();
    for (const overlay of OVERLAYS) {
      const objects = renderOverlay(overlay);
      for (const app of APPS) {
        const names = ((podSpec(objects, app).volumes ?? []) as Spec[])
          .filter((volume) => volume.emptyDir)
          .map((volume) => volume.name as string);
        for (const name of names) {
          assert.ok(
            base.includes(`${app}/${name}`),
            `${overlay} ${app}/${name}`,
          );
        }
      }
    }
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
