// Checks pod templates against the Kubernetes Pod Security Standards
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/,
// the `baseline` and `restricted` policies as of Kubernetes 1.32) and
// against the extra controls of the NSA/CISA Kubernetes Hardening Guide
// (read-only root filesystem, no service account token, resource limits).

import type { KubeObject } from './render.ts';

/** One broken rule: the rule id, the field path and what is wrong. */
export interface Violation {
  rule: string;
  path: string;
  message: string;
}

type Fields = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form Kubernetes objects

/** The metadata and spec of a pod, as found in a workload's template. */
export interface PodTemplate {
  metadata?: { annotations?: Record<string, string> };
  spec: Fields;
}

export interface NamedPodTemplate {
  owner: string;
  template: PodTemplate;
}

export const BASELINE_RULES = [
  'hostProcess',
  'hostNamespaces',
  'privileged',
  'capabilities.baseline',
  'hostPathVolumes',
  'hostPorts',
  'appArmor',
  'seLinux',
  'procMount',
  'seccomp.baseline',
  'sysctls',
] as const;

export const RESTRICTED_RULES = [
  ...BASELINE_RULES,
  'volumeTypes',
  'allowPrivilegeEscalation',
  'runAsNonRoot',
  'runAsUser',
  'seccomp.restricted',
  'capabilities.restricted',
] as const;

export const HARDENING_RULES = [
  'readOnlyRootFilesystem',
  'automountServiceAccountToken',
  'resources',
] as const;

// Capabilities that `baseline` allows a container to add.
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

// Sysctls that `baseline` allows (the namespaced, safe set).
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

// Volume sources that `restricted` allows.
const RESTRICTED_VOLUME_SOURCES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const APPARMOR_ANNOTATION_PREFIX =
  'container.apparmor.security.beta.kubernetes.io/';

interface ContainerEntry {
  path: string;
  container: Fields;
}

function allContainers(spec: Fields): ContainerEntry[] {
  const entries: ContainerEntry[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = (spec[field] ?? []) as Fields[];
    list.forEach((container, index) => {
      entries.push({ path: `spec.${field}[${index}]`, container });
    });
  }
  return entries;
}

function isUnsetOr<T>(value: T | undefined | null, ...allowed: T[]): boolean {
  return value === undefined || value === null || allowed.includes(value);
}

/** Check one pod template against every `baseline` rule. */
export function checkBaseline(template: PodTemplate): Violation[] {
  const violations: Violation[] = [];
  const spec = template.spec;
  const podContext: Fields = spec.securityContext ?? {};
  const containers = allContainers(spec);
  const add = (rule: string, path: string, message: string) =>
    violations.push({ rule, path, message });

  // HostProcess: Windows host process containers get full host access.
  if (!isUnsetOr(podContext.windowsOptions?.hostProcess, false)) {
    add(
      'hostProcess',
      'spec.securityContext.windowsOptions.hostProcess',
      'must be unset or false',
    );
  }
  for (const { path, container } of containers) {
    if (
      !isUnsetOr(container.securityContext?.windowsOptions?.hostProcess, false)
    ) {
      add(
        'hostProcess',
        `${path}.securityContext.windowsOptions.hostProcess`,
        'must be unset or false',
      );
    }
  }

  // Host namespaces.
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (!isUnsetOr(spec[field], false)) {
      add('hostNamespaces', `spec.${field}`, 'must be unset or false');
    }
  }

  for (const { path, container } of containers) {
    const context: Fields = container.securityContext ?? {};

    if (!isUnsetOr(context.privileged, false)) {
      add(
        'privileged',
        `${path}.securityContext.privileged`,
        'must be unset or false',
      );
    }

    for (const capability of (context.capabilities?.add ?? []) as string[]) {
      if (!BASELINE_CAPABILITIES.has(capability)) {
        add(
          'capabilities.baseline',
          `${path}.securityContext.capabilities.add`,
          `adds ${capability}, which baseline does not allow`,
        );
      }
    }

    for (const [index, port] of (
      (container.ports ?? []) as Fields[]
    ).entries()) {
      if (!isUnsetOr(port.hostPort, 0)) {
        add(
          'hostPorts',
          `${path}.ports[${index}].hostPort`,
          `must be unset or 0, got ${port.hostPort}`,
        );
      }
    }

    if (
      !isUnsetOr(context.appArmorProfile?.type, 'RuntimeDefault', 'Localhost')
    ) {
      add(
        'appArmor',
        `${path}.securityContext.appArmorProfile.type`,
        `must be RuntimeDefault or Localhost, got ${context.appArmorProfile?.type}`,
      );
    }

    checkSeLinux(
      context.seLinuxOptions,
      `${path}.securityContext.seLinuxOptions`,
      add,
    );

    if (!isUnsetOr(context.procMount, 'Default')) {
      add(
        'procMount',
        `${path}.securityContext.procMount`,
        `must be unset or Default, got ${context.procMount}`,
      );
    }

    if (context.seccompProfile?.type === 'Unconfined') {
      add(
        'seccomp.baseline',
        `${path}.securityContext.seccompProfile.type`,
        'must not be Unconfined',
      );
    }
  }

  for (const [index, volume] of ((spec.volumes ?? []) as Fields[]).entries()) {
    if (volume.hostPath !== undefined) {
      add(
        'hostPathVolumes',
        `spec.volumes[${index}].hostPath`,
        `volume ${volume.name} must not use hostPath`,
      );
    }
  }

  if (
    !isUnsetOr(podContext.appArmorProfile?.type, 'RuntimeDefault', 'Localhost')
  ) {
    add(
      'appArmor',
      'spec.securityContext.appArmorProfile.type',
      `must be RuntimeDefault or Localhost, got ${podContext.appArmorProfile?.type}`,
    );
  }
  for (const [key, value] of Object.entries(
    template.metadata?.annotations ?? {},
  )) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
    if (value !== 'runtime/default' && !value.startsWith('localhost/')) {
      add(
        'appArmor',
        `metadata.annotations[${key}]`,
        `must be runtime/default or localhost/*, got ${value}`,
      );
    }
  }

  checkSeLinux(
    podContext.seLinuxOptions,
    'spec.securityContext.seLinuxOptions',
    add,
  );

  if (podContext.seccompProfile?.type === 'Unconfined') {
    add(
      'seccomp.baseline',
      'spec.securityContext.seccompProfile.type',
      'must not be Unconfined',
    );
  }

  for (const sysctl of (podContext.sysctls ?? []) as Fields[]) {
    if (!SAFE_SYSCTLS.has(sysctl.name)) {
      add(
        'sysctls',
        'spec.securityContext.sysctls',
        `${sysctl.name} is not in the safe set`,
      );
    }
  }

  return violations;
}

function checkSeLinux(
  options: Fields | undefined,
  path: string,
  add: (rule: string, path: string, message: string) => void,
): void {
  if (!options) return;
  if (!isUnsetOr(options.type, ...SELINUX_TYPES)) {
    add('seLinux', `${path}.type`, `type ${options.type} is not allowed`);
  }
  if (!isUnsetOr(options.user, '')) {
    add('seLinux', `${path}.user`, 'must be unset or empty');
  }
  if (!isUnsetOr(options.role, '')) {
    add('seLinux', `${path}.role`, 'must be unset or empty');
  }
}

/** Check one pod template against every `restricted` rule, baseline included. */
export function checkRestricted(template: PodTemplate): Violation[] {
  const violations = checkBaseline(template);
  const spec = template.spec;
  const podContext: Fields = spec.securityContext ?? {};
  const containers = allContainers(spec);
  const add = (rule: string, path: string, message: string) =>
    violations.push({ rule, path, message });

  // Pods that declare Windows are exempt from the Linux-only rules
  // (privilege escalation, seccomp, capabilities), as in the standard.
  const isWindows = spec.os?.name === 'windows';

  for (const [index, volume] of ((spec.volumes ?? []) as Fields[]).entries()) {
    const sources = Object.keys(volume).filter((key) => key !== 'name');
    for (const source of sources) {
      if (!RESTRICTED_VOLUME_SOURCES.has(source)) {
        add(
          'volumeTypes',
          `spec.volumes[${index}]`,
          `volume ${volume.name} uses ${source}, which restricted does not allow`,
        );
      }
    }
  }

  const podRunAsNonRoot = podContext.runAsNonRoot === true;
  if (podContext.runAsNonRoot === false) {
    add('runAsNonRoot', 'spec.securityContext.runAsNonRoot', 'must be true');
  }
  if (podContext.runAsUser === 0) {
    add('runAsUser', 'spec.securityContext.runAsUser', 'must not be 0');
  }
  const podSeccomp = podContext.seccompProfile?.type;
  const podSeccompSet =
    podSeccomp === 'RuntimeDefault' || podSeccomp === 'Localhost';

  for (const { path, container } of containers) {
    const context: Fields = container.securityContext ?? {};

    if (!isWindows && context.allowPrivilegeEscalation !== false) {
      add(
        'allowPrivilegeEscalation',
        `${path}.securityContext.allowPrivilegeEscalation`,
        'must be false',
      );
    }

    if (
      context.runAsNonRoot === false ||
      (!podRunAsNonRoot && context.runAsNonRoot !== true)
    ) {
      add(
        'runAsNonRoot',
        `${path}.securityContext.runAsNonRoot`,
        'must be true here or in the pod security context',
      );
    }

    if (context.runAsUser === 0) {
      add('runAsUser', `${path}.securityContext.runAsUser`, 'must not be 0');
    }

    const type = context.seccompProfile?.type;
    const containerSeccompOk =
      type === 'RuntimeDefault' ||
      type === 'Localhost' ||
      (type === undefined && podSeccompSet);
    if (!isWindows && !containerSeccompOk) {
      add(
        'seccomp.restricted',
        `${path}.securityContext.seccompProfile.type`,
        'must be RuntimeDefault or Localhost here or in the pod security context',
      );
    }

    if (!isWindows) {
      const capabilities: Fields = context.capabilities ?? {};
      const dropped = (capabilities.drop ?? []) as string[];
      if (!dropped.includes('ALL')) {
        add(
          'capabilities.restricted',
          `${path}.securityContext.capabilities.drop`,
          'must include ALL',
        );
      }
      for (const capability of (capabilities.add ?? []) as string[]) {
        if (capability !== 'NET_BIND_SERVICE') {
          add(
            'capabilities.restricted',
            `${path}.securityContext.capabilities.add`,
            `adds ${capability}; only NET_BIND_SERVICE is allowed`,
          );
        }
      }
    }
  }

  return violations;
}

/** Check the NSA/CISA hardening controls that Pod Security does not cover. */
export function checkHardening(template: PodTemplate): Violation[] {
  const violations: Violation[] = [];
  const spec = template.spec;
  const add = (rule: string, path: string, message: string) =>
    violations.push({ rule, path, message });

  // Checked on the pod itself, because a ServiceAccount's own setting can
  // be changed later by anyone who can edit that ServiceAccount.
  if (spec.automountServiceAccountToken !== false) {
    add(
      'automountServiceAccountToken',
      'spec.automountServiceAccountToken',
      'must be false',
    );
  }

  const runContainers = allContainers(spec).filter(
    ({ path }) => !path.startsWith('spec.ephemeralContainers'),
  );
  for (const { path, container } of runContainers) {
    if (container.securityContext?.readOnlyRootFilesystem !== true) {
      add(
        'readOnlyRootFilesystem',
        `${path}.securityContext.readOnlyRootFilesystem`,
        'must be true',
      );
    }
    // The project baseline is stricter than Pod Security `restricted`:
    // only the runtime's default seccomp profile, no added capability and
    // a fixed non-root UID and GID on every container.
    const seccomp =
      container.securityContext?.seccompProfile?.type ??
      spec.securityContext?.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault') {
      add(
        'seccompRuntimeDefault',
        `${path}.securityContext.seccompProfile.type`,
        `must be RuntimeDefault, not ${seccomp}`,
      );
    }
    if ((container.securityContext?.capabilities?.add ?? []).length > 0) {
      add(
        'noAddedCapabilities',
        `${path}.securityContext.capabilities.add`,
        'must be empty',
      );
    }
    for (const field of ['runAsUser', 'runAsGroup']) {
      const id =
        container.securityContext?.[field] ?? spec.securityContext?.[field];
      if (!Number.isInteger(id) || id === 0) {
        add(
          'fixedNonRootIds',
          `${path}.securityContext.${field}`,
          `must be a non-zero integer, not ${id}`,
        );
      }
    }

    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined) {
          add(
            'resources',
            `${path}.resources.${kind}.${resource}`,
            'must be set',
          );
        }
      }
    }
  }

  return violations;
}

const TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);

/** Collect the pod template of every workload among the objects. */
export function podTemplates(objects: KubeObject[]): NamedPodTemplate[] {
  const templates: NamedPodTemplate[] = [];
  for (const object of objects) {
    const owner = `${object.kind}/${object.metadata.name}`;
    const spec = object.spec as Fields | undefined;
    if (TEMPLATE_KINDS.has(object.kind)) {
      templates.push({ owner, template: spec?.template as PodTemplate });
    } else if (object.kind === 'CronJob') {
      templates.push({
        owner,
        template: spec?.jobTemplate?.spec?.template as PodTemplate,
      });
    } else if (object.kind === 'Pod') {
      templates.push({
        owner,
        template: { metadata: object.metadata, spec: spec ?? {} },
      });
    }
  }
  return templates;
}
