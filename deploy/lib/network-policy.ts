// Evaluates NetworkPolicies with the semantics of the Kubernetes API
// (networking.k8s.io/v1), so the rendered manifests can be checked flow by
// flow without a cluster. Only IPv4 addresses are modelled.

import type { KubeObject } from './render.ts';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: Protocol;
}

/** A pod as NetworkPolicies see it: namespace, labels and named ports. */
export interface PodIdentity {
  namespace: string;
  labels: Record<string, string>;
  ports?: ContainerPort[];
}

/** A party of a flow: a pod inside the cluster, or any address outside it. */
export interface Endpoint {
  name: string;
  ip: string;
  pod?: PodIdentity;
}

export interface Flow {
  source: Endpoint;
  destination: Endpoint;
  port: number;
  protocol: Protocol;
}

interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}

interface IngressRule {
  from?: PolicyPeer[];
  ports?: PolicyPort[];
}

interface EgressRule {
  to?: PolicyPeer[];
  ports?: PolicyPort[];
}

export interface NetworkPolicy {
  metadata: { name: string; namespace: string };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: ('Ingress' | 'Egress')[];
    ingress?: IngressRule[];
    egress?: EgressRule[];
  };
}

/** Labels of each namespace by name; `kubernetes.io/metadata.name` is added. */
export type NamespaceLabels = Record<string, Record<string, string>>;

export function matchesSelector(
  selector: LabelSelector,
  labels: Record<string, string>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }

  for (const requirement of selector.matchExpressions ?? []) {
    const present = Object.hasOwn(labels, requirement.key);
    const value = labels[requirement.key];
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!present || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        throw new Error(
          `Unknown label selector operator: ${String(requirement.operator)}`,
        );
    }
  }

  return true;
}

function parseIpv4(address: string): number {
  const parts = address.split('.');
  if (parts.length !== 4) throw new Error(`Invalid IPv4 address: ${address}`);

  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) {
      throw new Error(`Invalid IPv4 address: ${address}`);
    }
    value = value * 256 + octet;
  }
  return value;
}

export function cidrContains(cidr: string, address: string): boolean {
  const [network, prefixText] = cidr.split('/');
  const prefix = Number(prefixText);
  if (
    network === undefined ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > 32
  ) {
    throw new Error(`Invalid IPv4 CIDR: ${cidr}`);
  }

  // 2^(32 - prefix) addresses per block; integer division keeps this exact
  // for every prefix, where 32-bit shifts would overflow at /0.
  const blockSize = 2 ** (32 - prefix);
  return (
    Math.floor(parseIpv4(network) / blockSize) ===
    Math.floor(parseIpv4(address) / blockSize)
  );
}

function namespaceLabelsOf(
  namespaces: NamespaceLabels,
  name: string,
): Record<string, string> {
  return { ...(namespaces[name] ?? {}), 'kubernetes.io/metadata.name': name };
}

function peerMatches(
  peer: PolicyPeer,
  endpoint: Endpoint,
  policyNamespace: string,
  namespaces: NamespaceLabels,
): boolean {
  if (peer.ipBlock) {
    // ipBlock is meant for addresses outside the cluster; whether it also
    // matches pod IPs depends on the network plugin. Matching every
    // endpoint by address over-approximates what is allowed, which is the
    // safe side for a check that looks for open flows.
    const { cidr, except = [] } = peer.ipBlock;
    if (!cidrContains(cidr, endpoint.ip)) return false;
    return !except.some((excluded) => cidrContains(excluded, endpoint.ip));
  }

  if (!endpoint.pod) return false;

  if (peer.namespaceSelector) {
    const labels = namespaceLabelsOf(namespaces, endpoint.pod.namespace);
    if (!matchesSelector(peer.namespaceSelector, labels)) return false;
  } else if (endpoint.pod.namespace !== policyNamespace) {
    return false;
  }

  return peer.podSelector
    ? matchesSelector(peer.podSelector, endpoint.pod.labels)
    : true;
}

function portMatches(rulePort: PolicyPort, flow: Flow): boolean {
  if ((rulePort.protocol ?? 'TCP') !== flow.protocol) return false;
  if (rulePort.port === undefined) return true;

  if (typeof rulePort.port === 'number') {
    const end = rulePort.endPort ?? rulePort.port;
    return flow.port >= rulePort.port && flow.port <= end;
  }

  // A named port is resolved against the destination pod's container ports.
  const named = flow.destination.pod?.ports?.find(
    (port) =>
      port.name === rulePort.port && (port.protocol ?? 'TCP') === flow.protocol,
  );
  return named?.containerPort === flow.port;
}

function ruleAllows(
  peers: PolicyPeer[] | undefined,
  ports: PolicyPort[] | undefined,
  peer: Endpoint,
  flow: Flow,
  policyNamespace: string,
  namespaces: NamespaceLabels,
): boolean {
  // An absent or empty list of peers or ports matches everything.
  const peerOk =
    !peers ||
    peers.length === 0 ||
    peers.some((item) => peerMatches(item, peer, policyNamespace, namespaces));
  const portOk =
    !ports ||
    ports.length === 0 ||
    ports.some((item) => portMatches(item, flow));
  return peerOk && portOk;
}

function policyTypes(policy: NetworkPolicy): ('Ingress' | 'Egress')[] {
  if (policy.spec.policyTypes && policy.spec.policyTypes.length > 0) {
    return policy.spec.policyTypes;
  }
  // Kubernetes defaults to Ingress, plus Egress only when the egress list
  // is non-empty, so `egress: []` alone leaves egress unrestricted.
  return (policy.spec.egress ?? []).length > 0
    ? ['Ingress', 'Egress']
    : ['Ingress'];
}

function selectingPolicies(
  policies: NetworkPolicy[],
  pod: PodIdentity,
  direction: 'Ingress' | 'Egress',
): NetworkPolicy[] {
  return policies.filter(
    (policy) =>
      policy.metadata.namespace === pod.namespace &&
      policyTypes(policy).includes(direction) &&
      matchesSelector(policy.spec.podSelector, pod.labels),
  );
}

/** Return true when the source's egress policies let the flow leave it. */
export function egressAllows(
  policies: NetworkPolicy[],
  namespaces: NamespaceLabels,
  flow: Flow,
): boolean {
  const pod = flow.source.pod;
  if (!pod) return true;

  const selecting = selectingPolicies(policies, pod, 'Egress');
  if (selecting.length === 0) return true;

  return selecting.some((policy) =>
    (policy.spec.egress ?? []).some((rule) =>
      ruleAllows(
        rule.to,
        rule.ports,
        flow.destination,
        flow,
        pod.namespace,
        namespaces,
      ),
    ),
  );
}

/** Return true when the destination's ingress policies let the flow in. */
export function ingressAllows(
  policies: NetworkPolicy[],
  namespaces: NamespaceLabels,
  flow: Flow,
): boolean {
  const pod = flow.destination.pod;
  if (!pod) return true;

  const selecting = selectingPolicies(policies, pod, 'Ingress');
  if (selecting.length === 0) return true;

  return selecting.some((policy) =>
    (policy.spec.ingress ?? []).some((rule) =>
      ruleAllows(
        rule.from,
        rule.ports,
        flow.source,
        flow,
        pod.namespace,
        namespaces,
      ),
    ),
  );
}

/** Whether a flow is allowed: both the source's egress and the destination's ingress must allow it. */
export function isFlowAllowed(
  policies: NetworkPolicy[],
  namespaces: NamespaceLabels,
  flow: Flow,
): boolean {
  return (
    egressAllows(policies, namespaces, flow) &&
    ingressAllows(policies, namespaces, flow)
  );
}

/** Pick the NetworkPolicies out of rendered objects, with their namespace filled in. */
export function networkPolicies(
  objects: KubeObject[],
  defaultNamespace = 'default',
): NetworkPolicy[] {
  return objects
    .filter((object) => object.kind === 'NetworkPolicy')
    .map((object) => ({
      metadata: {
        name: object.metadata.name,
        namespace: object.metadata.namespace ?? defaultNamespace,
      },
      spec: object.spec as NetworkPolicy['spec'],
    }));
}
