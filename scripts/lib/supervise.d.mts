// Types of supervise.mjs for the TypeScript tests that import it.
export interface SupervisedService {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export function storefrontApiUrl(env: NodeJS.ProcessEnv): string;

export function serviceEnvironments(env: Record<string, string | undefined>): {
  api: NodeJS.ProcessEnv;
  web: NodeJS.ProcessEnv;
};

export function stoppedCleanly(
  code: number | null,
  exitSignal: NodeJS.Signals | null,
  signal: NodeJS.Signals | undefined,
): boolean;

export function superviseChildren(
  services: SupervisedService[],
  options: { cwd: string },
): void;
