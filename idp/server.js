// A local OpenID Connect provider for development and tests, shaped like ID-porten and a
// municipality's staff provider: ID tokens carry pid, acr, amr and sid (and groups for staff).
// It is `oidc-provider` (a certified implementation) with an interaction of its own: one form
// field for the account id and a level of assurance, consent granted at once, no web fonts.
//
// Settings (environment):
//   IDP_PORT                  port to listen on (default 9000), on 127.0.0.1
//   IDP_ISSUER                issuer (default http://127.0.0.1:<port>)
//   IDP_APP_URL               Medvirk's address for the default clients (default http://127.0.0.1:5000)
//   IDP_REDIRECT_URIS         comma-separated redirect URIs of the registered clients
//                             (default http://127.0.0.1:5000/login/oidc/idporten/callback and
//                             .../login/oidc/staff/callback)
//   IDP_POST_LOGOUT_URIS      comma-separated post-logout redirect URIs (default http://127.0.0.1:5000/)
//   IDP_CLIENTS               JSON list of client metadata replacing the default clients
//   IDP_ID_TOKEN_TTL          seconds an ID token lives (default 3600)
//
// Front-channel logout (OpenID Connect Front-Channel Logout 1.0), which oidc-provider 8 lacks,
// is done here as ID-porten does it: a client registered with `frontchannel_logout_uri` is
// loaded in a hidden frame with `iss` and `sid` on the page that confirms the logout.
//
// Test control (this is a test provider; never expose it): POST /__test/accounts/<id> with a
// JSON object of claims (pid, groups, name) creates or changes an account; POST /__test/settings
// with {"idTokenTtl": n} changes the ID token lifetime for the following logins, and with
// {"tamper": "audience" | "nonce" | "signature"} spoils the next ID token in that one way.
import crypto from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.IDP_PORT || 9000);
const issuer = process.env.IDP_ISSUER || `http://127.0.0.1:${port}`;
const appBase = (process.env.IDP_APP_URL || 'http://127.0.0.1:5000').replace(/\/$/, '');
const list = (value, fallback) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : fallback);
const redirectUris = list(process.env.IDP_REDIRECT_URIS, [
  `${appBase}/login/oidc/idporten/callback`,
  `${appBase}/login/oidc/staff/callback`,
]);
const postLogoutUris = list(process.env.IDP_POST_LOGOUT_URIS, [`${appBase}/`]);

const LEVELS = ['idporten-loa-low', 'idporten-loa-substantial', 'idporten-loa-high'];

const settings = { idTokenTtl: Number(process.env.IDP_ID_TOKEN_TTL || 3600), tamper: null };

// Synthetic people (pid values in the Tenor test range). Any other account id typed on the
// login page becomes a person whose pid is derived from it, so tests can make new people.
const accounts = new Map(Object.entries({
  kari: { pid: '12828099526', name: 'Kari Nordmann' },
  ola: { pid: '05917596431', name: 'Ola Nordmann' },
  'staff-moderator': { pid: '24868198316', name: 'Mona Moderator', groups: ['medvirk-moderators'] },
  'staff-admin': { pid: '13850198431', name: 'Arne Admin', groups: ['medvirk-admins'] },
}));

function account(id) {
  if (!accounts.has(id)) {
    const digits = BigInt(`0x${crypto.createHash('sha256').update(id).digest('hex')}`) % 10n ** 11n;
    accounts.set(id, { pid: digits.toString().padStart(11, '0'), name: id });
  }
  return accounts.get(id);
}

const defaultClients = [
  {
    client_id: 'medvirk',
    client_secret: 'medvirk-dev-secret',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutUris,
    token_endpoint_auth_method: 'client_secret_basic',
    default_acr_values: ['idporten-loa-substantial'],
    frontchannel_logout_uri: `${appBase}/login/oidc/idporten/frontchannel-logout`,
  },
  {
    client_id: 'medvirk-staff',
    client_secret: 'medvirk-staff-dev-secret',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutUris,
    token_endpoint_auth_method: 'client_secret_post',
    default_acr_values: ['idporten-loa-substantial'],
    frontchannel_logout_uri: `${appBase}/login/oidc/staff/frontchannel-logout`,
  },
];
const clients = process.env.IDP_CLIENTS ? JSON.parse(process.env.IDP_CLIENTS) : defaultClients;

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}
label{display:block;margin:1rem 0 .25rem}input,select,button{font-size:1rem;padding:.4rem}</style>
</head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;

// Front-channel logout frames waiting for the page after the logout (cookie -> iframe URLs).
const frontchannel = new Map();

async function frontchannelFrames(ctx) {
  // Every client of this browser's session that asked for front-channel logout, with its sid.
  const { session } = ctx.oidc;
  const frames = [];
  for (const clientId of Object.keys(session.authorizations || {})) {
    const client = await ctx.oidc.provider.Client.find(clientId);
    const uri = client && client.metadata().frontchannel_logout_uri;
    if (uri) {
      const url = new URL(uri);
      url.searchParams.set('iss', issuer);
      url.searchParams.set('sid', session.sidFor(clientId));
      frames.push(url.href);
    }
  }
  return frames;
}

const configuration = {
  clients,
  extraClientMetadata: { properties: ['frontchannel_logout_uri'] },
  acrValues: LEVELS,
  // ID-porten puts pid, amr and sid in the ID token; custom claims must be declared under a scope.
  claims: { openid: ['sub', 'pid', 'amr', 'sid'], profile: ['name', 'locale'], groups: ['groups'] },
  scopes: ['openid', 'profile', 'groups'],
  conformIdTokenClaims: false,
  pkce: { required: () => true, methods: ['S256'] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  ttl: { IdToken: () => settings.idTokenTtl },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        // The session (and its sids) is gone once the logout is confirmed: note the frames now,
        // show them on the page that follows the logout.
        const key = crypto.randomBytes(16).toString('hex');
        frontchannel.set(key, await frontchannelFrames(ctx));
        ctx.cookies.set('idp_fcl', key, { httpOnly: true, sameSite: 'lax', overwrite: true });
        ctx.body = page('Logg ut', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Logg ut</button>`);
      },
      async postLogoutSuccessSource(ctx) {
        const key = ctx.cookies.get('idp_fcl');
        const frames = (key && frontchannel.get(key)) || [];
        frontchannel.delete(key);
        const iframes = frames.map((src) => `<iframe src="${esc(src)}" title="Utlogging" hidden></iframe>`).join('');
        ctx.body = page('Du er logget ut', `<p>Du er logget ut av testinnloggingen.</p>${iframes}`);
      },
    },
    backchannelLogout: { enabled: true },
  },
  async findAccount(ctx, sub) {
    const person = account(sub);
    return {
      accountId: sub,
      async claims() {
        return { sub, pid: person.pid, name: person.name, groups: person.groups || [] };
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Noe gikk galt', Object.entries(out).map(([k, v]) => `<p><strong>${esc(k)}</strong>: ${esc(v)}</p>`).join(''));
  },
  async loadExistingGrant(ctx) {
    // Consent is granted at once: every requested scope and claim.
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
provider.proxy = true;
// ID-porten puts `sid` in every ID token; oidc-provider only for back-channel clients.
provider.Client.prototype.includeSid = function includeSid() { return true; };

// Tests of the relying party's checks: the next ID token is issued wrong in one way, once
// (settings.tamper = "audience" | "nonce" | "signature"), by the provider's own signing code.
const issueIdToken = provider.IdToken.prototype.issue;
provider.IdToken.prototype.issue = async function issue(options = {}) {
  const { tamper } = settings;
  if (options.use !== 'idtoken' || !tamper) return issueIdToken.call(this, options);
  settings.tamper = null;
  if (tamper === 'nonce') this.set('nonce', 'not-the-nonce-that-was-sent');
  if (tamper === 'audience') {
    const { client } = this;
    this.client = new Proxy(client, { get: (target, key) => (key === 'clientId' ? 'another-client' : Reflect.get(target, key)) });
  }
  const token = await issueIdToken.call(this, options);
  if (tamper !== 'signature') return token;
  const [header, payload, signature] = token.split('.');
  const flipped = (signature[10] === 'A' ? 'B' : 'A');
  return [header, payload, signature.slice(0, 10) + flipped + signature.slice(11)].join('.');
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => { data += chunk; });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

async function interaction(req, res, uid) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    const accountId = (form.get('account') || '').trim();
    const acr = form.get('acr');
    if (!accountId || !LEVELS.includes(acr)) {
      res.statusCode = 400;
      res.end('account and acr are required');
      return;
    }
    account(accountId);
    // The amr ID-porten reports for the method; "pwd" stands in for MinID at the lowest level.
    const amr = acr === 'idporten-loa-low' ? ['pwd'] : ['BankID'];
    await provider.interactionFinished(req, res, { login: { accountId, acr, amr } }, { mergeWithLastSubmission: false });
    return;
  }
  const asked = details.params.acr_values ? String(details.params.acr_values).split(' ') : [];
  const options = LEVELS.map((level) => `<option${asked[0] === level ? ' selected' : ''}>${level}</option>`).join('');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page('Testinnlogging', `<form method="post" action="/interaction/${esc(uid)}">
<label for="account">Konto</label><input id="account" name="account" autocomplete="username" required value="${esc(details.params.login_hint || '')}">
<label for="acr">Sikkerhetsnivå</label><select id="acr" name="acr">${options}</select>
<p><button type="submit">Logg inn</button></p></form>`));
}

async function control(req, res, path) {
  const body = JSON.parse((await readBody(req)) || '{}');
  if (path.startsWith('/__test/accounts/')) {
    const id = decodeURIComponent(path.slice('/__test/accounts/'.length));
    accounts.set(id, { ...account(id), ...body });
  } else if (path === '/__test/settings') {
    Object.assign(settings, body);
  } else {
    res.statusCode = 404;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ ok: res.statusCode === 200 }));
}

const callback = provider.callback();
const server = createServer(async (req, res) => {
  const path = new URL(req.url, issuer).pathname;
  try {
    const match = path.match(/^\/interaction\/([^/]+)$/);
    if (match) return await interaction(req, res, match[1]);
    if (req.method === 'POST' && path.startsWith('/__test/')) return await control(req, res, path);
    return callback(req, res);
  } catch (error) {
    res.statusCode = 400;
    res.end(`interaction failed: ${error.message}`);
  }
});
server.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider ${issuer} listening on 127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
