import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

import {
  cidrContains,
  isFlowAllowed,
  networkPolicies,
  type Endpoint,
  type NamespaceLabels,
  type NetworkPolicy,
  type Protocol,
} from '../lib/network-policy.ts';
import {
  findObject,
  renderOverlay,
  type KubeObject,
  type Overlay,
} from '../lib/render.ts';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- policies are mutated freely below

const NAMESPACE = 'shop';

// Every destination is probed on every port of the traffic path, plus
// ports an attacker would try (SSH, HTTP, HTTPS, the Node.js inspector, a
// high port), so a rule that opens the wrong port shows.
const PROBES: { port: number; protocol: Protocol }[] = [
  { port: 22, protocol: 'TCP' },
  { port: 80, protocol: 'TCP' },
  { port: 9229, protocol: 'TCP' },
  { port: 61000, protocol: 'TCP' },
  { port: 61000, protocol: 'UDP' },
  { port: 3000, protocol: 'TCP' },
  { port: 4000, protocol: 'TCP' },
  { port: 5432, protocol: 'TCP' },
  { port: 6379, protocol: 'TCP' },
  { port: 4317, protocol: 'TCP' },
  { port: 2000, protocol: 'UDP' },
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
  { port: 443, protocol: 'TCP' },
  { port: 8080, protocol: 'TCP' },
];

// The flows the shop needs; every other (source, destination, port) must
// be denied. Identical in both overlays, although the datastores are
// pods in dev and addresses outside the cluster in production.
const EXPECTED_ALLOWED = new Set([
  'load-balancer -> web 3000/TCP',
  'web -> api 4000/TCP',
  'web -> dns 53/UDP',
  'web -> dns 53/TCP',
  'api -> postgres 5432/TCP',
  'api -> redis 6379/TCP',
  'api -> collector 4317/TCP',
  'api -> collector 2000/UDP',
  'api -> dns 53/UDP',
  'api -> dns 53/TCP',
]);

// Labels of namespaces outside the shop, as a cluster has them.
const NAMESPACES: NamespaceLabels = {
  shop: {},
  'kube-system': {},
  observability: {},
  tenant: {},
};

// Addresses of the reference VPC of each overlay (see the overlays'
// network-settings.yaml): the load balancer sits in the public subnets,
// pods in the private ones.
const ADDRESSES: Record<Overlay, Record<string, string>> = {
  production: {
    'load-balancer': '10.0.1.20',
    outside: '203.0.113.10',
    web: '10.0.32.10',
    api: '10.0.32.11',
    unlisted: '10.0.32.12',
    postgres: '10.0.8.15',
    redis: '10.0.9.20',
    collector: '10.0.33.5',
    dns: '10.0.33.2',
  },
  dev: {
    'load-balancer': '10.1.2.30',
    outside: '198.51.100.7',
    web: '10.1.32.10',
    api: '10.1.32.11',
    unlisted: '10.1.32.12',
    postgres: '10.1.32.13',
    redis: '10.1.32.14',
    collector: '10.1.33.5',
    dns: '10.1.33.2',
  },
};

// Addresses outside the cluster that no flow may reach or come from: one
// public address per /2, the private ranges, carrier-grade NAT and
// link-local, including the instance metadata address. The test only
// evaluates the policies for these addresses and sends them no traffic.
const OUTSIDE_ADDRESSES: Record<string, string> = {
  'public-0/2': '52.94.1.1',
  'public-64/2': '100.24.1.1',
  'public-128/2': '151.101.1.1',
  'public-192/2': '198.51.100.200',
  'private-10/8': '10.250.0.9',
  'private-172.16/12': '172.16.5.5',
  'private-192.168/16': '192.168.1.5',
  'carrier-nat': '100.64.0.9',
  'link-local': '169.254.1.1',
  'instance-metadata': '169.254.169.254',
};

// Pods next to the allowed peers that must not inherit their access: a
// pod in the DNS and the collector namespaces with other labels, and pods
// in another namespace that carry the web and api labels.
const NEIGHBOUR_PODS: Record<string, NonNullable<Endpoint['pod']>> = {
  'kube-system-other': {
    namespace: 'kube-system',
    labels: { 'k8s-app': 'metrics-server' },
  },
  'observability-other': {
    namespace: 'observability',
    labels: { 'app.kubernetes.io/name': 'grafana' },
  },
  'tenant-web': {
    namespace: 'tenant',
    labels: { 'app.kubernetes.io/name': 'web' },
  },
  'tenant-api': {
    namespace: 'tenant',
    labels: { 'app.kubernetes.io/name': 'api' },
  },
};

function podOf(
  objects: KubeObject[],
  kind: string,
  name: string,
): Endpoint['pod'] {
  const workload = findObject(objects, kind, name);
  const template = (workload.spec as Spec).template;
  return {
    namespace: workload.metadata.namespace ?? NAMESPACE,
    labels: template.metadata.labels,
    ports: template.spec.containers.flatMap(
      (container: Spec) => container.ports ?? [],
    ),
  };
}

function endpointsOf(overlay: Overlay, objects: KubeObject[]): Endpoint[] {
  const ip = ADDRESSES[overlay];
  const endpoint = (name: string, pod?: Endpoint['pod']): Endpoint => ({
    name,
    ip: ip[name] as string,
    ...(pod ? { pod } : {}),
  });
  const inCluster = overlay === 'dev';

  return [
    endpoint('load-balancer'),
    endpoint('outside'),
    endpoint('web', podOf(objects, 'Deployment', 'web')),
    endpoint('api', podOf(objects, 'Deployment', 'api')),
    // A pod that no policy names, such as a debugging pod: the
    // default deny must isolate it.
    endpoint('unlisted', {
      namespace: NAMESPACE,
      labels: { 'app.kubernetes.io/name': 'debug' },
    }),
    endpoint(
      'postgres',
      inCluster ? podOf(objects, 'StatefulSet', 'postgres') : undefined,
    ),
    endpoint(
      'redis',
      inCluster ? podOf(objects, 'Deployment', 'redis') : undefined,
    ),
    endpoint('collector', {
      namespace: 'observability',
      labels: { 'app.kubernetes.io/name': 'otel-collector' },
    }),
    endpoint('dns', {
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
    }),
    ...Object.entries(OUTSIDE_ADDRESSES).map(([name, address]) => ({
      name,
      ip: address,
    })),
    ...Object.entries(NEIGHBOUR_PODS).map(([name, pod], index) => ({
      name,
      ip: `${ip.unlisted?.split('.').slice(0, 2).join('.')}.40.${index + 1}`,
      pod,
    })),
  ];
}

/** Compute allow or deny for every flow that the shop's policies govern. */
function connectivityTable(
  policies: NetworkPolicy[],
  endpoints: Endpoint[],
): Map<string, boolean> {
  const table = new Map<string, boolean>();
  const governed = (endpoint: Endpoint) =>
    endpoint.pod?.namespace === NAMESPACE;

  for (const source of endpoints) {
    for (const destination of endpoints) {
      if (source === destination) continue;
      // Flows between two parties outside the namespace are outside the
      // reach of its policies (AWS security groups govern them).
      if (!governed(source) && !governed(destination)) continue;

      for (const { port, protocol } of PROBES) {
        const key = `${source.name} -> ${destination.name} ${port}/${protocol}`;
        table.set(
          key,
          isFlowAllowed(policies, NAMESPACES, {
            source,
            destination,
            port,
            protocol,
          }),
        );
      }
    }
  }
  return table;
}

function differences(table: Map<string, boolean>): string[] {
  return [...table]
    .filter(([key, allowed]) => allowed !== EXPECTED_ALLOWED.has(key))
    .map(([key, allowed]) => `${key} is ${allowed ? 'allowed' : 'denied'}`);
}

interface Mutation {
  name: string;
  flow: string;
  mutate: (policies: Spec[]) => void;
}

const byName = (policies: Spec[], name: string): Spec => {
  const policy = policies.find((item) => item.metadata.name === name);
  if (!policy) throw new Error(`NetworkPolicy ${name} not found`);
  return policy;
};

// Each mutation must change the named flow of the table.
const MUTATIONS: Mutation[] = [
  {
    name: 'default deny removed',
    flow: 'unlisted -> outside 443/TCP',
    mutate: (policies) =>
      policies.splice(
        policies.indexOf(byName(policies, 'default-deny-all')),
        1,
      ),
  },
  {
    name: 'web open to the internet',
    flow: 'outside -> web 3000/TCP',
    mutate: (policies) =>
      byName(policies, 'web').spec.ingress[0].from.push({
        ipBlock: { cidr: '0.0.0.0/0' },
      }),
  },
  {
    name: 'load balancer excepted',
    flow: 'load-balancer -> web 3000/TCP',
    mutate: (policies) => {
      byName(policies, 'web').spec.ingress[0].from[0].ipBlock.except = [
        '10.0.0.0/8',
      ];
    },
  },
  {
    name: 'api ingress from any namespace',
    flow: 'collector -> api 4000/TCP',
    mutate: (policies) => {
      byName(policies, 'api').spec.ingress[0].from = [
        { namespaceSelector: {} },
      ];
    },
  },
  {
    name: 'api ingress from anywhere',
    flow: 'load-balancer -> api 4000/TCP',
    mutate: (policies) => {
      delete byName(policies, 'api').spec.ingress[0].from;
    },
  },
  {
    name: 'api ingress on wrong port',
    flow: 'web -> api 4000/TCP',
    mutate: (policies) => {
      byName(policies, 'api').spec.ingress[0].ports[0].port = 4001;
    },
  },
  {
    name: 'web ingress port range',
    flow: 'load-balancer -> web 4000/TCP',
    mutate: (policies) => {
      byName(policies, 'web').spec.ingress[0].ports[0] = {
        protocol: 'TCP',
        port: 3000,
        endPort: 5000,
      };
    },
  },
  {
    name: 'web egress to any address',
    flow: 'web -> outside 4000/TCP',
    mutate: (policies) => {
      delete byName(policies, 'web').spec.egress[0].to;
    },
  },
  {
    name: 'web DNS egress removed',
    flow: 'web -> dns 53/UDP',
    mutate: (policies) => byName(policies, 'web').spec.egress.splice(1, 1),
  },
  {
    name: 'DNS peer without namespace',
    flow: 'api -> dns 53/UDP',
    mutate: (policies) => {
      delete byName(policies, 'api').spec.egress[0].to[0].namespaceSelector;
    },
  },
  {
    name: 'DNS peer in any namespace',
    flow: 'web -> collector 53/UDP',
    mutate: (policies) => {
      const peer = byName(policies, 'web').spec.egress[1].to[0];
      peer.namespaceSelector = {};
      peer.podSelector = {};
    },
  },
  {
    name: 'api Egress type dropped',
    flow: 'api -> collector 4317/TCP',
    mutate: (policies) => {
      byName(policies, 'api').spec.policyTypes = ['Ingress'];
    },
  },
  {
    name: 'X-Ray port on TCP',
    flow: 'api -> collector 2000/UDP',
    mutate: (policies) => {
      byName(policies, 'api').spec.egress[1].ports[1].protocol = 'TCP';
    },
  },
  {
    name: 'collector namespace changed',
    flow: 'api -> collector 4317/TCP',
    mutate: (policies) => {
      byName(
        policies,
        'api',
      ).spec.egress[1].to[0].namespaceSelector.matchExpressions[0].operator =
        'NotIn';
    },
  },
  {
    name: 'PostgreSQL egress removed',
    flow: 'api -> postgres 5432/TCP',
    mutate: (policies) =>
      byName(policies, 'api-datastores').spec.egress.splice(0, 1),
  },
  {
    name: 'datastore egress to anywhere',
    flow: 'api -> outside 6379/TCP',
    mutate: (policies) => {
      delete byName(policies, 'api-datastores').spec.egress[1].to;
    },
  },
];

// The (port, protocol) pairs that the allowed flows use. A rule on any
// other port opens a flow that the table may not probe.
const ALLOWED_PORTS = new Set(
  [...EXPECTED_ALLOWED].map((key) => key.split(' ').at(-1) as string),
);

/** Read the CIDRs of an overlay's network-settings ConfigMap. */
function configuredCidrs(overlay: Overlay): string[] {
  const path = fileURLToPath(
    new URL(
      `../k8s/overlays/${overlay}/network-settings.yaml`,
      import.meta.url,
    ),
  );
  const settings = parse(readFileSync(path, 'utf8')) as Spec;
  return Object.values(settings.data as Record<string, string>).filter(
    (value) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(value),
  );
}

function isEmptySelector(selector: Spec | undefined): boolean {
  return (
    Object.keys(selector?.matchLabels ?? {}).length === 0 &&
    (selector?.matchExpressions ?? []).length === 0
  );
}

/**
 * List the rule shapes that a port-by-port table can miss: port ranges,
 * ports outside the allowed flows, address blocks wider than the
 * configured CIDRs and selector peers that match more than one workload's
 * pods.
 */
function structuralProblems(policies: Spec[], cidrs: string[]): string[] {
  const problems: string[] = [];
  for (const policy of policies) {
    const name = policy.metadata.name as string;
    const rules = [
      ...(policy.spec.ingress ?? []),
      ...(policy.spec.egress ?? []),
    ] as Spec[];
    for (const rule of rules) {
      const ports = (rule.ports ?? []) as Spec[];
      if (ports.length === 0)
        problems.push(`${name}: a rule allows every port`);
      for (const port of ports) {
        if (port.endPort !== undefined)
          problems.push(`${name}: endPort ${port.endPort} opens a port range`);
        const key = `${port.port}/${port.protocol ?? 'TCP'}`;
        if (!ALLOWED_PORTS.has(key))
          problems.push(`${name}: port ${key} is not in the allowed flows`);
      }

      for (const peer of (rule.from ?? rule.to ?? []) as Spec[]) {
        if (peer.ipBlock) {
          const cidr = peer.ipBlock.cidr as string;
          const [network, prefix] = cidr.split('/');
          const inside = cidrs.some(
            (configured) =>
              cidrContains(configured, network as string) &&
              Number(prefix) >= Number(configured.split('/')[1]),
          );
          if (!inside)
            problems.push(
              `${name}: ipBlock ${cidr} is outside the configured CIDRs`,
            );
          continue;
        }
        if (isEmptySelector(peer.podSelector))
          problems.push(`${name}: a peer selects every pod of its namespaces`);
        if (peer.namespaceSelector && isEmptySelector(peer.namespaceSelector))
          problems.push(`${name}: a peer selects every namespace`);
      }
    }
  }
  return problems;
}

// Each change must be rejected by the structural check.
const STRUCTURAL_MUTATIONS: {
  name: string;
  mutate: (policies: Spec[]) => void;
}[] = [
  {
    name: 'endPort on a datastore port',
    mutate: (policies) => {
      byName(policies, 'api').spec.ingress[0].ports[0].endPort = 4010;
    },
  },
  {
    name: 'extra port on api ingress',
    mutate: (policies) => {
      byName(policies, 'api').spec.ingress[0].ports.push({
        protocol: 'TCP',
        port: 9229,
      });
    },
  },
  {
    name: 'rule without ports',
    mutate: (policies) => {
      delete byName(policies, 'web').spec.egress[0].ports;
    },
  },
  {
    name: 'wider load balancer CIDR',
    mutate: (policies) => {
      byName(policies, 'web').spec.ingress[0].from[0].ipBlock.cidr =
        '10.0.0.0/8';
    },
  },
  {
    name: 'foreign CIDR',
    mutate: (policies) => {
      byName(policies, 'web').spec.ingress[0].from.push({
        ipBlock: { cidr: '192.168.0.0/16' },
      });
    },
  },
  {
    name: 'DNS namespace without pod selector',
    mutate: (policies) => {
      delete byName(policies, 'web').spec.egress[1].to[0].podSelector;
    },
  },
  {
    name: 'api ingress from every shop pod',
    mutate: (policies) => {
      byName(policies, 'api').spec.ingress[0].from.push({ podSelector: {} });
    },
  },
  {
    name: 'collector in every namespace',
    mutate: (policies) => {
      byName(policies, 'api').spec.egress[1].to[0].namespaceSelector = {};
    },
  },
];

function overlayFixture(overlay: Overlay) {
  const objects = renderOverlay(overlay);
  return {
    policies: networkPolicies(objects, NAMESPACE),
    endpoints: endpointsOf(overlay, objects),
  };
}

describe('connectivity', () => {
  for (const overlay of ['production', 'dev'] as const) {
    const { policies, endpoints } = overlayFixture(overlay);
    const table = connectivityTable(policies, endpoints);

    for (const source of endpoints) {
      test(`connectivity - ${overlay} flows from ${source.name}`, () => {
        const rows = [...table].filter(([key]) =>
          key.startsWith(`${source.name} -> `),
        );
        for (const [key, allowed] of rows) {
          assert.equal(
            allowed,
            EXPECTED_ALLOWED.has(key),
            `${overlay}: ${key}`,
          );
        }
      });
    }

    test(`connectivity - ${overlay} covers every allowed flow`, () => {
      for (const key of EXPECTED_ALLOWED) {
        assert.ok(table.has(key), `${overlay}: ${key} is not in the table`);
      }
    });

    test(`connectivity - ${overlay} has default deny`, () => {
      const policy = policies.find(
        (item) => item.metadata.name === 'default-deny-all',
      );
      assert.ok(policy, 'no default-deny-all policy');
      assert.deepEqual(policy.spec.podSelector, {});
      assert.deepEqual([...(policy.spec.policyTypes ?? [])].sort(), [
        'Egress',
        'Ingress',
      ]);
      assert.equal(policy.spec.ingress, undefined);
      assert.equal(policy.spec.egress, undefined);
    });

    test(`connectivity - ${overlay} never allows every address`, () => {
      for (const policy of policies) {
        const rules = [
          ...(policy.spec.ingress ?? []),
          ...(policy.spec.egress ?? []),
        ] as Spec[];
        for (const rule of rules) {
          const peers = (rule.from ?? rule.to ?? []) as Spec[];
          assert.ok(
            peers.length > 0,
            `${policy.metadata.name} has a rule without peers, which matches every address`,
          );
          for (const peer of peers) {
            const cidr = peer.ipBlock?.cidr as string | undefined;
            assert.ok(
              cidr === undefined || !cidr.endsWith('/0'),
              `${policy.metadata.name} allows ${cidr}`,
            );
          }
        }
      }
    });

    test(`connectivity - ${overlay} rules match allowed shapes`, () => {
      assert.deepEqual(
        structuralProblems(policies as Spec[], configuredCidrs(overlay)),
        [],
      );
    });

    for (const mutation of STRUCTURAL_MUTATIONS) {
      test(`connectivity - ${overlay} rejects ${mutation.name}`, () => {
        const mutated = structuredClone(policies) as Spec[];
        mutation.mutate(mutated);
        assert.notDeepEqual(
          structuralProblems(mutated, configuredCidrs(overlay)),
          [],
        );
      });
    }

    for (const mutation of MUTATIONS) {
      test(`connectivity - ${overlay} detects ${mutation.name}`, () => {
        const mutated = structuredClone(policies) as Spec[];
        mutation.mutate(mutated);
        const changed = differences(
          connectivityTable(mutated as NetworkPolicy[], endpoints),
        );
        assert.ok(
          changed.some((line) => line.startsWith(`${mutation.flow} `)),
          `expected ${mutation.flow} to change; changed: [${changed.join('; ')}]`,
        );
      });
    }
  }

  test('connectivity - empty egress list not isolating', () => {
    // Without policyTypes, Kubernetes adds Egress only for a non-empty
    // egress list, so this policy restricts ingress alone.
    const policy: NetworkPolicy = {
      metadata: { name: 'ingress-only', namespace: NAMESPACE },
      spec: { podSelector: {}, ingress: [], egress: [] },
    };
    const pod = { namespace: NAMESPACE, labels: {} };
    const flow = {
      source: { name: 'pod', ip: '10.0.32.20', pod },
      destination: { name: 'outside', ip: '203.0.113.10' },
      port: 443,
      protocol: 'TCP' as const,
    };
    assert.equal(isFlowAllowed([policy], NAMESPACES, flow), true);
  });

  test('connectivity - dev datastores accept only api', () => {
    const { policies, endpoints } = overlayFixture('dev');
    const web = endpoints.find(
      (endpoint) => endpoint.name === 'web',
    ) as Endpoint;
    const postgres = endpoints.find(
      (endpoint) => endpoint.name === 'postgres',
    ) as Endpoint;
    const withoutWebPolicy = policies.filter(
      (policy) => policy.metadata.name !== 'web',
    );
    // Even if web's own egress policy were lost, the PostgreSQL ingress
    // policy still rejects web.
    const flow = {
      source: web,
      destination: postgres,
      port: 5432,
      protocol: 'TCP' as const,
    };
    assert.equal(isFlowAllowed(withoutWebPolicy, NAMESPACES, flow), false);
  });
});
