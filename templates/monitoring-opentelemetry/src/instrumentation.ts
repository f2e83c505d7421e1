/*
 * Loaded before the app (`node --import ./dist/instrumentation.js dist/server.js`), so that
 * tracing can patch the modules the app loads. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing
 * starts, and the SDK is not even loaded: no start-up time, no patched module, no span.
 */
// As src/config.ts reads it: not under NODE_ENV=test, where the test gives the whole environment.
if (process.env.NODE_ENV !== 'test') {
  try {
    process.loadEnvFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
  const { startTracing } = await import('./telemetry.js');
  startTracing();
}
