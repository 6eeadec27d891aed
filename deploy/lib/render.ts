import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object; fields beyond the type meta are unchecked. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export const K8S_DIR = join(dirname(fileURLToPath(import.meta.url)), '../k8s');

export const OVERLAYS = ['dev', 'production'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** Render a kustomization folder (relative to deploy/k8s) to YAML text. */
export function renderYaml(kustomization: string): string {
  try {
    return execFileSync(
      'kubectl',
      ['kustomize', join(K8S_DIR, kustomization)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & {
      stderr?: string;
    };
    if (code === 'ENOENT') {
      throw new Error(
        'kubectl not found: install kubectl (tested with 1.32), which includes Kustomize',
        { cause: error },
      );
    }
    throw new Error(
      `kubectl kustomize ${kustomization} failed: ${stderr ?? String(error)}`,
      { cause: error },
    );
  }
}

const rendered = new Map<string, KubeObject[]>();

/**
 * Render a kustomization folder and parse every document in the output.
 * The rendering is cached per process; each call returns a fresh copy, so
 * callers may change the objects.
 */
export function renderObjects(kustomization: string): KubeObject[] {
  let objects = rendered.get(kustomization);
  if (!objects) {
    objects = parseObjects(renderYaml(kustomization), kustomization);
    rendered.set(kustomization, objects);
  }
  return structuredClone(objects);
}

function parseObjects(text: string, source: string): KubeObject[] {
  const documents = parseAllDocuments(text);
  return documents.map((document, index) => {
    if (document.errors.length > 0) {
      throw new Error(
        `Invalid YAML in document ${index} of ${source}: ${document.errors[0]?.message}`,
      );
    }
    return document.toJS() as KubeObject;
  });
}

export function renderOverlay(overlay: Overlay): KubeObject[] {
  return renderObjects(join('overlays', overlay));
}

export function findObject(
  objects: KubeObject[],
  kind: string,
  name: string,
): KubeObject {
  const found = objects.find(
    (object) => object.kind === kind && object.metadata.name === name,
  );
  if (!found)
    throw new Error(`${kind}/${name} not found in the rendered output`);
  return found;
}
