import { Hono } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../env.js';
import { limitBody } from '../middleware/body.js';
import { clientIp, enforceLimit } from '../middleware/ratelimit.js';
import { blockViews } from './blocks.js';
import { driftViews } from './drift.js';
import { page } from './layout.js';
import { modelViews } from './models.js';
import { segmentViews } from './segments.js';
import { logIn, logOut, requireSession } from './session.js';

const loginForm = (error?: string) => html`${error ? html`<p class="card alarm" role="alert">${error}</p>` : ''}
<form class="card" method="post" action="/dashboard/login"><label for="token">Publish token</label>
<p class="muted" id="token-hint">Your own publish token: what you change here is recorded under its name.</p>
<input id="token" name="token" type="password" autocomplete="current-password" aria-describedby="token-hint" required autofocus>
<p><button type="submit">Sign in</button></p></form>`;

/** A token is a few dozen characters; a kilobyte is room for any form field around it. */
const MAX_LOGIN_BYTES = 4 * 1024;
/** The largest form is a block variant: its HTML may be 20,000 characters, up to three times that encoded. */
const MAX_FORM_BYTES = 128 * 1024;

/**
 * The merchandiser dashboard: server-rendered pages behind a token login. Every view reads and writes through
 * the same functions as the `/v1` admin routes, so there is one set of rules for both.
 *
 * @example
 * app.route('/dashboard', dashboardRoutes);
 */
export const dashboardRoutes = new Hono<AppEnv>()
  // Before anything reads a body (the session check reads forms for their CSRF token): an oversized one is
  // refused unread, with or without a Content-Length.
  .use('*', limitBody(MAX_FORM_BYTES))
  .get('/login', (c) => page(c, 'Sign in', loginForm(), { nav: false }))
  .post('/login', limitBody(MAX_LOGIN_BYTES), async (c) => {
    // Guessing the token is the attack a login invites; the per-IP budget the storefront writes share caps it.
    await enforceLimit(c.env, 'RATE_LIMIT_IP', `login:${clientIp(c)}`);
    const { token } = await c.req.parseBody();
    if (typeof token === 'string' && (await logIn(c, token))) return c.redirect('/dashboard/segments', 303);
    c.status(401);
    return page(c, 'Sign in', loginForm('That token is not a publish token.'), { nav: false });
  })
  .use('*', requireSession())
  .get('/', (c) => c.redirect('/dashboard/segments', 303))
  .post('/logout', async (c) => {
    await logOut(c);
    return c.redirect('/dashboard/login', 303);
  })
  .route('/segments', segmentViews)
  .route('/blocks', blockViews)
  .route('/models', modelViews)
  .route('/drift', driftViews);
