// Runs a command the way the Kubernetes manifests run the shop's
// containers, but without a container runtime. The command runs under
// bubblewrap (bwrap) as the manifests' non-root UID/GID. A folder staged
// with the image's file layout is mounted read-only at /app, /dev is
// read-only, and only the manifests' emptyDir paths are writable.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';

export interface SandboxOptions {
  /** Host folder mounted read-only at /app, staged with the image's layout. */
  appRoot: string;
  /** Paths inside the sandbox that get an empty writable tmpfs. */
  writablePaths: string[];
  uid: number;
  gid: number;
  /** Working folder inside the sandbox. */
  cwd: string;
  env: Record<string, string>;
}

/** Return the path of the bwrap binary, or undefined when it is not installed. */
export function findBwrap(): string | undefined {
  const result = spawnSync('sh', ['-c', 'command -v bwrap'], {
    encoding: 'utf8',
  });
  const path = result.stdout.trim();
  return result.status === 0 && path !== '' ? path : undefined;
}

/** Build the argument list of a bwrap call that runs `command` in the sandbox. */
export function sandboxArguments(
  options: SandboxOptions,
  command: string[],
): string[] {
  const args = [
    '--unshare-user',
    '--uid',
    String(options.uid),
    '--gid',
    String(options.gid),
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--die-with-parent',
    '--new-session',
    '--ro-bind',
    '/usr',
    '/usr',
    '--ro-bind',
    '/etc',
    '/etc',
  ];

  // Debian and Ubuntu link /bin and /lib into /usr; recreate the links.
  for (const link of ['bin', 'sbin', 'lib', 'lib64']) {
    args.push('--symlink', `usr/${link}`, `/${link}`);
  }

  // Node.js may live outside /usr, for example where CI installs it.
  const nodePrefix = dirname(dirname(process.execPath));
  if (!nodePrefix.startsWith('/usr'))
    args.push('--ro-bind', nodePrefix, nodePrefix);

  args.push(
    '--ro-bind',
    options.appRoot,
    '/app',
    // bwrap's /dev is a tmpfs owned by the sandbox user. Kubernetes gives
    // a root-owned /dev, so it is made read-only here. NOTE: this is
    // stricter than Kubernetes for /dev/shm, which pods may write.
    '--dev',
    '/dev',
    '--remount-ro',
    '/dev',
    '--proc',
    '/proc',
  );
  for (const path of options.writablePaths) {
    args.push('--tmpfs', path);
  }

  // The sandbox's own root is a tmpfs; making it read-only leaves the
  // tmpfs mounts above as the only writable places.
  args.push('--remount-ro', '/', '--chdir', options.cwd, '--clearenv');
  for (const [name, value] of Object.entries(options.env)) {
    args.push('--setenv', name, value);
  }

  return [...args, '--', ...command];
}

/**
 * Return true when the sandbox UID/GID can read the staged /app folder on
 * the host, which bwrap needs because it runs as that user when started
 * by root through setpriv.
 */
function uidCanReadAppRoot(options: SandboxOptions): boolean {
  const result = spawnSync('setpriv', [
    `--reuid=${options.uid}`,
    `--regid=${options.gid}`,
    '--clear-groups',
    '--',
    'test',
    '-x',
    options.appRoot,
  ]);
  return result.status === 0;
}

/**
 * Start a command in the sandbox. When this process runs as root, the
 * command first drops to the sandbox UID/GID with setpriv, so it is
 * unprivileged on the host as well as inside its user namespace.
 *
 * NOTE: if that UID cannot read the staged folder (a checkout under a
 * private home folder, for example), root starts bwrap itself. The command
 * still runs as the sandbox UID without capabilities and with the same
 * read-only mounts, but files of the host's root user then appear to be
 * its own.
 */
export function startSandboxed(
  options: SandboxOptions,
  command: string[],
): ChildProcess {
  const bwrap = findBwrap();
  if (!bwrap) {
    throw new Error(
      'bwrap is not installed: install the bubblewrap package (apt-get install bubblewrap)',
    );
  }

  const args = sandboxArguments(options, command);
  const dropToUid = process.getuid?.() === 0 && uidCanReadAppRoot(options);
  const [program, programArgs] = dropToUid
    ? [
        'setpriv',
        [
          `--reuid=${options.uid}`,
          `--regid=${options.gid}`,
          '--clear-groups',
          '--',
          bwrap,
          ...args,
        ],
      ]
    : [bwrap, args];

  return spawn(program, programArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Run a short command in the sandbox and return its exit code and output. */
export function runSandboxed(
  options: SandboxOptions,
  command: string[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = startSandboxed(options, command);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
