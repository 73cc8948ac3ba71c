/**
 * The add-in's URLs: development (webpack-dev-server) and production (ADDIN_PROD_URL).
 *
 * manifest.xml is written with the development URL. The production build rewrites EVERY
 * occurrence (a global RegExp: Microsoft's template replaces only the first one):
 * `https://localhost:3000/…` becomes `<production URL>…`, and the bare origin
 * `https://localhost:3000` (AppDomain) becomes the production origin.
 */
const DEV_URL = 'https://localhost:3000/';
const DEFAULT_PROD_URL = 'https://thidua.evncpc.vn/addin/';

/** The production URL: env ADDIN_PROD_URL or the default; https only, always ending in `/`. */
function prodUrl(env = process.env) {
  let url = (env.ADDIN_PROD_URL || DEFAULT_PROD_URL).trim();
  if (!url.endsWith('/')) url += '/';
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`ADDIN_PROD_URL is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:') throw new Error(`ADDIN_PROD_URL must use https: ${url}`);
  if (/^(localhost|127\.|\[::1\])/i.test(parsed.hostname)) throw new Error(`ADDIN_PROD_URL must not be localhost: ${url}`);
  return url;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replace every development URL (and the bare dev origin) in `text`. */
function toProduction(text, prod = prodUrl(), dev = DEV_URL) {
  const devOrigin = new URL(dev).origin;
  const prodOrigin = new URL(prod).origin;
  const re = new RegExp(escapeRegExp(devOrigin) + '(/?)', 'g');
  return String(text).replace(re, (_, slash) => (slash ? prod : prodOrigin));
}

module.exports = { DEV_URL, DEFAULT_PROD_URL, prodUrl, toProduction };
