// A small Dockerfile reader and the hardening rules the shop's images
// must follow, plus .dockerignore matching, so both can be checked
// without a Docker engine.

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name?: string;
  baseImage: string;
  instructions: Instruction[];
}

export interface DockerfileViolation {
  rule: string;
  line: number;
  message: string;
}

/** Split a Dockerfile into instructions, joining continuation lines and dropping comments. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: string[] = [];
  let startLine = 0;

  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.trimEnd();
    const trimmed = line.trim();
    // Comment lines are removed even inside a continued instruction.
    if (trimmed.startsWith('#') || (trimmed === '' && pending.length === 0))
      return;
    if (pending.length === 0) startLine = index + 1;

    if (line.endsWith('\\')) {
      pending.push(line.slice(0, -1));
      return;
    }
    pending.push(line);

    const joined = pending.join(' ').trim();
    pending = [];
    const match = /^(\S+)\s*(.*)$/s.exec(joined);
    if (match) {
      instructions.push({
        keyword: (match[1] as string).toUpperCase(),
        args: (match[2] as string).trim(),
        line: startLine,
      });
    }
  });

  return instructions;
}

/** Group instructions into build stages, one per FROM. */
export function splitStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        baseImage: words[0] ?? '',
        ...(asIndex !== -1 && words[asIndex + 1]
          ? { name: words[asIndex + 1] }
          : {}),
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

// Names of build arguments and variables that must never carry a value
// in an image, because ENV and ARG values are stored in the image history.
const SECRET_NAME =
  /SECRET|PASSW(OR)?D|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL/i;
// Values that are secrets whatever their name: credentials inside a URL
// and AWS access key ids.
// The user may be empty, as in Redis URLs (redis://:password@host).
const SECRET_VALUE =
  /:\/\/[^/\s:@]*:[^/\s@]+@|[?&;](password|pass|pwd)=[^&\s]|\bAKIA[0-9A-Z]{16}\b/i;

// A shell as the program of CMD or ENTRYPOINT, by path or by name.
const SHELL_PROGRAM =
  /^\[\s*"(?:[^"]*\/)?(sh|bash|dash|ash|zsh|ksh|mksh|busybox)"/;

// Packages that only build or migrate and must not reach the runtime
// image when a workspace lists them among its production dependencies.
const BUILD_ONLY_PACKAGES = ['prisma', 'typescript', '@prisma/engines'];

const DEV_TOOLS = /\b(build-essential|gcc|g\+\+|make|python3?|git|curl|wget)\b/;

/** Whether an image reference names a fixed version or a digest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.split(':')[1] : undefined;
  return tag !== undefined && tag !== 'latest' && /^v?\d+\.\d+\.\d+/.test(tag);
}

function variableAssignments(args: string): [string, string][] {
  // ENV and ARG take `NAME=value ...`, `NAME value` (ENV only) or `NAME`.
  const assignments = [
    ...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g),
  ].map((match): [string, string] => [
    match[1] as string,
    (match[2] as string).replace(/^["']|["']$/g, ''),
  ]);
  if (assignments.length > 0) return assignments;

  const [name, ...rest] = args.split(/\s+/);
  return name ? [[name, rest.join(' ')]] : [];
}

export interface LintOptions {
  /**
   * Production dependencies of the image's workspace, from its
   * package.json. Build-only packages among them must be removed in the
   * dependencies stage.
   */
  productionDependencies?: string[];
}

/** Check a Dockerfile against the hardening rules of the shop's images. */
export function lintDockerfile(
  text: string,
  options: LintOptions = {},
): DockerfileViolation[] {
  const violations: DockerfileViolation[] = [];
  const add = (rule: string, line: number, message: string) =>
    violations.push({ rule, line, message });

  const instructions = parseDockerfile(text);
  const stages = splitStages(instructions);
  const stageNames = new Set(
    stages.flatMap((stage) => (stage.name ? [stage.name] : [])),
  );
  const finalStage = stages.at(-1);

  if (stages.length < 2) {
    add(
      'multi-stage',
      1,
      'the image must be a multi-stage build, so build tools stay out of the final stage',
    );
  }

  instructions.forEach((instruction) => {
    if (instruction.keyword === 'FROM') {
      const image =
        instruction.args.split(/\s+/).find((word) => !word.startsWith('--')) ??
        '';
      if (
        !stageNames.has(image) &&
        image !== 'scratch' &&
        !isPinnedImage(image)
      ) {
        add(
          'pinned-base',
          instruction.line,
          `base image ${image} is not pinned to a version or digest`,
        );
      }
    }

    if (
      instruction.keyword === 'ADD' &&
      /(^|[\s"'[,])(https?:\/\/|git@|git:\/\/)/.test(instruction.args)
    ) {
      add(
        'add-url',
        instruction.line,
        'ADD from a URL fetches unverified content; download in a RUN step with a checksum',
      );
    }

    if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
      for (const [name, value] of variableAssignments(instruction.args)) {
        if (SECRET_NAME.test(name)) {
          add(
            'secret',
            instruction.line,
            `${instruction.keyword} ${name} would store a secret in the image; pass it at run time`,
          );
        } else if (SECRET_VALUE.test(value)) {
          add(
            'secret',
            instruction.line,
            `${instruction.keyword} ${name} contains a credential`,
          );
        }
      }
    }
  });

  if (!finalStage) return violations;
  const finalLine = finalStage.instructions[0]?.line ?? 1;
  const lastOf = (keyword: string) =>
    finalStage.instructions
      .filter((instruction) => instruction.keyword === keyword)
      .at(-1);

  const user = lastOf('USER');
  if (!user) {
    add(
      'non-root-user',
      finalLine,
      'the final stage has no USER, so it runs as root',
    );
  } else if (!/^[1-9]\d*:[1-9]\d*$/.test(user.args)) {
    add(
      'non-root-user',
      user.line,
      `USER ${user.args} must be a fixed non-zero numeric UID:GID, so Kubernetes can verify runAsNonRoot`,
    );
  }

  for (const keyword of ['CMD', 'ENTRYPOINT']) {
    const instruction = lastOf(keyword);
    if (!instruction) continue;
    const execForm = instruction.args.startsWith('[');
    if (!execForm || SHELL_PROGRAM.test(instruction.args)) {
      add(
        'exec-form',
        instruction.line,
        `${keyword} must use the JSON exec form without a shell`,
      );
    }
  }
  if (!lastOf('CMD') && !lastOf('ENTRYPOINT')) {
    add('exec-form', finalLine, 'the final stage has no CMD or ENTRYPOINT');
  }

  const healthcheck = lastOf('HEALTHCHECK');
  if (healthcheck && !/^NONE$/i.test(healthcheck.args)) {
    add(
      'no-healthcheck',
      healthcheck.line,
      'Kubernetes probes check health; the image must not declare a HEALTHCHECK',
    );
  }

  for (const instruction of finalStage.instructions) {
    if (instruction.keyword !== 'RUN') continue;
    if (
      /\b(npm|yarn|pnpm)\s+(ci|i|install|add)\b|\bapt-get\s+install\b|\bapk\s+add\b/.test(
        instruction.args,
      )
    ) {
      add(
        'production-only',
        instruction.line,
        'the final stage must not install packages; copy them from a dependencies stage',
      );
    }
    if (
      DEV_TOOLS.test(instruction.args) &&
      /\binstall\b|\badd\b/.test(instruction.args)
    ) {
      add(
        'production-only',
        instruction.line,
        'the final stage must not install build tools',
      );
    }
  }

  // node_modules copied into the final stage must come from a stage that
  // installed production dependencies only.
  for (const instruction of finalStage.instructions) {
    if (
      instruction.keyword !== 'COPY' ||
      !instruction.args.includes('node_modules')
    )
      continue;
    const from = /--from=(\S+)/.exec(instruction.args)?.[1];
    const source = stages.find((stage) => stage.name === from);
    const production = source?.instructions.some(
      (step) =>
        step.keyword === 'RUN' &&
        /\bnpm\s+ci\b/.test(step.args) &&
        /--omit=dev\b/.test(step.args),
    );
    if (!production) {
      add(
        'production-only',
        instruction.line,
        `node_modules come from ${from ?? 'the build context'}, which does not run npm ci --omit=dev`,
      );
    }
  }

  // A COPY of a whole stage from a stage that installed dev dependencies
  // brings its node_modules along, which the node_modules rule misses.
  for (const instruction of finalStage.instructions) {
    if (instruction.keyword !== 'COPY') continue;
    const from = /--from=(\S+)/.exec(instruction.args)?.[1];
    if (!from) continue;
    const source = stages.find((stage) => stage.name === from);
    if (source && isProductionStage(source)) continue;
    for (const path of copySources(instruction.args)) {
      const normalized = path.replace(/\/+$/, '') || '/';
      if (['/', '/app', '.', ''].includes(normalized)) {
        add(
          'production-only',
          instruction.line,
          `COPY --from=${from} ${path} copies the whole stage, including its dev dependencies; copy the built output only`,
        );
      }
    }
  }

  // Build-only packages listed as production dependencies must be removed
  // in the stage that installs them.
  const productionStage = stages.find(isProductionStage);
  for (const name of options.productionDependencies ?? []) {
    if (!BUILD_ONLY_PACKAGES.includes(name) || !productionStage) continue;
    const removed = productionStage.instructions.some(
      (step) =>
        step.keyword === 'RUN' &&
        new RegExp(
          `\\brm\\s+-rf\\b[^&;]*\\bnode_modules/${name.replace('/', '\\/')}(\\s|$)`,
        ).test(step.args),
    );
    if (!removed) {
      add(
        'production-only',
        productionStage.instructions[0]?.line ?? 1,
        `${name} is a production dependency but only builds or migrates; remove node_modules/${name} in the dependencies stage`,
      );
    }
  }

  // npm installs a workspace's dependency under apps/<name>/node_modules
  // when the root node_modules contains another version of it, so the final
  // stage must copy that folder next to the root one.
  const workdir = lastOf('WORKDIR')?.args;
  const rootModules = finalStage.instructions.find(
    (instruction) =>
      instruction.keyword === 'COPY' &&
      /\s\/app\/node_modules\s/.test(` ${instruction.args} `),
  );
  if (rootModules && workdir && workdir.startsWith('/app/')) {
    const from = /--from=(\S+)/.exec(rootModules.args)?.[1];
    const nested = `${workdir}/node_modules`;
    const copied = finalStage.instructions.some(
      (instruction) =>
        instruction.keyword === 'COPY' &&
        instruction.args.includes(`--from=${from}`) &&
        copySources(instruction.args).includes(nested),
    );
    if (!copied) {
      add(
        'workspace-modules',
        rootModules.line,
        `the final stage copies /app/node_modules but not ${nested}, where npm nests the workspace's own versions of dependencies`,
      );
    }
  }

  return violations;
}

function isProductionStage(stage: Stage): boolean {
  return stage.instructions.some(
    (step) =>
      step.keyword === 'RUN' &&
      /\bnpm\s+ci\b/.test(step.args) &&
      /--omit=dev\b/.test(step.args),
  );
}

/** Return the source paths of a COPY instruction's arguments (flags and destination removed). */
export function copySources(args: string): string[] {
  const words = copyWords(args);
  return words.slice(0, -1);
}

/** Split COPY arguments into paths, in JSON or plain form, without the flags. */
export function copyWords(args: string): string[] {
  const withoutFlags = args.replace(/--\S+\s+/g, '').trim();
  if (withoutFlags.startsWith('[')) return JSON.parse(withoutFlags) as string[];
  return withoutFlags.split(/\s+/);
}

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  const cleaned = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  for (let index = 0; index < cleaned.length; index++) {
    const character = cleaned[index] as string;
    if (cleaned.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (cleaned.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (character === '*') {
      source += '[^/]*';
    } else if (character === '?') {
      source += '[^/]';
    } else {
      source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/**
 * Return true when the .dockerignore rules keep a path (relative to the context root)
 * out of the build context. A pattern that matches a folder excludes
 * everything below it; later `!` patterns re-include, as in Docker.
 */
export function isIgnored(dockerignore: string, path: string): boolean {
  const rules = dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => ({
      negated: line.startsWith('!'),
      regexp: patternToRegExp(line.replace(/^!/, '')),
    }));

  const parts = path.split('/');
  const prefixes = parts.map((_, index) => parts.slice(0, index + 1).join('/'));

  let ignored = false;
  for (const rule of rules) {
    if (prefixes.some((prefix) => rule.regexp.test(prefix)))
      ignored = !rule.negated;
  }
  return ignored;
}
