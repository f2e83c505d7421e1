import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { migrateCommand } from '../../generators/deploy.js';
import { type Stack, valuesOf } from '../../src/catalogue.js';
import { withDefaults } from '../../src/options.js';
import { planProject } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { scratchDir, writeRendered } from '../helpers.js';

/**
 * The Kubernetes OpenAPI schemas, as compiled by kubernetes-models (shipped in the package, so
 * nothing is fetched): one model per apiVersion and kind the manifests use.
 */
const models: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'autoscaling/v2 HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1 Job': Job,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'v1 ConfigMap': ConfigMap,
  'v1 Service': Service,
};

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked against the schemas, then read freely.
  spec?: any;
  data?: Record<string, string>;
}

/** Throws with the schema's messages when the manifest does not validate. */
function validate(manifest: Manifest): void {
  const Model = models[`${manifest.apiVersion} ${manifest.kind}`];
  if (Model === undefined) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

/**
 * Field names the schemas do not know (a typo like `livenesProbe`), which they would accept as
 * the API server's non-strict mode does: a field is known when a value of the wrong type under
 * it makes the manifest invalid, and `[[[]]]` fits no Kubernetes field.
 */
function unknownFields(manifest: Manifest): string[] {
  const unknown: string[] = [];
  const visit = (value: unknown, at: (string | number)[]) => {
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      const here = [...at, Array.isArray(value) ? Number(key) : key];
      if (!Array.isArray(value)) {
        const broken = structuredClone(manifest) as unknown as Record<string | number, unknown>;
        let parent = broken;
        for (const step of here.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
        parent[key] = [[[]]];
        try {
          validate(broken as unknown as Manifest);
          // Accepted: nothing below an unknown field is checked either.
          unknown.push(here.join('.'));
          continue;
        } catch {
          // Refused: the schema knows this field.
        }
      }
      visit(child, here);
    }
  };
  visit(manifest, []);
  return unknown;
}

async function render(stack: Stack) {
  const dir = scratchDir('csb-k8s-');
  writeRendered(dir, await renderProject(planProject({ name: 'shop-api', stack, pm: 'npm' }, '0.1.0')));
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const folder = 'deploy/kubernetes';
  const files = readdirSync(path.join(dir, folder)).sort();
  const manifests = new Map<string, Manifest>();
  for (const file of files.filter((name) => name.endsWith('.yaml') && name !== 'kustomization.yaml')) {
    const documents = parseAllDocuments(read(`${folder}/${file}`));
    expect(documents, file).toHaveLength(1);
    manifests.set(file, documents[0]?.toJS() as Manifest);
  }
  return { dir, read, files, manifests, kustomization: parseYaml(read(`${folder}/kustomization.yaml`)) };
}

const envNames = (text: string) =>
  text
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.slice(0, line.indexOf('=')));

// The manifests do not depend on the database, except for the variables they carry; the command
// line refuses SQLite with Kubernetes (test/unit/options.test.ts), yet its render is checked too.
const stacks = valuesOf('db').flatMap((db) => [
  { db, auth: ['jwt'], monitoring: ['prometheus', 'opentelemetry'] },
  { db, auth: ['none'], cache: 'none', monitoring: ['none'] },
]);

describe.each(stacks)('deploy/kubernetes for %o', (choices) => {
  const stack = withDefaults({ ...choices, deploy: ['kubernetes'] } as Partial<Stack>);
  let project: Awaited<ReturnType<typeof render>>;
  const manifest = (file: string) => {
    const found = project.manifests.get(file);
    if (found === undefined) throw new Error(`${file} missing`);
    return found;
  };

  beforeAll(async () => {
    project = await render(stack);
  });

  it('writes exactly the manifests kustomize applies, and each validates against the Kubernetes schemas', () => {
    expect(project.files).toEqual([
      '.gitignore',
      'configmap.yaml',
      'deployment.yaml',
      'hpa.yaml',
      'kustomization.yaml',
      'migrate-job.yaml',
      'pdb.yaml',
      'secret.env.example',
      'service.yaml',
    ]);
    expect([...project.kustomization.resources].sort()).toEqual([...project.manifests.keys()].sort());
    for (const [file, document] of project.manifests) {
      expect(() => validate(document), file).not.toThrow();
      expect(unknownFields(document), file).toEqual([]);
    }
  });

  it('probes liveness and readiness, limits resources, and runs as non-root on a read-only root', () => {
    const pod = manifest('deployment.yaml').spec.template.spec;
    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
    expect(Object.keys(container.resources.requests)).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits)).toEqual(['cpu', 'memory']);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('pauses before SIGTERM so endpoints drain, and gives the server longer than its own shutdown timeout', () => {
    const pod = manifest('deployment.yaml').spec.template.spec;
    const [, seconds] = pod.containers[0].lifecycle.preStop.exec.command;
    expect(pod.containers[0].lifecycle.preStop.exec.command).toEqual(['sleep', expect.stringMatching(/^\d+$/)]);
    const delay = /closeWithGrace\(\{ delay: ([\d_]+) \}/.exec(project.read('src/lifecycle.ts'))?.[1];
    expect(delay, 'the shutdown timeout in src/lifecycle.ts').toBeDefined();
    const shutdownSeconds = Number(delay?.replaceAll('_', '')) / 1000;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + shutdownSeconds);
  });

  it('leaves the replica count to an autoscaler on CPU from two replicas, with a disruption budget', () => {
    const deployment = manifest('deployment.yaml');
    expect(deployment.spec).not.toHaveProperty('replicas');
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    const hpa = manifest('hpa.yaml').spec;
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.maxReplicas).toBeGreaterThan(hpa.minReplicas);
    expect(hpa.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
    const pdb = manifest('pdb.yaml').spec;
    expect(pdb.selector).toEqual(deployment.spec.selector);
    expect(pdb.minAvailable).toBeLessThan(hpa.minReplicas);
  });

  it('routes the Service to the pods by their labels and named port', () => {
    const deployment = manifest('deployment.yaml');
    const service = manifest('service.yaml').spec;
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(service.selector);
    expect(service.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http' }]);
  });

  it('gives every variable of .env.example to the pods once: settings in the ConfigMap, secrets from secret.env', () => {
    const configMap = manifest('configmap.yaml');
    const settings = Object.keys(configMap.data ?? {});
    const secretTemplate = project.read('deploy/kubernetes/secret.env.example');
    const secrets = envNames(secretTemplate);
    expect([...settings, ...secrets].sort()).toEqual(envNames(project.read('.env.example')).sort());
    expect(settings.filter((name) => secrets.includes(name))).toEqual([]);
    expect(configMap.data?.NODE_ENV).toBe('production');
    // Trusting nobody is the safe default; the comment says what to put there behind an ingress.
    expect(configMap.data?.TRUST_PROXY).toBe('');
    expect(project.read('deploy/kubernetes/configmap.yaml')).toMatch(
      /# Proxies in front \(load balancer, ingress\).*\n {2}TRUST_PROXY: ""/,
    );
    expect(secrets.includes('JWT_SECRET')).toBe(stack.auth.includes('jwt'));
    if (stack.db !== 'sqlite') expect(secrets).toContain('DATABASE_URL');
    // A template: names and meanings only, never a value.
    for (const line of secretTemplate.split('\n').filter((text) => /^[A-Z_]+=/.test(text))) {
      expect(line).toMatch(/^[A-Z_]+=$/);
    }
    expect(project.kustomization.secretGenerator).toEqual([{ name: 'shop-api-secrets', envs: ['secret.env'] }]);
    expect(project.read('deploy/kubernetes/.gitignore').split('\n')).toContain('secret.env');
    expect(project.read('.dockerignore').split('\n')).toContain('deploy');
  });

  it('feeds the api and the migration Job the same image, settings and secrets', () => {
    const pod = manifest('deployment.yaml').spec.template.spec;
    const job = manifest('migrate-job.yaml').spec.template.spec;
    const envFrom = [{ configMapRef: { name: 'shop-api-config' } }, { secretRef: { name: 'shop-api-secrets' } }];
    expect(pod.containers[0].envFrom).toEqual(envFrom);
    expect(job.containers[0].envFrom).toEqual(envFrom);
    expect(manifest('configmap.yaml').metadata.name).toBe('shop-api-config');
    expect(job.containers[0].image).toBe(pod.containers[0].image);
    expect(project.kustomization.images).toEqual([{ name: pod.containers[0].image, newTag: '0.1.0' }]);
    expect(job.containers[0].command).toEqual(migrateCommand);
    expect(job.restartPolicy).toBe('Never');
    expect(job.securityContext).toEqual(pod.securityContext);
    expect(job.containers[0].securityContext).toEqual(pod.containers[0].securityContext);
  });

  it('annotates the pods for Prometheus exactly when it is chosen', () => {
    const annotations = manifest('deployment.yaml').spec.template.metadata.annotations;
    if (stack.monitoring.includes('prometheus')) {
      expect(annotations).toEqual({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '3000',
        'prometheus.io/path': '/metrics',
      });
    } else {
      expect(annotations).toBeUndefined();
    }
  });
});

describe('the schema check', () => {
  it('rejects a manifest the API server would reject, and names fields the schemas do not know', () => {
    const deployment: Manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'a' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'a' }] } },
      },
    };
    expect(() => validate(deployment)).not.toThrow();
    expect(() => validate({ ...deployment, spec: { ...deployment.spec, replicas: 'two' } })).toThrow(/replicas/);
    const nameless = structuredClone(deployment);
    delete nameless.spec.template.spec.containers[0].name;
    expect(() => validate(nameless)).toThrow(/required property 'name'|name/);
    expect(() => validate({ ...deployment, apiVersion: 'apps/v1beta1' })).toThrow('no schema');
    expect(unknownFields(deployment)).toEqual([]);
    const misspelled = structuredClone(deployment);
    misspelled.spec.template.spec.containers[0].livenesProbe = { httpGet: { path: '/health/live', port: 3000 } };
    misspelled.spec.strategy = { rollingUpdate: { maxSurge: 1 }, kind: 'RollingUpdate' };
    expect(unknownFields(misspelled)).toEqual(['spec.template.spec.containers.0.livenesProbe', 'spec.strategy.kind']);
  });
});
