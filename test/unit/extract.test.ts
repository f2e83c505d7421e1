import { describe, expect, it } from 'vitest';
import { recordedInput } from '../../src/add/index.js';
import { parseCliArgs } from '../../src/args.js';
import { UsageError } from '../../src/errors.js';
import { monolithInput } from '../../src/extract/index.js';
import {
  defaultPortOf,
  type ExtractSituation,
  extractRefusals,
  importsOfModule,
  publishedPortsOf,
  referencesTo,
} from '../../src/extract/refusals.js';
import { serviceInput } from '../../src/extract/service.js';
import { withDefaults } from '../../src/options.js';
import { type PlanInput, planProject, type ResourceRecord } from '../../src/plan.js';
import { renderProject } from '../../src/render.js';
import { type Manifest, manifestOf } from '../../src/write.js';

const customers: ResourceRecord = { name: 'customers', createdAt: 1, fields: [{ name: 'name', type: 'string' }] };
const orders: ResourceRecord = {
  name: 'orders',
  createdAt: 2,
  fields: [
    { name: 'customerId', type: 'references', references: 'customers' },
    { name: 'total', type: 'integer' },
  ],
};

const situation = (overrides: Partial<ExtractSituation> = {}): ExtractSituation => ({
  root: '/p/shop',
  module: 'orders',
  resources: [customers, orders],
  sources: new Map(),
  target: { path: '/p/orders-service', entries: undefined },
  port: 3001,
  publishedPorts: [],
  ...overrides,
});

describe('extract arguments', () => {
  it('takes one module, --to, --port and --dry-run', () => {
    const args = parseCliArgs(['extract', 'orders', '--to', '../svc', '--port', '3005', '--dry-run', '--cwd', 'x']);
    expect(args).toMatchObject({
      command: 'extract',
      module: 'orders',
      to: '../svc',
      port: 3005,
      dryRun: true,
      cwd: 'x',
    });
    expect(parseCliArgs(['extract', '--help'])).toMatchObject({ command: 'extract', module: undefined });
  });

  it.each([
    [['extract', 'orders', 'customers'], /one module, got 2/],
    [['extract', 'orders', '--port', '0'], /Invalid --port "0"/],
    [['extract', 'orders', '--port', '70000'], /1 to 65535/],
    [['extract', 'orders', '--port', 'http'], /Invalid --port/],
    [['extract', 'orders', '--force'], /Unknown option '--force'[\s\S]*extract --help/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe('extractRefusals', () => {
  it('lets a module nothing imports go, into a new or empty folder', () => {
    expect(extractRefusals(situation())).toEqual([]);
    expect(extractRefusals(situation({ target: { path: '/p/orders-service', entries: [] } }))).toEqual([]);
  });

  it('refuses a project with no manifest, one line, and still checks the folder', () => {
    const reasons = extractRefusals(
      situation({ resources: undefined, target: { path: '/p/svc', entries: ['README.md'] } }),
    );
    expect(reasons).toEqual([
      '/p/shop has no sound-backend.json: extract runs inside a project create-sound-backend generated (or pass --cwd <dir>).',
      '--to /p/svc is not empty (1 entry): the service needs an empty or new folder.',
    ]);
  });

  it('refuses an unknown module and the example module, naming the resources it takes', () => {
    expect(extractRefusals(situation({ module: 'invoices' }))).toEqual([
      'Unknown module "invoices": extract takes a resource added with add resource (customers, orders).',
    ]);
    expect(extractRefusals(situation({ module: 'items', resources: [] }))[0]).toMatch(
      /^items is the example module .* and this project has none\.$/,
    );
    expect(extractRefusals(situation({ module: undefined }))[0]).toMatch(/^Expected a module: extract <module>/);
  });

  it('refuses a module another resource references, and names every import of it', () => {
    const sources = new Map([
      [
        'src/modules/orders/schemas.ts',
        "import { Type } from 'typebox';\nimport { Entry as CustomerEntry } from '../customers/schemas.js';\n",
      ],
      [
        'src/modules/orders/repository.ts',
        "import type { Db } from '../../db/client.js';\nimport { customers, orders as table } from '../../db/schema.js';\n",
      ],
      // The module's own files, the registry and the table declarations are not imports of it.
      ['src/modules/customers/routes.ts', "import { createRepository } from './repository.js';\n"],
      ['src/modules/index.ts', "import customers from './customers/routes.js';\n"],
      ['src/db/schema.ts', 'export const customers = pgTable();\n'],
      [
        'src/lib/report.ts',
        "export { Entry } from '../modules/customers/schemas.js';\nconst m = await import('../modules/customers/routes.js');\n",
      ],
    ]);
    expect(extractRefusals(situation({ module: 'customers', sources }))).toEqual([
      'orders.customerId references customers: the code of orders joins the customers table and embeds its rows, so customers stays while orders references it.',
      "src/lib/report.ts:1 imports '../modules/customers/schemas.js', which would leave with customers.",
      "src/lib/report.ts:2 imports '../modules/customers/routes.js', which would leave with customers.",
      "src/modules/orders/repository.ts:2 imports the table customers from '../../db/schema.js', which would leave with customers.",
      "src/modules/orders/schemas.ts:2 imports '../customers/schemas.js', which would leave with customers.",
    ]);
  });

  it('does not take a name that only contains the table for an import of it', () => {
    const sources = new Map([
      ['src/modules/x/repository.ts', "import { customersArchive, type orders } from '../../db/schema.js';\n"],
    ]);
    expect(importsOfModule('customers', sources)).toEqual([]);
    expect(importsOfModule('orders', sources)).toEqual([
      { file: 'src/modules/x/repository.ts', line: 1, what: "the table orders from '../../db/schema.js'" },
    ]);
    expect(referencesTo('orders', [customers, orders])).toEqual([]);
  });

  it('refuses a folder that is a file, is not empty, or lies inside the project, and the monolith port', () => {
    expect(extractRefusals(situation({ target: { path: '/p/f', entries: null } }))).toEqual([
      '--to /p/f is a file: the service needs an empty or new folder.',
    ]);
    expect(extractRefusals(situation({ target: { path: '/p/shop/svc', entries: ['a', 'b'] }, port: 3000 }))).toEqual([
      '--to /p/shop/svc is not empty (2 entries): the service needs an empty or new folder.',
      '--to /p/shop/svc is inside the project: the service is a project of its own, beside it.',
      "--port 3000 is the monolith's port: give the service another one, like 3001.",
    ]);
    expect(extractRefusals(situation({ target: { path: '/p/shop', entries: undefined } }))).toHaveLength(1);
  });
});

describe('the service port', () => {
  const compose = [
    'services:',
    '  api:',
    '    ports: ["3000:3000"]',
    '  postgres:',
    '    ports: ["127.0.0.1:5432:5432"]',
    '  grafana:',
    '    ports: ["127.0.0.1:3001:3000", "3002"]',
  ].join('\n');

  it('is the first from 3001 up that the monolith neither listens on nor publishes', () => {
    expect(publishedPortsOf(compose)).toEqual([3000, 3001, 3002, 5432]);
    expect(defaultPortOf(publishedPortsOf(compose))).toBe(3003);
    expect(defaultPortOf([])).toBe(3001);
    expect(publishedPortsOf('services:\n  api:\n    image: x\n')).toEqual([]);
  });

  it('refuses one the compose file publishes, suggesting a free one', () => {
    expect(extractRefusals(situation({ port: 3001, publishedPorts: [3000, 3001] }))).toEqual([
      "--port 3001 is published by the monolith's docker-compose.yml: give the service another one, like 3002.",
    ]);
  });
});

describe('the service extract plans', () => {
  const stack = withDefaults({ db: 'postgres', auth: ['jwt'] });
  const project: PlanInput = {
    name: 'shop',
    stack,
    pm: 'npm',
    resources: [
      { ...customers, migration: '0001_customers' },
      {
        ...orders,
        migration: '0002_orders',
        fields: [
          ...(orders.fields ?? []),
          { name: 'parentId', type: 'references', references: 'orders', optional: true },
        ],
      },
    ],
  };

  it('holds only the resource, its references to what stays turned into plain columns, each with why', () => {
    const { input, plainColumns } = serviceInput(project, 'orders', '/p/Orders Service', 3005);
    expect(input.name).toBe('orders-service');
    expect(input.stack).toEqual(stack);
    expect(input.resources).toEqual([
      {
        name: 'orders',
        createdAt: 2,
        fields: [
          { name: 'customerId', type: 'uuid', index: true },
          { name: 'total', type: 'integer' },
          { name: 'parentId', type: 'references', references: 'orders', optional: true },
        ],
      },
    ]);
    expect(plainColumns).toEqual([
      {
        field: 'orders.customerId',
        target: 'customers',
        why: expect.stringMatching(/no foreign key\), and \?include=customer is gone/),
      },
    ]);
  });

  it('plans its own tables and its own port', () => {
    const { input } = serviceInput(project, 'orders', '/p/orders-service', 3005);
    const plan = planProject(input, '0.1.0');
    expect(plan.data.resources.map((resource) => [resource.name, resource.migration.tag])).toEqual([
      ['orders', '0001_orders'],
    ]);
    expect(plan.data.resources[0]?.schema).toMatch(/customerId: uuid\('customer_id'\)\.notNull\(\),/);
    expect(plan.data.resources[0]?.schema).not.toMatch(/references\(\(\) => customers/);
    const env = plan.files.find((file) => file.path === '.env.example');
    expect(env?.kind === 'write' && env.content).toMatch(/^PORT=3005$/m);
    expect(plan.files.some((file) => file.path.startsWith('src/modules/customers/'))).toBe(false);
    expect(plan.files.some((file) => file.path === 'src/modules/orders/routes.ts')).toBe(true);
  });

  it("verifies the monolith's tokens: jwt without users, sign-in routes or a foreign key to them", async () => {
    const { input } = serviceInput(project, 'orders', '/p/orders-service', 3005);
    expect(input.identity).toEqual({ mode: 'verify', issuer: 'shop', database: 'orders_service', port: 3005 });
    const plan = planProject(input, '0.1.0');
    expect(plan.features).toContain('auth-jwt-verify');
    expect(plan.features).not.toContain('auth-jwt');
    expect(plan.data.has.jwt).toBeUndefined();
    expect(plan.data.has.auth).toBe(true);
    expect(plan.files.filter((file) => file.path.startsWith('src/modules/auth/'))).toEqual([]);
    const files = await renderProject(plan);
    const text = (file: string) => files.get(file)?.content.toString('utf8') ?? '';
    expect(text('src/lib/access-tokens.ts')).toMatch(/^export const ISSUER = 'shop';$/m);
    expect(text('src/lib/access-tokens.ts')).toMatch(/^export const AUDIENCE = 'shop';$/m);
    const schema = text('src/db/schema.ts');
    expect(schema).not.toMatch(/Table\(\s*'users'|users\.id/);
    expect(plan.data.resources[0]?.schema).toMatch(/ownerId: varchar\('owner_id', \{ length: 255 \}\)\.notNull\(\),/);
    expect(text('src/app.ts')).toContain('verifyBearer: createAccessTokenVerifier(config.JWT_SECRET),');
    expect(text('src/app.ts')).not.toMatch(/authRoutes|PASSWORD_HASHING|accessTokens/);
    expect(text('.env.example')).toMatch(/^JWT_SECRET=$/m);
    expect(text('.env.example')).not.toMatch(/JWT_ACCESS_TTL|AUTH_RATE_LIMIT_MAX/);
    expect(plan.devSecrets).toEqual(['JWT_SECRET']);
    expect(text('README.md')).toContain(
      "What the service trusts instead of the users table: **the token's claims, until it expires**",
    );
    for (const [file, rendered] of files) {
      if (file.endsWith('.ts')) expect(rendered.content.toString('utf8'), file).not.toContain('{{');
    }
  });

  it("moves a shared resource: the service checks the token's role, which the monolith still signs", async () => {
    const products: ResourceRecord = {
      name: 'products',
      createdAt: 3,
      access: 'shared',
      migration: '0001_products',
      fields: [{ name: 'name', type: 'string' }],
    };
    const shop: PlanInput = { name: 'shop', stack, pm: 'npm', resources: [products] };
    const textOf = async (plan: ReturnType<typeof planProject>) => {
      const files = await renderProject(plan);
      return (file: string) => files.get(file)?.content.toString('utf8') ?? '';
    };

    const service = planProject(serviceInput(shop, 'products', '/p/products-service', 3005).input, '0.1.0');
    expect(service.data.has).toMatchObject({ tokenRoles: true, requireScope: true });
    expect(service.data.has.roles).toBeUndefined();
    const inService = await textOf(service);
    expect(inService('src/lib/access-tokens.ts')).toContain(
      "const user: Principal = { id: payload.sub, kind: 'user', roles, scopes: [] };",
    );
    expect(inService('src/plugins/authenticate.ts')).toContain("if (principal.roles.includes('admin')) return;");
    expect(inService('test/helpers.ts')).toContain("signMonolithToken(ownerId, { claims: { roles: ['admin'] } })");
    expect(inService('test/access-tokens.test.ts')).toMatch(/url: `\/v1\/products\/\$\{unknownId\}`,/);
    // The section ends with a blank line, before the next one.
    expect(inService('README.md')).toMatch(/Nor a role change: [^#]*at each refresh\)\.\n\n## /);

    // The monolith before: it reads the role from its users table at each write, and signs it.
    const monolith = await textOf(planProject(shop, '0.1.0'));
    expect(monolith('src/app.ts')).toContain('isAdmin: createAuthRepository(fastify.database.db).isAdmin,');
    expect(monolith('src/modules/auth/tokens.ts')).toContain('return new SignJWT({ roles: [role] })');
    // After: no shared route of its own, so no admin check, but its users keep the role, and
    // their tokens carry it to the service.
    const afterPlan = planProject(
      monolithInput(shop, 'products', { port: 3001, service: 'products-service', path: '../products-service' }),
      '0.1.0',
    );
    expect(afterPlan.data.has).toMatchObject({ roles: true });
    expect(afterPlan.data.has.adminWrites).toBeUndefined();
    const moved = await textOf(afterPlan);
    expect(moved('src/db/schema.ts')).toContain("role: varchar('role', { length: 16 }).notNull().default('member'),");
    expect(moved('src/modules/auth/tokens.ts')).toContain('return new SignJWT({ roles: [role] })');
    expect(moved('src/modules/auth/routes.ts')).toContain('const role = await repository.roleOf(rotated.userId);');
    expect(moved('src/app.ts')).not.toContain('isAdmin');
    expect(moved('src/plugins/authenticate.ts')).not.toContain('isAdmin');
    for (const [name, text] of [
      ['service', inService],
      ['monolith', monolith],
      ['moved', moved],
    ] as const) {
      for (const file of ['src/lib/access-tokens.ts', 'src/modules/auth/routes.ts', 'test/auth.test.ts']) {
        expect(text(file), `${name} ${file}`).not.toContain('{{');
      }
    }
  });

  it("takes both of the monolith's callers: its tokens, and the principals it signs for API keys", async () => {
    const withKeys: PlanInput = { ...project, stack: { ...stack, auth: ['jwt', 'apikey'] } };
    const { input } = serviceInput(withKeys, 'orders', '/p/orders-service', 3005);
    expect(input.stack.auth).toEqual(['jwt', 'apikey']);
    const plan = planProject(input, '0.1.0');
    expect(plan.features).toEqual(expect.arrayContaining(['auth-jwt-verify', 'auth-service-principal']));
    expect(plan.features).not.toContain('auth-apikey');
    expect(plan.data.has.apikey).toBeUndefined();
    // The keys and their table stay in the monolith.
    expect(plan.files.filter((file) => file.path.includes('api-keys') || file.path.includes('apikey'))).toEqual([]);
    expect(plan.devSecrets).toEqual(['JWT_SECRET', 'MONOLITH_SECRET']);
    const files = await renderProject(plan);
    const text = (file: string) => files.get(file)?.content.toString('utf8') ?? '';
    expect(text('src/app.ts')).toContain(
      'verifyServicePrincipal: createServicePrincipalVerifier(config.MONOLITH_SECRET),',
    );
    expect(text('src/app.ts')).toContain('verifyBearer: createAccessTokenVerifier(config.JWT_SECRET),');
    expect(text('src/db/schema.ts')).not.toMatch(/api_keys/);
    expect(text('.env.example')).toMatch(/^MONOLITH_SECRET=$/m);
    expect(JSON.parse(text('package.json')).scripts).not.toHaveProperty('apikey:create');
    expect(text('README.md')).toContain('**whoever holds `MONOLITH_SECRET` may speak for any key owner**');
  });

  it('takes a project whose only auth is API keys: a service that trusts signed principals only', async () => {
    const keys: PlanInput = { ...project, stack: { ...stack, auth: ['apikey'] } };
    const plan = planProject(serviceInput(keys, 'orders', '/p/orders-service', 3005).input, '0.1.0');
    expect(plan.features.filter((feature) => feature.startsWith('auth'))).toEqual(['auth', 'auth-service-principal']);
    const files = await renderProject(plan);
    const text = (file: string) => files.get(file)?.content.toString('utf8') ?? '';
    expect(text('src/plugins/authenticate.ts')).toContain('return opts.verifyServicePrincipal(request);');
    expect(text('src/plugins/authenticate.ts')).not.toMatch(/x-api-key'\]|verifyApiKey|verifyBearer/);
    expect(text('test/helpers.ts')).toContain('signRequests(app);');
    for (const [file, rendered] of files) {
      if (file.endsWith('.ts')) expect(rendered.content.toString('utf8'), file).not.toContain('{{');
    }
  });

  it('keeps oauth2 as it is: the same provider, owners already plain columns', () => {
    const oauth2: PlanInput = { ...project, stack: { ...stack, auth: ['oauth2'] } };
    const { input } = serviceInput(oauth2, 'orders', '/p/orders-service', 3005);
    expect(input.stack).toEqual(oauth2.stack);
    const plan = planProject(input, '0.1.0');
    const { identity: _, ...monolithLike } = input;
    const plain = planProject(monolithLike, '0.1.0');
    expect(plan.features).toEqual(plain.features);
    expect(plan.files.map((file) => file.path)).toEqual(plain.files.map((file) => file.path));
    expect(plan.data.resources[0]?.schema).toMatch(/ownerId: varchar\('owner_id', \{ length: 255 \}\)\.notNull\(\),/);
  });

  it('is read back from the manifest, so add and upgrade keep it; one it cannot read is refused', () => {
    const { input } = serviceInput(project, 'orders', '/p/orders-service', 3005);
    const manifest = manifestOf(planProject(input, '0.1.0'), {}, '2026-01-01T00:00:00.000Z');
    const identity = { mode: 'verify', issuer: 'shop', database: 'orders_service', port: 3005 };
    expect(manifest.identity).toEqual(identity);
    expect(recordedInput('/p/orders-service', manifest).identity).toEqual(identity);
    // A service made before its database and port were recorded keeps the ones it had.
    const older = { ...manifest, identity: { mode: 'verify', issuer: 'shop' } } as unknown as Manifest;
    expect(recordedInput('/p/orders-service', older).identity).toEqual({ mode: 'verify', issuer: 'shop' });
    const monolith = manifestOf(planProject(project, '0.1.0'), {}, '2026-01-01T00:00:00.000Z');
    expect(monolith).not.toHaveProperty('identity');
    expect(recordedInput('/p/shop', monolith)).not.toHaveProperty('identity');
    for (const identity of [
      { mode: 'sign', issuer: 'shop' },
      { mode: 'verify' },
      { mode: 'verify', issuer: 'shop', database: 'orders; drop' },
      { mode: 'verify', issuer: 'shop', port: '3005' },
      { mode: 'verify', issuer: 'shop', port: 70000 },
      null,
    ]) {
      const edited = { ...manifest, identity } as unknown as Manifest;
      expect(() => recordedInput('/p/orders-service', edited), JSON.stringify(identity)).toThrow(
        /records an identity this version cannot read/,
      );
    }
  });

  it.each([
    ['postgres', 'postgres://postgres:postgres@127.0.0.1:5432/orders_service', 'POSTGRES_DB: orders_service'],
    ['mysql', 'mysql://root:mysql@127.0.0.1:3306/orders_service', 'MYSQL_DATABASE: orders_service'],
  ] as const)(
    'gives it a database of its own on %s: .env.example, config, compose, CI and README agree',
    async (db, url, server) => {
      const input = serviceInput(
        { ...project, stack: withDefaults({ db, auth: ['jwt'], deploy: ['docker'] }) },
        'orders',
        '/p/orders-service',
        3005,
      ).input;
      const files = await renderProject(planProject(input, '0.1.0'));
      const text = (file: string) => files.get(file)?.content.toString('utf8') ?? '';
      expect(text('.env.example')).toContain(`\nDATABASE_URL=${url}\n`);
      expect(text('src/config.ts')).toContain(`default: '${url}'`);
      expect(text('README.md')).toContain(`| \`${url}\` |`);
      const compose = text('docker-compose.yml');
      expect(compose).toContain(`DATABASE_URL: ${url.replace('127.0.0.1', 'db')}\n`);
      expect(compose).toContain(`${server}\n`);
      expect(text('.github/workflows/ci.yml')).toContain(url);
      // drizzle-kit and the tests, when DATABASE_URL is not set.
      expect(text('drizzle.config.ts')).toContain(`'${url}'`);
      expect(text('test/server.ts')).toContain(`'${url}'`);
      const fallbacks = `${text('drizzle.config.ts')}${text('test/server.ts')}`;
      expect(`${compose}${text('.env.example')}${text('README.md')}${fallbacks}`).not.toMatch(
        /:(5432|3306)\/app\b|_DB: app|_DATABASE: app|-d app\b/,
      );
    },
  );
});
