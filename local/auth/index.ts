import { Hono } from 'hono';
import { dbUrl } from '../config/index.ts';
import type { Service, ServiceContext } from '../shared/context.ts';
import { createAuthDatabase } from './db.ts';
import { renderError } from './errors.ts';
import { createRateLimits } from './rate-limit.ts';
import type { AuthDeps, AuthEnv } from './request.ts';
import { adminLinkRoutes } from './routes/admin-links.ts';
import { adminRoutes } from './routes/admin.ts';
import { emailLinkRoutes } from './routes/email-links.ts';
import { factorRoutes } from './routes/factors.ts';
import { publicRoutes } from './routes/public.ts';
import { reauthenticateRoutes } from './routes/reauthenticate.ts';
import { signupRoutes } from './routes/signup.ts';
import { tokenRoutes } from './routes/token.ts';
import { userRoutes } from './routes/user.ts';
import { verifyRoutes } from './routes/verify.ts';
import { readAuthSettings } from './settings.ts';

/**
 * Marquee Local's Auth: a GoTrue-compatible `/auth/v1`, connected as supabase_auth_admin,
 * configured from config.toml's `[auth]` tables at start.
 */
export async function createAuthService(ctx: ServiceContext): Promise<Service> {
  const settings = readAuthSettings(ctx.config);
  const db = createAuthDatabase(dbUrl(ctx.config, 'supabase_auth_admin'));
  const log = ctx.log.child({ service: 'auth' });
  const deps: AuthDeps = {
    settings,
    db,
    jwt: ctx.jwt,
    mailer: ctx.mailer,
    log,
    limits: createRateLimits({
      signInSignUpsPer5Min: settings.rateLimit.signInSignUpsPer5Min,
      tokenRefreshPer5Min: settings.rateLimit.tokenRefreshPer5Min,
      tokenVerificationsPer5Min: settings.rateLimit.tokenVerificationsPer5Min,
      anonymousUsersPerHour: settings.rateLimit.anonymousUsersPerHour,
      emailSentPerHour: settings.email.smtpEnabled ? settings.rateLimit.emailSentPerHour : undefined,
      smsSentPerHour: settings.rateLimit.smsSentPerHour,
    }),
  };

  const app = new Hono<AuthEnv>();
  const routeGroups = [
    publicRoutes,
    signupRoutes,
    tokenRoutes,
    userRoutes,
    reauthenticateRoutes,
    adminRoutes,
    adminLinkRoutes,
    emailLinkRoutes,
    verifyRoutes,
    factorRoutes,
  ];
  for (const routes of routeGroups) {
    app.route('/', routes(deps));
  }
  app.notFound((c) => c.json({ code: 404, msg: '404 page not found' }, 404));
  app.onError((error, c) => {
    const status = (error as { status?: number }).status;
    if (status === undefined || status >= 500) {
      log.error('auth request failed', { path: c.req.path, error: error.message, cause: causeOf(error) });
    }
    return renderError(c, error);
  });

  return {
    app: app as unknown as Hono,
    close: () => db.close(),
  };
}

function causeOf(error: Error): string | undefined {
  const internal = (error as { internal?: unknown }).internal;
  return internal instanceof Error ? internal.message : internal === undefined ? undefined : String(internal);
}
