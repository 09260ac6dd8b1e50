// The provider flavours beyond Gorgias and Kustomer, each in its own file, and the dispatch that
// routes /{provider}/{tenant}/{path} to them (a flavour's `layout` names its paths; its real
// hosts are path prefixes, see engine.mjs). Path routing only.
import { sendJson } from '../http.mjs';
import { authorizeGet, authorizePost, token, revoke, api, createFlavourState, LABEL } from './engine.mjs';
import { zendesk } from './zendesk.mjs';
import { front } from './front.mjs';
import { helpscout } from './helpscout.mjs';
import { zoho } from './zoho.mjs';
import { hubspot } from './hubspot.mjs';
import { intercom } from './intercom.mjs';

export const FLAVOURS = { zendesk, front, helpscout, zoho, hubspot, intercom };
export const FLAVOUR_IDS = Object.keys(FLAVOURS);

/** The ProviderConfig that points a flavour's preset at an emulator at `origin`. */
export function flavourConfig(origin, provider, options = {}) {
  return FLAVOURS[provider].providerConfig(new URL(origin).origin, options);
}

/** The request handler for every flavour; resolves to false for requests that are not theirs. */
export function createFlavours(options, now) {
  const fx = createFlavourState(FLAVOURS, options, now);
  return {
    state: fx,
    async handle(ctx, req, res, url) {
      const m = /^\/([a-z]+)\/([^/]+)\/(.+)$/.exec(url.pathname);
      const flavour = m && FLAVOURS[m[1]];
      if (!flavour) return false;
      const [, provider, account, path] = m;
      const known = flavour.tenants ? flavour.tenants.includes(account) : LABEL.test(account);
      if (!known) {
        sendJson(res, 404, { error: 'not_found', error_description: flavour.tenants ? `the ${flavour.name} emulator's data centres are ${flavour.tenants.join(', ')}` : 'the account must be one DNS label' });
        return true;
      }
      const r = { flavour, provider, account };
      const { layout } = flavour;
      const wrongMethod = (allow) => sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: allow });
      if (path === layout.authorize) {
        if (req.method === 'GET') authorizeGet(ctx, fx, req, res, url, r);
        else if (req.method === 'POST') await authorizePost(ctx, fx, req, res, r);
        else wrongMethod('GET, POST');
      } else if (path === layout.token) {
        if (req.method === 'POST') await token(ctx, fx, req, res, url, r);
        else wrongMethod('POST');
      } else if (layout.revoke && path === layout.revoke) {
        if (req.method === flavour.revoke.method) await revoke(ctx, fx, req, res, url, r);
        else wrongMethod(flavour.revoke.method);
      } else if (path.startsWith(`${layout.api}/`)) {
        api(ctx, fx, req, res, url, r, path.slice(layout.api.length + 1));
      } else {
        sendJson(res, 404, { error: 'not_found' });
      }
      return true;
    },
  };
}
