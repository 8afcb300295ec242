import { Hono } from 'hono';
import type { AuthDeps, AuthEnv } from '../request.ts';

/** `/health`, `/settings` and `/.well-known/jwks.json`: what GoTrue serves without a user. */
export function publicRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings } = deps;

  app.get('/health', (c) =>
    c.json({ version: 'v2.180.0', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' }),
  );

  app.get('/settings', (c) =>
    c.json({
      external: {
        anonymous_users: settings.anonymousSignInsEnabled,
        apple: false, azure: false, bitbucket: false, discord: false, facebook: false, figma: false, fly: false,
        github: false, gitlab: false, google: false, keycloak: false, kakao: false, linkedin: false,
        linkedin_oidc: false, notion: false, spotify: false, slack: false, slack_oidc: false, workos: false,
        twitch: false, twitter: false, x: false, zoom: false,
        email: settings.email.enabled,
        phone: settings.phoneEnabled,
      },
      disable_signup: !settings.signupEnabled,
      mailer_autoconfirm: settings.email.autoconfirm,
      phone_autoconfirm: settings.sms.autoconfirm,
      sms_provider: settings.sms.provider,
      saml_enabled: false,
    }),
  );

  app.get('/.well-known/jwks.json', (c) => {
    c.header('Cache-Control', 'public, max-age=600');
    return c.json(deps.jwt.jwks());
  });

  return app;
}
