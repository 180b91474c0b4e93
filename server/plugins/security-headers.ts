// Security headers on every answer, from @fastify/helmet registered once: nosniff, no framing by other sites
// (frame-ancestors 'none' + X-Frame-Options DENY), Referrer-Policy, and a Content-Security-Policy that allows
// only our own scripts, styles and connections. Routes that need something else say so in their `helmet`
// route option with the presets below (the demo page's inline styles, the console's stricter policy,
// the widget script that other sites load).
import fp from 'fastify-plugin';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';

type RouteHelmet = Omit<FastifyHelmetOptions, 'global'>;

/** The policy of the help center and of every other answer (JSON included: it can never run anything). */
const BASE_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  scriptSrcAttr: ["'none'"],
};

function csp(secure: boolean, overrides: Partial<Record<keyof typeof BASE_DIRECTIVES, string[]>> = {}) {
  // upgrade-insecure-requests on an http deployment would send the page's own requests to https
  return { useDefaults: false, directives: { ...BASE_DIRECTIVES, ...overrides, upgradeInsecureRequests: secure ? [] : null } };
}

export interface SecurityHeaders {
  /** the demo shop page: its own inline <style>, and the widget from us */
  demoPage: RouteHelmet;
  /** agent pages: only our script and stylesheet, nothing inline, no referrer leaves the site */
  agentPage: RouteHelmet;
  /** /widget.js: other sites load it, so it must not be marked same-origin only */
  widgetScript: RouteHelmet;
  /** swagger-ui at /docs: its inline styles */
  docsCsp: string;
}

/** The per-route presets for a deployment (https or not, from PUBLIC_URL). */
export function securityHeaders(publicUrl: string): SecurityHeaders {
  const secure = new URL(publicUrl).protocol === 'https:';
  const docs = csp(secure, { styleSrc: ["'self'", "'unsafe-inline'"] }).directives;
  return {
    demoPage: { contentSecurityPolicy: csp(secure, { styleSrc: ["'self'", "'unsafe-inline'"] }) },
    agentPage: { contentSecurityPolicy: csp(secure), referrerPolicy: { policy: 'same-origin' } },
    widgetScript: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
    docsCsp: Object.entries(docs)
      .filter(([, value]) => value !== null)
      .map(([name, value]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${value!.length ? ` ${value!.join(' ')}` : ''}`)
      .join('; '),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    securityHeaders: SecurityHeaders;
  }
}

export default fp(
  async (app, { publicUrl }: { publicUrl: string }) => {
    const secure = new URL(publicUrl).protocol === 'https:';
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: csp(secure),
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      // HSTS only where there is https to stay on
      strictTransportSecurity: secure ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
    });
    app.decorate('securityHeaders', securityHeaders(publicUrl));
  },
  { name: 'security-headers' },
);
