// The help center's static files: a name that is a property of every JavaScript object is just an unknown file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appOn, copyKb } from './fixtures/kb-fixtures.js';

let ctx: Awaited<ReturnType<typeof appOn>>;
beforeAll(async () => {
  ctx = await appOn(copyKb());
});
afterAll(async () => ctx?.close());

describe('/help/assets/:file', () => {
  it('serves help.css', async () => {
    const response = await ctx.app.inject({ url: '/help/assets/help.css' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/css/);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('answers 404 for %s, not 500', async (name) => {
    const response = await ctx.app.inject({ url: `/help/assets/${name}` });
    expect(response.statusCode).toBe(404);
  });
});
