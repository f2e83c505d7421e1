import { deployImage } from './deploy.js';
import type { EnvVariable, Feature, GeneratedFile, ProjectFeatures } from './feature.js';

/** Values a cluster runs with where they differ from the development defaults of `.env.example`. */
const inCluster: Readonly<Record<string, string>> = { NODE_ENV: 'production' };

function variablesOf(features: readonly Feature[], secret: boolean): EnvVariable[] {
  return features.flatMap((feature) => feature.env ?? []).filter((variable) => (variable.secret ?? false) === secret);
}

/** The ConfigMap: every variable that is not a secret, with its default and meaning. */
function configMap({ name, features }: ProjectFeatures): GeneratedFile {
  const data = variablesOf(features, false)
    .map((variable) => {
      const value = variable.inCluster ?? inCluster[variable.name] ?? variable.value;
      return `  # ${variable.comment}\n  ${variable.name}: ${JSON.stringify(value)}\n`;
    })
    .join('');
  return {
    path: 'deploy/kubernetes/configmap.yaml',
    content: `# Every setting that is not a secret (those come from secret.env). Pods read it at start:
# after a change, \`kubectl rollout restart deployment/${name}\`.
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  labels:
    app.kubernetes.io/name: ${name}
data:
${data}`,
  };
}

/** The template of secret.env, from which kustomize makes the Secret: names and meanings, no values. */
function secretTemplate({ features }: ProjectFeatures): GeneratedFile {
  const entries = variablesOf(features, true).map((variable) => `# ${variable.comment}\n${variable.name}=\n`);
  return {
    path: 'deploy/kubernetes/secret.env.example',
    content: `# Copy to secret.env (git ignores it), fill it in, then \`kubectl apply -k deploy/kubernetes\`.
# Real values never go into git: in CI, write secret.env from your secret store.
${entries.map((entry) => `\n${entry}`).join('')}`,
  };
}

/**
 * Kubernetes manifests applied with kustomize: a Deployment with probes, limits and a graceful
 * stop, a Service, an autoscaler from two replicas, a disruption budget, the settings as a
 * ConfigMap, the secrets from an ignored file, and a migration Job.
 */
export const deployKubernetes: Feature = {
  id: 'deploy-kubernetes',
  uses: [deployImage],
  generate: (project) => [configMap(project), secretTemplate(project)],
  readme: [
    { place: 'readmeStack', order: 51, text: ', Kubernetes' },
    { place: 'readmeDeploy', order: 30, template: 'readme-deploy.md.hbs' },
    {
      place: 'readmeDeployChecked',
      order: 20,
      text: ' and validate every manifest against the\nKubernetes API schemas',
    },
    {
      place: 'readmeScalabilityDeploy',
      order: 12,
      text: ', `deploy/kubernetes/` (autoscaler from two replicas, disruption budget, probes, graceful stop)',
    },
    { place: 'readmeLayoutRoot', text: 'deploy/kubernetes/     manifests applied with `kubectl apply -k`' },
  ],
};
