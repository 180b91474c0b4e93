// Starts the server: read config, build the app, listen, and shut down gracefully on SIGTERM/SIGINT.
import { loadConfig, ConfigError } from './config.js';
import { createLogger } from './logger.js';
import { buildApp } from './app.js';
import { openWritableStore, StorageError } from './store/open-writable.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  // the database must take a write before anything is served (a read-only one would only fail request by request)
  let store;
  try {
    store = await openWritableStore(config, Boolean(process.env.DATABASE_URL));
  } catch (error) {
    if (error instanceof StorageError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await buildApp(config, { logger, store });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close();
      await store.close(); // after the app: requests in flight may still write
      logger.info('closed cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'error while closing');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  logger.info(`support-desk is up: help center ${config.publicUrl}/help, demo ${config.publicUrl}/, agent console ${config.publicUrl}/agent, API docs ${config.publicUrl}/docs`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
