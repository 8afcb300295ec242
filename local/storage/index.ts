import { Hono } from 'hono';
import type { Service, ServiceContext } from '../shared/context.ts';

// Placeholder while the Storage service is being built: every route answers 501.
export async function createStorageService(_ctx: ServiceContext): Promise<Service> {
  const app = new Hono();
  app.all('*', (c) => c.json({ message: 'storage is not served yet' }, 501));
  return { app, close: async () => {} };
}
