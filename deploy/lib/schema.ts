import type { KubeObject } from './render.ts';

// Module with the generated JSON-schema models of each API group and
// version that the manifests use. kubernetes-models 4.5 covers the
// Kubernetes API; the External Secrets CRDs have their own package.
const MODEL_MODULES: Record<string, string> = {
  v1: 'kubernetes-models/v1',
  'apps/v1': 'kubernetes-models/apps/v1',
  'autoscaling/v2': 'kubernetes-models/autoscaling/v2',
  'policy/v1': 'kubernetes-models/policy/v1',
  'networking.k8s.io/v1': 'kubernetes-models/networking.k8s.io/v1',
  'batch/v1': 'kubernetes-models/batch/v1',
  'external-secrets.io/v1':
    '@kubernetes-models/external-secrets/external-secrets.io/v1',
};

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/**
 * Validate one object against the schema of its apiVersion and kind.
 * Throws with the object's kind and name when the schema rejects it or
 * when no schema is known for its apiVersion and kind.
 *
 * NOTE: the generated schemas do not reject unknown fields, so a
 * misspelt field passes here; the Pod Security and manifest tests check
 * the security fields by their exact names.
 */
export async function validateObject(object: KubeObject): Promise<void> {
  const label = `${object.kind}/${object.metadata?.name}`;
  const modulePath = MODEL_MODULES[object.apiVersion];
  if (!modulePath) {
    throw new Error(`${label}: no schema for apiVersion ${object.apiVersion}`);
  }

  const models = (await import(modulePath)) as Record<string, unknown>;
  const Model = models[object.kind] as ModelClass | undefined;
  if (typeof Model !== 'function') {
    throw new Error(
      `${label}: no schema for kind ${object.kind} in ${object.apiVersion}`,
    );
  }

  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`, { cause: error });
  }
}
