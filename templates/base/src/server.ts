import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { serve } from './lifecycle.js';

const config = readConfig();
const app = await buildApp(config);
await serve(app, config);
