import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { badRequest, internal, notFound, unprocessable, validationFailed } from '../errors.ts';
import { checkPasswordStrength, hashPassword, randomPassword } from '../passwords.ts';
import { readJsonBody, requireAdmin, stringParam, objectParam, type AuthContext, type AuthDeps, type AuthEnv } from '../request.ts';
import { parseGoDuration } from '../settings.ts';
import {
  ban,
  confirmEmail,
  confirmPhone,
  deleteUser,
  insertUser,
  markPermanent,
  setEmail,
  setPhone,
  setRole,
  softDeleteUser,
  updateAppMetadata,
  updatePassword,
  updateUserMetadata,
} from '../user-writes.ts';
import { factorJson, findUserById, findUserWithEmailIdentity, hasPassword, insertIdentity, isUuid, listUsers, userJson, type User } from '../users.ts';
import { validateEmail, validatePhone } from '../validation.ts';

/** The admin user API (`/admin/users…`), for service_role callers, as GoTrue's admin handlers. */
export function adminRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;
  app.use('/admin/*', requireAdmin(deps));

  const loadUser = async (c: AuthContext): Promise<User> => {
    const id = c.req.param('user_id') ?? '';
    if (!isUuid(id)) throw notFound('validation_failed', 'user_id must be an UUID');
    const user = await findUserById(db.pool, id);
    if (!user) throw notFound('user_not_found', 'User not found');
    return user;
  };
  const actor = (c: AuthContext) => String(c.get('claims').role ?? '');

  app.get('/admin/users', async (c) => {
    const page = positiveInt(c.req.query('page'), 1);
    const perPage = positiveInt(c.req.query('per_page'), 50);
    const { users, total } = await listUsers(db.pool, settings.audience, page, perPage, c.req.query('filter') ?? '');
    const totalPages = Math.ceil(total / perPage);
    const url = new URL(c.req.url);
    const link = (p: number) => {
      url.searchParams.set('page', String(p));
      return `<${url.pathname}${url.search}>`;
    };
    let header = '';
    if (totalPages > page) header += `${link(page + 1)}; rel="next", `;
    header += `${link(totalPages)}; rel="last"`;
    c.header('Link', header);
    c.header('X-Total-Count', String(total));
    return c.json({ users: users.map(userJson), aud: settings.audience });
  });

  app.post('/admin/users', async (c) => {
    const body = await readJsonBody(c);
    let email = stringParam(body, 'email');
    let phone = stringParam(body, 'phone');
    if (!email && !phone) throw validationFailed('Cannot create a user without either an email or phone');
    const providers: string[] = [];
    if (email) {
      email = validateEmail(email);
      if (await findUserWithEmailIdentity(db.pool, email, settings.audience)) {
        throw unprocessable('email_exists', 'A user with this email address has already been registered');
      }
      providers.push('email');
    }
    if (phone) {
      phone = validatePhone(phone);
      const taken = await db.pool.query('select 1 from auth.users where phone = $1 and aud = $2', [phone, settings.audience]);
      if (taken.rowCount) throw unprocessable('phone_exists', 'Phone number already registered by another user');
      providers.push('phone');
    }
    const password = typeof body.password === 'string' ? body.password : '';
    const passwordHash = stringParam(body, 'password_hash');
    if (password && passwordHash) throw validationFailed('Only a password or a password hash should be provided');
    const id = stringParam(body, 'id');
    if (id && !isUuid(id)) throw validationFailed('ID must conform to the uuid v4 format');
    const banUntil = parseBanDuration(stringParam(body, 'ban_duration'));
    const encrypted = passwordHash || (await hashPassword(password || randomPassword()));
    const appMetadata = objectParam(body, 'app_metadata');

    const created = await db
      .transaction(async (tx) => {
        const userId = await insertUser(tx, {
          id: id || undefined,
          email: email || undefined,
          phone: phone || undefined,
          encryptedPassword: encrypted,
          aud: stringParam(body, 'aud') || settings.audience,
          role: stringParam(body, 'role') || settings.defaultRole,
          appMetadata: { provider: providers[0], providers },
          userMetadata: objectParam(body, 'user_metadata') ?? {},
        });
        if (email) await insertIdentity(tx, userId, 'email', userId, { sub: userId, email, email_verified: false, phone_verified: false });
        if (phone) await insertIdentity(tx, userId, 'phone', userId, { sub: userId, phone, email_verified: false, phone_verified: false });
        let user = (await findUserById(tx, userId))!;
        if (appMetadata) await updateAppMetadata(tx, user, appMetadata);
        if (body.email_confirm === true) await confirmEmail(tx, user);
        if (body.phone_confirm === true) await confirmPhone(tx, user);
        if (banUntil !== undefined) await ban(tx, userId, banUntil);
        await audit(tx, userId, actor(c), 'user_signedup', { provider: providers[0] }, undefined);
        user = (await findUserById(tx, userId))!;
        return user;
      })
      .catch((error: unknown) => {
        throw internal('Database error creating new user', error);
      });
    return c.json(userJson(created));
  });

  app.get('/admin/users/:user_id', async (c) => c.json(userJson(await loadUser(c))));

  app.put('/admin/users/:user_id', async (c) => {
    const user = await loadUser(c);
    const body = await readJsonBody(c);
    const email = stringParam(body, 'email') ? validateEmail(stringParam(body, 'email')) : '';
    const phone = stringParam(body, 'phone') ? validatePhone(stringParam(body, 'phone')) : '';
    const banUntil = parseBanDuration(stringParam(body, 'ban_duration'));
    const password = typeof body.password === 'string' ? body.password : undefined;
    if (password !== undefined) checkPasswordStrength(settings, password);
    const encrypted = password !== undefined ? await hashPassword(password) : undefined;
    const addingFirstPassword = !!password && !hasPassword(user);
    const userMetadata = objectParam(body, 'user_metadata');
    const appMetadata = objectParam(body, 'app_metadata');
    const role = stringParam(body, 'role');

    await db
      .transaction(async (tx) => {
        // GoTrue's adminUserUpdate, step by step: each write is the model's named operation.
        if (role) await setRole(tx, user.id, role);
        if (body.email_confirm === true) await confirmEmail(tx, user);
        if (body.phone_confirm === true) await confirmPhone(tx, user);
        // Pending links and codes die with the old password, and every session is signed out.
        if (encrypted !== undefined) await updatePassword(tx, user.id, encrypted, null);
        if (email) {
          const identity = user.identities.find((i) => i.provider === 'email');
          if (identity) {
            await tx.query(
              `update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = now() where id = $1`,
              [identity.id, JSON.stringify({ email, email_verified: body.email_confirm === true })],
            );
          } else {
            await insertIdentity(tx, user.id, 'email', user.id, { sub: user.id, email, email_verified: body.email_confirm === true, phone_verified: false });
          }
          if (user.is_anonymous && body.email_confirm === true) await markPermanent(tx, user.id);
          await setEmail(tx, user.id, email);
        }
        if (phone) {
          const identity = user.identities.find((i) => i.provider === 'phone');
          const phoneData = { phone, phone_verified: body.phone_confirm === true };
          if (identity) {
            await tx.query(`update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = now() where id = $1`, [
              identity.id,
              JSON.stringify(phoneData),
            ]);
          } else {
            await insertIdentity(tx, user.id, 'phone', user.id, { sub: user.id, ...phoneData, email_verified: false });
          }
          if (user.is_anonymous && body.phone_confirm === true) await markPermanent(tx, user.id);
          await setPhone(tx, user.id, phone);
        }
        if (addingFirstPassword && (email || user.email) && !user.identities.some((i) => i.provider === 'email')) {
          const address = email || user.email!;
          await insertIdentity(tx, user.id, 'email', user.id, { sub: user.id, email: address, email_verified: false, phone_verified: false });
        }
        if (appMetadata) await updateAppMetadata(tx, user, appMetadata);
        if (userMetadata) await updateUserMetadata(tx, user, userMetadata);
        if (banUntil !== undefined) await ban(tx, user.id, banUntil);
        await audit(tx, user.id, actor(c), 'user_modified', { user_id: user.id, user_email: user.email }, undefined);
      })
      .catch((error: unknown) => {
        throw internal('Error updating user', error);
      });
    return c.json(userJson((await findUserById(db.pool, user.id))!));
  });

  app.delete('/admin/users/:user_id', async (c) => {
    const user = await loadUser(c);
    const body = await readJsonBody(c);
    await db.transaction(async (tx) => {
      await audit(tx, user.id, actor(c), 'user_deleted', { user_id: user.id, user_email: user.email }, undefined);
      if (body.should_soft_delete === true) {
        if (user.deleted_at) return;
        await softDeleteUser(tx, user.id);
      } else {
        await deleteUser(tx, user.id).catch((error: unknown) => {
          throw internal('Database error deleting user', error);
        });
      }
    });
    return c.json({});
  });

  app.get('/admin/users/:user_id/factors', async (c) => c.json((await loadUser(c)).factors.map(factorJson)));

  app.delete('/admin/users/:user_id/factors/:factor_id', async (c) => {
    const user = await loadUser(c);
    const factor = user.factors.find((f) => f.id === c.req.param('factor_id'));
    if (!factor) throw notFound('mfa_factor_not_found', 'Factor not found');
    await db.transaction(async (tx) => {
      await tx.query('delete from auth.mfa_factors where id = $1', [factor.id]);
      await tx.query(`update auth.sessions set aal = 'aal1', factor_id = null where factor_id = $1`, [factor.id]);
    });
    return c.json(factorJson(factor));
  });

  return app;
}

/** `ban_duration`: a Go duration ("876000h") from now, or "none" to lift the ban. */
function parseBanDuration(value: string): Date | null | undefined {
  if (!value) return undefined;
  if (value === 'none') return null;
  const ms = parseGoDuration(value);
  if (ms === undefined) throw badRequest('validation_failed', `invalid format for ban duration: time: invalid duration "${value}"`);
  return ms === 0 ? null : new Date(Date.now() + ms);
}

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw validationFailed(`Bad Pagination Parameters: strconv.ParseUint: parsing "${value}": invalid syntax`);
  }
  return parsed === 0 ? fallback : parsed;
}
