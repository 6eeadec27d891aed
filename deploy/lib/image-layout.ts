// Assembles, without Docker, the file tree that a Dockerfile's final
// stage would contain, so the read-only run starts the apps from the
// image's layout rather than from the repository. Files are hard-linked
// from the repository, so staging takes about a second.
//
// Sources of each final-stage COPY are mapped like this:
// - from the build context: the repository, minus .dockerignore matches;
// - from a stage that runs `npm ci --omit=dev`: only the packages that
//   `npm ls --omit=dev --parseable --all` lists for the workspace, so a
//   dependency moved to devDependencies is missing, as in the image;
// - from any other stage: the repository after `npm run build`, which is
//   what that stage produces.
// Paths that a stage removes with `rm -rf` are left out.

import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
} from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';

import {
  copyWords,
  isIgnored,
  parseDockerfile,
  splitStages,
  type Stage,
} from './dockerfile.ts';

export interface StagedImage {
  /** Host folder with the contents of the image's /app. */
  appRoot: string;
  /** Image paths, below /app, that the final stage copies. */
  copiedPaths: string[];
}

const IMAGE_APP = '/app';

/** Return the paths, relative to /app, that `rm -rf` removes in a stage's RUN steps. */
function removedPaths(stage: Stage): string[] {
  const removed: string[] = [];
  let workdir = IMAGE_APP;
  for (const step of stage.instructions) {
    if (step.keyword === 'WORKDIR') workdir = posix.resolve(workdir, step.args);
    if (step.keyword !== 'RUN') continue;
    for (const match of step.args.matchAll(/\brm\s+-rf\s+([^&;|]+)/g)) {
      for (const word of (match[1] as string).trim().split(/\s+/)) {
        removed.push(posix.relative(IMAGE_APP, posix.resolve(workdir, word)));
      }
    }
  }
  return removed;
}

function isBelow(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

/**
 * Hard-link a file tree into place. Symbolic links are recreated as they
 * are. `skip` receives each source path and returns true to leave it out.
 */
function linkTree(
  source: string,
  target: string,
  skip: (path: string) => boolean,
): void {
  if (skip(source)) return;
  const stat = lstatSync(source);
  mkdirSync(dirname(target), { recursive: true });
  if (stat.isSymbolicLink()) {
    if (!entryExists(target)) symlinkSync(readlinkSync(source), target);
  } else if (stat.isDirectory()) {
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(source))
      linkTree(join(source, entry), join(target, entry), skip);
  } else if (!entryExists(target)) {
    linkSync(source, target);
  }
}

/** Return true when a file, folder or link, even a dangling link, exists at `path`. */
function entryExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** List the production packages of a workspace, relative to the repository root. */
export function productionPackages(
  repositoryRoot: string,
  workspace: string,
): string[] {
  const result = spawnSync(
    'npm',
    ['ls', '--omit=dev', '--parseable', '--all', '--workspace', workspace],
    { cwd: repositoryRoot, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(
      `npm ls --omit=dev --workspace ${workspace} failed (run npm install first):\n${result.stderr}`,
    );
  }
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => relative(repositoryRoot, line))
    .filter((path) => path.split('/').includes('node_modules'));
}

/**
 * Build the final stage's /app of `dockerfile` under `stagingRoot`.
 * `workspace` is the npm workspace whose production dependencies the
 * dependencies stage installs.
 */
export function stageImage(
  repositoryRoot: string,
  dockerfile: string,
  workspace: string,
  stagingRoot: string,
): StagedImage {
  const stages = splitStages(
    parseDockerfile(readFileSync(join(repositoryRoot, dockerfile), 'utf8')),
  );
  const finalStage = stages.at(-1);
  if (!finalStage) throw new Error(`${dockerfile} has no FROM instruction`);
  const dockerignore = readFileSync(
    join(repositoryRoot, '.dockerignore'),
    'utf8',
  );

  mkdirSync(stagingRoot, { recursive: true });
  chmodSync(stagingRoot, 0o755);
  const copiedPaths: string[] = [];
  let workdir = '/';
  let packages: string[] | undefined;

  for (const step of finalStage.instructions) {
    if (step.keyword === 'WORKDIR') workdir = posix.resolve(workdir, step.args);
    if (step.keyword !== 'COPY') continue;

    const words = copyWords(step.args);
    const destinationWord = words.at(-1) as string;
    const sources = words.slice(0, -1);
    const destination = posix.resolve(workdir, destinationWord);
    const intoFolder = sources.length > 1 || destinationWord.endsWith('/');
    if (!isBelow(destination, IMAGE_APP)) {
      throw new Error(
        `${dockerfile}:${step.line}: COPY to ${destination} is outside ${IMAGE_APP}, which the staging does not support`,
      );
    }

    const fromName = /--from=(\S+)/.exec(step.args)?.[1];
    const fromStage = stages.find((stage) => stage.name === fromName);
    if (fromName && !fromStage) {
      throw new Error(
        `${dockerfile}:${step.line}: COPY --from=${fromName} names no stage of this file`,
      );
    }
    const removed = fromStage ? removedPaths(fromStage) : [];
    const productionOnly = fromStage?.instructions.some(
      (instruction) =>
        instruction.keyword === 'RUN' &&
        /\bnpm\s+ci\b/.test(instruction.args) &&
        /--omit=dev\b/.test(instruction.args),
    );
    if (productionOnly && packages === undefined)
      packages = productionPackages(repositoryRoot, workspace);

    for (const source of sources) {
      // Stage sources are image paths below /app, context sources are
      // relative to the repository root.
      const sourceRelative = fromStage
        ? posix.relative(IMAGE_APP, posix.resolve(IMAGE_APP, source))
        : posix.normalize(source);
      const hostSource = join(repositoryRoot, sourceRelative);
      const target = join(
        stagingRoot,
        posix.relative(IMAGE_APP, destination),
        intoFolder ? basename(sourceRelative) : '',
      );
      copiedPaths.push(
        posix.join(destination, intoFolder ? basename(sourceRelative) : ''),
      );

      const skip = (path: string): boolean => {
        const fromRoot = relative(repositoryRoot, path);
        if (removed.some((folder) => isBelow(fromRoot, folder))) return true;
        if (!fromStage) return isIgnored(dockerignore, fromRoot);
        return false;
      };

      if (productionOnly) {
        // Link each production package, without its nested node_modules,
        // which npm ls lists as packages of their own when they are needed.
        for (const packagePath of packages ?? []) {
          if (!isBelow(packagePath, sourceRelative)) continue;
          const packageTarget = join(
            target,
            relative(sourceRelative, packagePath),
          );
          const hostPackage = join(repositoryRoot, packagePath);
          linkTree(
            hostPackage,
            packageTarget,
            (path) =>
              skip(path) ||
              (path !== hostPackage &&
                basename(path) === 'node_modules' &&
                dirname(path) === hostPackage),
          );
        }
        mkdirSync(target, { recursive: true });
      } else if (existsSync(hostSource)) {
        linkTree(hostSource, target, skip);
      } else {
        throw new Error(
          `${dockerfile}:${step.line}: COPY source ${source} is missing at ${hostSource}`,
        );
      }
    }
  }

  return { appRoot: stagingRoot, copiedPaths };
}
