/** The files `--auth jwt` adds. */
export const authFiles = [
  'src/modules/auth/passwords.ts',
  'src/modules/auth/repository.ts',
  'src/modules/auth/routes.ts',
  'src/modules/auth/schemas.ts',
  'src/modules/auth/tokens.ts',
  'src/plugins/authenticate.ts',
  'test/auth.test.ts',
  'test/token-attacks.test.ts',
];

/** The files `--cache memory` adds. */
export const cacheFiles = [
  'src/cache/cache.ts',
  'src/cache/memory.ts',
  'src/modules/items/cache.ts',
  'src/plugins/cache.ts',
  'test/cache.test.ts',
];

/** The image every deployment runs (`--deploy docker` or `kubernetes`). */
export const imageFiles = ['.dockerignore', 'Dockerfile'];

/** The files `--deploy kubernetes` adds beside the image. */
export const kubernetesFiles = [
  'deploy/kubernetes/.gitignore',
  'deploy/kubernetes/configmap.yaml',
  'deploy/kubernetes/deployment.yaml',
  'deploy/kubernetes/hpa.yaml',
  'deploy/kubernetes/kustomization.yaml',
  'deploy/kubernetes/migrate-job.yaml',
  'deploy/kubernetes/pdb.yaml',
  'deploy/kubernetes/secret.env.example',
  'deploy/kubernetes/service.yaml',
];
