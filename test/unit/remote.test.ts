import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { featuresFor } from '../../generators/index.js';
import { monolithInput } from '../../src/extract/index.js';
import { withDefaults } from '../../src/options.js';
import { type PlanInput, planProject, type ResourceRecord } from '../../src/plan.js';
import { moveRowsScript, remoteFields } from '../../src/remote.js';
import { type RenderedProject, renderProject } from '../../src/render.js';
import { manifestOf } from '../../src/write.js';
import { biomeFormat } from '../biome-format.js';

const customers: ResourceRecord = {
  name: 'customers',
  createdAt: 1,
  migration: '0001_customers',
  fields: [{ name: 'name', type: 'string' }],
};
const orders: ResourceRecord = {
  name: 'orders',
  createdAt: 2,
  migration: '0002_orders',
  fields: [
    { name: 'customerId', type: 'references', references: 'customers' },
    { name: 'total', type: 'integer' },
    { name: 'note', type: 'text', length: 500, optional: true },
  ],
};
const shop: PlanInput = {
  name: 'shop',
  stack: withDefaults({ db: 'postgres', cache: 'redis', auth: ['jwt'], deploy: ['docker', 'kubernetes'] }),
  pm: 'npm',
  resources: [customers, orders],
};

const text = (files: RenderedProject, file: string) => {
  const found = files.get(file);
  if (found === undefined) throw new Error(`${file} is not rendered`);
  return found.content.toString('utf8');
};

describe('a resource extract moved out', () => {
  const remote = { port: 3002, service: 'orders-service', path: '../orders-service' };
  const after = monolithInput(shop, 'orders', remote);

  it('is recorded as remote with its port, name and folder, the other records as they were', () => {
    expect(after.resources).toEqual([customers, { ...orders, remote }]);
    expect(shop.resources).toEqual([customers, orders]);
  });

  it('keeps its references to the monolith as plain uuid columns, as the service does', () => {
    expect(remoteFields(orders)).toEqual([
      { name: 'customerId', type: 'uuid', index: true },
      { name: 'total', type: 'integer' },
      { name: 'note', type: 'text', length: 500, optional: true },
    ]);
  });

  it('plans the client module and the schemas, and no table, repository or cache', () => {
    const plan = planProject(after, '1.0.0');
    const sources = new Map(plan.files.map((file) => [file.path, 'source' in file ? file.source : file.kind]));
    expect(sources.get('src/modules/orders/routes.ts')).toMatch(
      /templates\/resource-remote\/src\/modules\/__name__\/routes\.ts\.hbs$/,
    );
    expect(sources.get('src/modules/orders/schemas.ts')).toMatch(
      /templates\/resource\/src\/modules\/__name__\/schemas\.ts\.hbs$/,
    );
    expect(sources.get('test/orders.test.ts')).toMatch(/templates\/resource-remote\/test\/__name__\.test\.ts\.hbs$/);
    expect(sources.has('src/modules/orders/repository.ts')).toBe(false);
    expect(sources.has('src/modules/orders/cache.ts')).toBe(false);
    expect(sources.has('src/modules/customers/repository.ts')).toBe(true);
    expect(plan.data.resources.map((resource) => resource.name)).toEqual(['customers']);
    expect(plan.data.remotes.map((remote) => [remote.name, remote.serviceUrl])).toEqual([
      ['orders', 'ORDERS_SERVICE_URL'],
    ]);
    expect(plan.features).not.toContain('resource-remote');
  });

  it('keeps the record, remote and all, in the manifest, in the order the resources were added', () => {
    const manifest = manifestOf(planProject(after, '1.0.0'), {}, 'now');
    expect(manifest.resources).toEqual([customers, { ...orders, remote }]);
  });

  it("keeps the scope of a shared module served by its service: the key's scopes go there signed", () => {
    const keys: PlanInput = {
      name: 'shop',
      stack: withDefaults({ db: 'postgres', auth: ['oauth2', 'apikey'] }),
      pm: 'npm',
      resources: [{ name: 'products', createdAt: 3, migration: '0001_products', access: 'shared' }],
    };
    expect(planProject(keys, '1.0.0').data.scopes.names).toEqual(['items:write', 'products:write']);
    const moved = planProject(
      monolithInput(keys, 'products', { port: 3002, service: 'products-service', path: '../products-service' }),
      '1.0.0',
    );
    // A key made here with products:write (`apikey:create --scope products:write`) writes in the
    // service: the principal the monolith signs for its caller carries the key's scopes.
    expect(moved.data.scopes.names).toEqual(['items:write', 'products:write']);
    expect(moved.data.has.keyScopes).toBe(true);
    // No route here checks it: the service does.
    expect(moved.data.has.writeScopes).toBeUndefined();
    expect(moved.data.remotes.map((remote) => remote.access.writeScope)).toEqual(['products:write']);
  });

  it('lists no scope of a shared module served by its service where no API key could carry it', () => {
    const tokens: PlanInput = {
      name: 'shop',
      stack: withDefaults({ db: 'postgres', auth: ['oauth2'] }),
      pm: 'npm',
      resources: [{ name: 'products', createdAt: 3, migration: '0001_products', access: 'shared' }],
    };
    const moved = planProject(
      monolithInput(tokens, 'products', { port: 3002, service: 'products-service', path: '../products-service' }),
      '1.0.0',
    );
    expect(moved.data.scopes.names).toEqual(['items:write']);
  });

  describe('rendered', () => {
    let files: RenderedProject;
    let before: RenderedProject;
    beforeAll(async () => {
      [files, before] = await Promise.all([
        renderProject(planProject(after, '1.0.0')),
        renderProject(planProject(shop, '1.0.0')),
      ]);
    });

    it('serves the same paths and operations through the service, with no template syntax left', () => {
      const routes = text(files, 'src/modules/orders/routes.ts');
      expect(routes).not.toMatch(/\{\{|\}\}/);
      expect(routes).toContain('const service = createHttpClient({ baseUrl });');
      expect(routes).toContain('headers.authorization = request.headers.authorization;');
      expect(routes).toContain("fastify.readiness.add(\n    'orders-service',");
      expect(routes).not.toMatch(/repository|fastify\.database/);
      const operations = (code: string) => [...code.matchAll(/operationId: '(\w+)'/g)].map((match) => match[1]);
      expect(operations(routes)).toEqual(operations(text(before, 'src/modules/orders/routes.ts')));
      // Without OpenTelemetry the caller's traceparent is sent on as it came.
      expect(routes).toContain("if (typeof traceparent === 'string') headers.traceparent = traceparent;");
    });

    it('declares the service URL as the project declares its variables', () => {
      expect(text(files, '.env.example')).toContain(
        '# The orders service, which answers /v1/orders since extract moved it out\nORDERS_SERVICE_URL=http://127.0.0.1:3002\n',
      );
      const config = text(files, 'src/config.ts');
      expect(config).toMatch(/ORDERS_SERVICE_URL: Type\.String\(\{/);
      expect(config).toContain("default: 'http://127.0.0.1:3002'");
      expect(text(files, 'README.md')).toMatch(/^\| `ORDERS_SERVICE_URL` \| the origin of the orders service/m);
      expect(text(files, 'src/app.ts')).toContain(
        "  await fastify.register(ordersService, {\n    prefix: '/v1/orders',\n    baseUrl: config.ORDERS_SERVICE_URL,\n  });",
      );
      expect(text(files, 'src/app.ts')).toContain("import ordersService from './modules/orders/routes.js';");
    });

    it('drops the table from the schema and the module list, and keeps the rest', () => {
      const schema = text(files, 'src/db/schema.ts');
      expect(schema).not.toMatch(/pgTable\(\s*'orders'/);
      expect(schema).toMatch(/pgTable\(\s*'customers'/);
      expect(text(files, 'src/modules/index.ts')).not.toContain('orders');
      expect(text(files, 'src/modules/orders/schemas.ts')).not.toContain('include');
      expect(text(files, 'src/modules/orders/schemas.ts')).toContain('export const Entry = Type.Object({');
    });

    it('says in the README how the service is called and how the rows move', () => {
      const readme = text(files, 'README.md');
      expect(readme).toContain('## Modules served by other services\n\n### orders\n');
      expect(readme).toContain(
        `\`\`\`sh\n${moveRowsScript(featuresFor(withDefaults({ db: 'postgres' })), 'orders')}\n\`\`\`\n`,
      );
      expect(readme).toContain('`orders-service: degraded` while the orders service is down');
      expect(text(before, 'README.md')).not.toContain('Modules served by other services');
    });

    it('runs the service beside the api in docker-compose.yml, on a database of its own', () => {
      const compose = parseYaml(text(files, 'docker-compose.yml'), { merge: true });
      const { api, migrate } = compose.services;
      const service = compose.services['orders-service'];
      const serviceMigrate = compose.services['orders-service-migrate'];
      const db = compose.services['orders-service-db'];
      expect(api.environment.ORDERS_SERVICE_URL).toBe('http://orders-service:3000');
      expect(migrate.environment).toEqual(api.environment);
      // The api calls it, but serves without it: started first, not awaited.
      expect(api.depends_on['orders-service']).toEqual({ condition: 'service_started' });
      expect(api.depends_on).not.toHaveProperty('orders-service-db');
      expect(service.build).toBe('../orders-service');
      expect(service.ports).toBeUndefined();
      expect(service.environment).toEqual({
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        CORS_ORIGINS: '',
        DATABASE_URL: 'postgres://postgres:postgres@orders-service-db:5432/orders_service',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's own interpolation.
        JWT_SECRET: '${JWT_SECRET:?set JWT_SECRET to the same value as the monolith}',
        REDIS_URL: 'redis://redis:6379',
      });
      expect(serviceMigrate.environment).toEqual(service.environment);
      expect(serviceMigrate.command).toEqual(['node', 'scripts/db-migrate.js']);
      expect(serviceMigrate.restart).toBe('no');
      const healthy = { condition: 'service_healthy' };
      expect(serviceMigrate.depends_on).toEqual({ 'orders-service-db': healthy, redis: healthy });
      expect(service.depends_on).toEqual({
        'orders-service-migrate': { condition: 'service_completed_successfully' },
        'orders-service-db': healthy,
        redis: healthy,
      });
      expect(db.environment).toEqual({ POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'orders_service' });
      expect(db.healthcheck.test).toEqual(['CMD-SHELL', 'pg_isready -U postgres -d orders_service']);
      expect(db.ports).toBeUndefined();
      expect(db.volumes).toEqual(['orders-service-db:/var/lib/postgresql/data']);
      expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['db', 'orders-service-db']));
      expect(compose.services.db.environment.POSTGRES_DB).toBe('app');
      expect(text(before, 'docker-compose.yml')).not.toContain('orders');
    });

    it("points the ConfigMap at the service's Kubernetes Service", () => {
      const configMap = parseYaml(text(files, 'deploy/kubernetes/configmap.yaml'));
      expect(configMap.data.ORDERS_SERVICE_URL).toBe('http://orders-service');
      expect(text(files, 'deploy/kubernetes/configmap.yaml')).toContain(
        '  # The orders service, which answers /v1/orders since extract moved it out\n  ORDERS_SERVICE_URL: "http://orders-service"\n',
      );
      expect(parseYaml(text(before, 'deploy/kubernetes/configmap.yaml')).data).not.toHaveProperty('ORDERS_SERVICE_URL');
    });

    it('scrapes the service beside the api, and charts either on the dashboard', () => {
      const prometheus = parseYaml(text(files, 'observability/prometheus/prometheus.yml'));
      expect(prometheus.scrape_configs).toEqual([
        { job_name: 'api', metrics_path: '/metrics', static_configs: [{ targets: ['api:3000'] }] },
        {
          job_name: 'orders-service',
          metrics_path: '/metrics',
          static_configs: [{ targets: ['orders-service:3000'] }],
        },
      ]);
      const rules = parseYaml(text(files, 'observability/prometheus/alerts.yml')).groups[0].rules;
      expect(rules.map((rule: { alert: string }) => rule.alert).slice(0, 3)).toEqual([
        'InstanceDown',
        'ServiceDown',
        'HighErrorRate',
      ]);
      expect(rules[1].expr).toBe('up{job="orders-service"} == 0');
      // The error, latency and saturation rules hold for every job scraped, the service's too.
      for (const rule of rules.slice(2)) expect(rule.expr, rule.alert).not.toContain('job=');
      expect(rules.find((rule: { alert: string }) => rule.alert === 'HighErrorRate').expr).toContain('sum by (job)');
      expect(text(files, 'observability/prometheus/alerts.yml')).toContain('"{{ $labels.instance }} has not answered');
      expect(text(before, 'observability/prometheus/alerts.yml')).not.toContain('ServiceDown');
      const dashboard = JSON.parse(text(files, 'observability/grafana/dashboards/api.json'));
      expect(dashboard.templating.list).toEqual([
        expect.objectContaining({ name: 'job', type: 'custom', query: 'api,orders-service' }),
      ]);
      const exprs: string[] = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
        panel.targets.map((target) => target.expr),
      );
      for (const expr of exprs) expect(expr).toContain('job="$job"');
      const plain = JSON.parse(text(before, 'observability/grafana/dashboards/api.json'));
      expect(plain.templating.list[0].query).toBe('api');
      expect(parseYaml(text(before, 'observability/prometheus/prometheus.yml')).scrape_configs).toHaveLength(1);
    });

    it('says in the README how compose, the cluster and Prometheus run and reach the service', () => {
      const readme = text(files, 'README.md');
      expect(readme).toContain('as `orders-service`, built from\n`../orders-service`');
      expect(readme).toContain('a database of its own (`orders_service` on `orders-service-db`)');
      expect(readme).toContain('`kubectl apply -k ../orders-service/deploy/kubernetes`');
      expect(readme).toContain('sets `ORDERS_SERVICE_URL` to its Service, `http://orders-service`');
      expect(readme).toContain('Prometheus scrapes it as the job `orders-service`');
      expect(readme).not.toMatch(/\{\{|@root/);
    });

    it('prints its deployment files as Biome does', () => {
      for (const file of [
        'docker-compose.yml',
        'deploy/kubernetes/configmap.yaml',
        'observability/prometheus/prometheus.yml',
        'observability/prometheus/alerts.yml',
        'observability/grafana/dashboards/api.json',
      ]) {
        const code = text(files, file);
        expect(biomeFormat(code, file), file).toBe(code);
      }
    });

    it('prints the client module and its test as Biome does', () => {
      for (const file of [
        'src/modules/orders/routes.ts',
        'test/orders.test.ts',
        'test/orders-service.ts',
        'test/helpers.ts',
        'vitest.config.ts',
        'src/app.ts',
      ]) {
        const code = text(files, file);
        expect(biomeFormat(code, file), file).toBe(code);
      }
    });
  });

  it('prints a long name, with OpenTelemetry, as Biome does', async () => {
    const name = 'warehouse-location-notes';
    const record: ResourceRecord = {
      name,
      createdAt: 3,
      fields: [
        { name: 'body', type: 'text', length: 2000 },
        { name: 'pickedAt', type: 'datetime', optional: true },
        { name: 'status', type: 'enum', values: ['open', 'done'] },
      ],
      remote: { port: 3009 },
    };
    const input: PlanInput = {
      ...shop,
      stack: withDefaults({ db: 'mysql', monitoring: ['opentelemetry'], auth: ['apikey'] }),
      resources: [record],
    };
    const files = await renderProject(planProject(input, '1.0.0'));
    for (const file of [
      `src/modules/${name}/routes.ts`,
      `test/${name}.test.ts`,
      `test/${name}-service.ts`,
      'test/helpers.ts',
      'src/app.ts',
    ]) {
      const code = text(files, file);
      expect(biomeFormat(code, file), file).toBe(code);
    }
    const routes = text(files, `src/modules/${name}/routes.ts`);
    expect(routes).toContain('// fetch is traced (src/telemetry.ts)');
    expect(routes).not.toContain('traceparent = ');
    expect(text(files, 'README.md')).toContain(
      moveRowsScript(featuresFor(withDefaults({ db: 'mysql' })), 'warehouse_location_notes'),
    );
  });

  it.each([
    ['postgres', /^pg_dump --data-only --column-inserts --table=orders /m],
    ['mysql', /^mysqldump --no-create-info --complete-insert --single-transaction "\$MONOLITH_DATABASE" orders /m],
    ['sqlite', /^sqlite3 "\$MONOLITH_DATABASE" '\.dump --data-only orders'/m],
  ] as const)('moves the rows on %s with a dump of the rows alone', (db, command) => {
    expect(moveRowsScript(featuresFor(withDefaults({ db })), 'orders')).toMatch(command);
  });
});
