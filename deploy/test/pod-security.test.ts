import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  HARDENING_RULES,
  RESTRICTED_RULES,
  checkHardening,
  checkRestricted,
  podTemplates,
  type PodTemplate,
} from '../lib/pod-security.ts';
import { OVERLAYS, findObject, renderOverlay } from '../lib/render.ts';

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures are free-form

// A compliant pod template to corrupt one rule at a time: the API pod of
// the production overlay, which has an init container too.
function compliantTemplate(): PodTemplate {
  const deployment = findObject(
    renderOverlay('production'),
    'Deployment',
    'api',
  );
  return structuredClone((deployment.spec as Spec).template) as PodTemplate;
}

interface BadCase {
  rule: string;
  name: string;
  corrupt: (template: PodTemplate) => void;
}

const main = (template: PodTemplate): Spec => template.spec.containers[0];
const init = (template: PodTemplate): Spec => template.spec.initContainers[0];

const RESTRICTED_CASES: BadCase[] = [
  {
    rule: 'hostProcess',
    name: 'pod hostProcess',
    corrupt: (t) => {
      t.spec.securityContext.windowsOptions = { hostProcess: true };
    },
  },
  {
    rule: 'hostProcess',
    name: 'container hostProcess',
    corrupt: (t) => {
      main(t).securityContext.windowsOptions = { hostProcess: true };
    },
  },
  {
    rule: 'hostNamespaces',
    name: 'hostNetwork',
    corrupt: (t) => {
      t.spec.hostNetwork = true;
    },
  },
  {
    rule: 'hostNamespaces',
    name: 'hostPID',
    corrupt: (t) => {
      t.spec.hostPID = true;
    },
  },
  {
    rule: 'hostNamespaces',
    name: 'hostIPC',
    corrupt: (t) => {
      t.spec.hostIPC = true;
    },
  },
  {
    rule: 'privileged',
    name: 'privileged container',
    corrupt: (t) => {
      main(t).securityContext.privileged = true;
    },
  },
  {
    rule: 'privileged',
    name: 'privileged init container',
    corrupt: (t) => {
      init(t).securityContext.privileged = true;
    },
  },
  {
    rule: 'capabilities.baseline',
    name: 'SYS_ADMIN added',
    corrupt: (t) => {
      main(t).securityContext.capabilities.add = ['SYS_ADMIN'];
    },
  },
  {
    rule: 'capabilities.restricted',
    name: 'CHOWN added',
    corrupt: (t) => {
      main(t).securityContext.capabilities.add = ['CHOWN'];
    },
  },
  {
    rule: 'capabilities.restricted',
    name: 'ALL not dropped',
    corrupt: (t) => {
      main(t).securityContext.capabilities.drop = ['NET_RAW'];
    },
  },
  {
    rule: 'capabilities.restricted',
    name: 'init ALL not dropped',
    corrupt: (t) => {
      delete init(t).securityContext.capabilities;
    },
  },
  {
    rule: 'hostPathVolumes',
    name: 'hostPath volume',
    corrupt: (t) => {
      t.spec.volumes.push({ name: 'host', hostPath: { path: '/' } });
    },
  },
  {
    rule: 'hostPorts',
    name: 'hostPort',
    corrupt: (t) => {
      main(t).ports[0].hostPort = 4000;
    },
  },
  {
    rule: 'appArmor',
    name: 'pod Unconfined profile',
    corrupt: (t) => {
      t.spec.securityContext.appArmorProfile = { type: 'Unconfined' };
    },
  },
  {
    rule: 'appArmor',
    name: 'container Unconfined profile',
    corrupt: (t) => {
      main(t).securityContext.appArmorProfile = { type: 'Unconfined' };
    },
  },
  {
    rule: 'appArmor',
    name: 'unconfined annotation',
    corrupt: (t) => {
      t.metadata = {
        ...t.metadata,
        annotations: {
          'container.apparmor.security.beta.kubernetes.io/api': 'unconfined',
        },
      };
    },
  },
  {
    rule: 'seLinux',
    name: 'spc_t type',
    corrupt: (t) => {
      t.spec.securityContext.seLinuxOptions = { type: 'spc_t' };
    },
  },
  {
    rule: 'seLinux',
    name: 'custom user',
    corrupt: (t) => {
      main(t).securityContext.seLinuxOptions = { user: 'system_u' };
    },
  },
  {
    rule: 'seLinux',
    name: 'custom role',
    corrupt: (t) => {
      main(t).securityContext.seLinuxOptions = { role: 'sysadm_r' };
    },
  },
  {
    rule: 'procMount',
    name: 'Unmasked procMount',
    corrupt: (t) => {
      main(t).securityContext.procMount = 'Unmasked';
    },
  },
  {
    rule: 'seccomp.baseline',
    name: 'pod Unconfined seccomp',
    corrupt: (t) => {
      t.spec.securityContext.seccompProfile = { type: 'Unconfined' };
    },
  },
  {
    rule: 'seccomp.baseline',
    name: 'container Unconfined seccomp',
    corrupt: (t) => {
      main(t).securityContext.seccompProfile = { type: 'Unconfined' };
    },
  },
  {
    rule: 'seccomp.restricted',
    name: 'seccomp unset everywhere',
    corrupt: (t) => {
      delete t.spec.securityContext.seccompProfile;
      delete main(t).securityContext.seccompProfile;
    },
  },
  {
    rule: 'sysctls',
    name: 'unsafe sysctl',
    corrupt: (t) => {
      t.spec.securityContext.sysctls = [
        { name: 'kernel.msgmax', value: '65536' },
      ];
    },
  },
  {
    rule: 'volumeTypes',
    name: 'nfs volume',
    corrupt: (t) => {
      t.spec.volumes.push({
        name: 'share',
        nfs: { server: 'nfs.example', path: '/' },
      });
    },
  },
  {
    rule: 'volumeTypes',
    name: 'hostPath volume',
    corrupt: (t) => {
      t.spec.volumes.push({ name: 'host', hostPath: { path: '/var' } });
    },
  },
  {
    rule: 'allowPrivilegeEscalation',
    name: 'escalation allowed',
    corrupt: (t) => {
      main(t).securityContext.allowPrivilegeEscalation = true;
    },
  },
  {
    rule: 'allowPrivilegeEscalation',
    name: 'escalation unset',
    corrupt: (t) => {
      delete init(t).securityContext.allowPrivilegeEscalation;
    },
  },
  {
    rule: 'runAsNonRoot',
    name: 'container runAsNonRoot false',
    corrupt: (t) => {
      main(t).securityContext.runAsNonRoot = false;
    },
  },
  {
    rule: 'runAsNonRoot',
    name: 'unset everywhere',
    corrupt: (t) => {
      delete t.spec.securityContext.runAsNonRoot;
      delete main(t).securityContext.runAsNonRoot;
    },
  },
  {
    rule: 'runAsUser',
    name: 'pod runs as UID 0',
    corrupt: (t) => {
      t.spec.securityContext.runAsUser = 0;
    },
  },
  {
    rule: 'runAsUser',
    name: 'container runs as UID 0',
    corrupt: (t) => {
      init(t).securityContext.runAsUser = 0;
    },
  },
  {
    rule: 'privileged',
    name: 'privileged ephemeral container',
    corrupt: (t) => {
      t.spec.ephemeralContainers = [
        {
          name: 'debug',
          image: 'busybox:1.37',
          securityContext: { ...main(t).securityContext, privileged: true },
        },
      ];
    },
  },
];

const HARDENING_CASES: BadCase[] = [
  {
    rule: 'seccompRuntimeDefault',
    name: 'Localhost seccomp profile',
    corrupt: (t) => {
      main(t).securityContext.seccompProfile = {
        type: 'Localhost',
        localhostProfile: 'profiles/allow-all.json',
      };
    },
  },
  {
    rule: 'noAddedCapabilities',
    name: 'NET_BIND_SERVICE added',
    corrupt: (t) => {
      main(t).securityContext.capabilities.add = ['NET_BIND_SERVICE'];
    },
  },
  {
    rule: 'fixedNonRootIds',
    name: 'group 0',
    corrupt: (t) => {
      main(t).securityContext.runAsGroup = 0;
    },
  },
  {
    rule: 'fixedNonRootIds',
    name: 'runAsUser unset',
    corrupt: (t) => {
      delete t.spec.securityContext.runAsUser;
      delete main(t).securityContext.runAsUser;
    },
  },
  {
    rule: 'readOnlyRootFilesystem',
    name: 'writable root',
    corrupt: (t) => {
      main(t).securityContext.readOnlyRootFilesystem = false;
    },
  },
  {
    rule: 'readOnlyRootFilesystem',
    name: 'init writable root',
    corrupt: (t) => {
      delete init(t).securityContext.readOnlyRootFilesystem;
    },
  },
  {
    rule: 'automountServiceAccountToken',
    name: 'token mounted',
    corrupt: (t) => {
      delete t.spec.automountServiceAccountToken;
    },
  },
  {
    rule: 'resources',
    name: 'no memory limit',
    corrupt: (t) => {
      delete main(t).resources.limits.memory;
    },
  },
  {
    rule: 'resources',
    name: 'no cpu request',
    corrupt: (t) => {
      delete init(t).resources.requests.cpu;
    },
  },
];

describe('pod security', () => {
  for (const overlay of OVERLAYS) {
    const templates = podTemplates(renderOverlay(overlay));

    test(`pod security - ${overlay} has pod templates`, () => {
      assert.ok(
        templates.length >= 2,
        `${overlay} has ${templates.length} pod templates`,
      );
    });

    for (const { owner, template } of templates) {
      test(`pod security - ${overlay} ${owner} restricted`, () => {
        assert.deepEqual(checkRestricted(template), []);
      });

      test(`pod security - ${overlay} ${owner} hardened`, () => {
        assert.deepEqual(checkHardening(template), []);
      });
    }
  }

  test('pod security - compliant fixture passes', () => {
    assert.deepEqual(checkRestricted(compliantTemplate()), []);
    assert.deepEqual(checkHardening(compliantTemplate()), []);
  });

  for (const badCase of RESTRICTED_CASES) {
    test(`pod security - catches ${badCase.name}`, () => {
      const template = compliantTemplate();
      badCase.corrupt(template);
      const rules = checkRestricted(template).map(
        (violation) => violation.rule,
      );
      assert.ok(
        rules.includes(badCase.rule),
        `expected ${badCase.rule}, got [${rules.join(', ')}]`,
      );
    });
  }

  for (const badCase of HARDENING_CASES) {
    test(`pod security - catches ${badCase.name}`, () => {
      const template = compliantTemplate();
      badCase.corrupt(template);
      const rules = checkHardening(template).map((violation) => violation.rule);
      assert.ok(
        rules.includes(badCase.rule),
        `expected ${badCase.rule}, got [${rules.join(', ')}]`,
      );
    });
  }

  test('pod security - every rule has a bad case', () => {
    const covered = new Set(
      [...RESTRICTED_CASES, ...HARDENING_CASES].map((badCase) => badCase.rule),
    );
    for (const rule of [...RESTRICTED_RULES, ...HARDENING_RULES]) {
      assert.ok(covered.has(rule), `no bad pod spec for rule ${rule}`);
    }
  });

  test('pod security - NET_BIND_SERVICE may be added', () => {
    const template = compliantTemplate();
    main(template).securityContext.capabilities.add = ['NET_BIND_SERVICE'];
    assert.deepEqual(checkRestricted(template), []);
  });

  test('pod security - pod-level seccomp suffices', () => {
    const template = compliantTemplate();
    delete main(template).securityContext.seccompProfile;
    delete init(template).securityContext.seccompProfile;
    assert.deepEqual(checkRestricted(template), []);
  });

  test('pod security - Windows pod exempt from Linux rules', () => {
    const template = compliantTemplate();
    template.spec.os = { name: 'windows' };
    delete main(template).securityContext.allowPrivilegeEscalation;
    delete main(template).securityContext.capabilities;
    assert.deepEqual(checkRestricted(template), []);
  });
});
