#!/usr/bin/env node
/**
 * Offline checks of the add-in manifest (Microsoft's online validator needs the internet and
 * misses undefined resids). Usage:
 *
 *   node scripts/validate-manifest.js [--dist] [manifest.xml …]
 *
 * Without file arguments it checks manifest.xml (development) and, when it exists (or with
 * `--dist`, required), dist/manifest.xml as the production manifest: no localhost left, and every
 * URL under the production base names a file that the build put in dist/.
 *
 * Checks: well-formed XML; every resid defined in the right resource kind (≤ 32 characters, ids
 * unique); every URL https; Excel host, SharedRuntime 1.1, one long-lived runtime shared by the
 * task pane and the functions, CustomFunctions with namespace EVN; Vietnamese overrides of the
 * user-visible strings; icons 16/32/64/80 px in assets/ with those pixel sizes.
 */
const fs = require('fs');
const path = require('path');

// --- A small, strict XML parser (enough for manifests; no DOCTYPE, no external entities) -------

class XmlError extends Error {}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s, where) {
  return s.replace(/&([^;]*);?/g, (m, body) => {
    if (!m.endsWith(';')) throw new XmlError(`bare '&' in ${where}`);
    if (body in ENTITIES) return ENTITIES[body];
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(body);
    if (num) return String.fromCodePoint(num[1][0] === 'x' ? parseInt(num[1].slice(1), 16) : parseInt(num[1], 10));
    throw new XmlError(`unknown entity &${body}; in ${where}`);
  });
}

/** Parse XML text into { name, attrs, children, text, line } elements; throws XmlError. */
function parseXml(text) {
  let i = 0;
  const lineAt = (pos) => text.slice(0, pos).split('\n').length;
  const fail = (msg) => {
    throw new XmlError(`${msg} (line ${lineAt(i)})`);
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  if (text.startsWith('<?xml', i)) {
    const end = text.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  const stack = [];
  let root = null;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.length) {
      if (!stack.length) {
        if (chunk.trim()) fail('text outside the root element');
      } else {
        stack[stack.length - 1].text += decodeEntities(chunk, `<${stack[stack.length - 1].name}>`);
      }
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      if (text.slice(i + 4, end).includes('--')) fail("'--' inside a comment");
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      if (!stack.length) fail('CDATA outside the root element');
      const end = text.indexOf(']]>', i);
      if (end < 0) fail('unterminated CDATA');
      stack[stack.length - 1].text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      fail('DOCTYPE or declarations are not allowed');
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i);
      if (end < 0) fail('unterminated processing instruction');
      i = end + 2;
    } else if (text.startsWith('</', i)) {
      const m = NAME.exec(text.slice(i + 2));
      if (!m) fail('bad closing tag');
      const open = stack.pop();
      if (!open || open.name !== m[0]) fail(`closing </${m[0]}> does not match <${open ? open.name : '(none)'}>`);
      i += 2 + m[0].length;
      while (/\s/.test(text[i])) i++;
      if (text[i] !== '>') fail(`bad closing tag </${m[0]}>`);
      i++;
    } else {
      const m = NAME.exec(text.slice(i + 1));
      if (!m) fail('bad tag');
      const el = { name: m[0], attrs: {}, children: [], text: '', line: lineAt(i) };
      i += 1 + m[0].length;
      for (;;) {
        const ws = /^\s*/.exec(text.slice(i))[0];
        i += ws.length;
        if (text.startsWith('/>', i)) {
          i += 2;
          el.selfClosing = true;
          break;
        }
        if (text[i] === '>') {
          i++;
          break;
        }
        if (!ws.length) fail(`missing space between attributes of <${el.name}>`);
        const a = NAME.exec(text.slice(i));
        if (!a) fail(`bad attribute in <${el.name}>`);
        i += a[0].length;
        const eq = /^\s*=\s*/.exec(text.slice(i));
        if (!eq) fail(`attribute ${a[0]} of <${el.name}> has no value`);
        i += eq[0].length;
        const q = text[i];
        if (q !== '"' && q !== "'") fail(`attribute ${a[0]} of <${el.name}> is not quoted`);
        const end = text.indexOf(q, i + 1);
        if (end < 0) fail(`unterminated attribute ${a[0]}`);
        const raw = text.slice(i + 1, end);
        if (raw.includes('<')) fail(`'<' in attribute ${a[0]}`);
        if (a[0] in el.attrs) fail(`duplicate attribute ${a[0]} in <${el.name}>`);
        el.attrs[a[0]] = decodeEntities(raw, `attribute ${a[0]}`);
        i = end + 1;
      }
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) fail('more than one root element');
      else root = el;
      if (!el.selfClosing) stack.push(el);
    }
  }
  if (stack.length) throw new XmlError(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new XmlError('no root element');
  return root;
}

function* walk(el, parents = []) {
  yield [el, parents];
  for (const c of el.children) yield* walk(c, [...parents, el]);
}

const local = (name) => name.replace(/^.*:/, '');

// --- Manifest checks ---------------------------------------------------------------------------

/** Which resource kind each resid-bearing element must point to. */
const RESID_KIND = {
  Image: 'Images',
  SourceLocation: 'Urls',
  Runtime: 'Urls',
  FunctionFile: 'Urls',
  LearnMoreUrl: 'Urls',
  Label: 'ShortStrings',
  Title: 'ShortStrings',
  Namespace: 'ShortStrings',
  Description: 'LongStrings',
};

const ICON_SIZES = [16, 32, 64, 80];

/** Width and height of a PNG (from IHDR), or null when not a PNG. */
function pngSize(buf) {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (buf.length < 24 || !sig.every((b, k) => buf[k] === b) || buf.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * Check a manifest's text. Options: `production` (no localhost; files under `baseUrl` must exist
 * in `distDir`), `assetsDir` (where icon files live). Returns { errors, info }.
 */
function checkManifest(text, options = {}) {
  const errors = [];
  const info = {};
  let root;
  try {
    root = parseXml(text);
  } catch (e) {
    return { errors: [`not well-formed XML: ${e.message}`], info };
  }
  if (root.name !== 'OfficeApp') errors.push(`root element is <${root.name}>, expected <OfficeApp>`);
  if (root.attrs['xsi:type'] !== 'TaskPaneApp') errors.push('OfficeApp xsi:type must be TaskPaneApp');

  // Resources: id → kind.
  const defined = new Map();
  for (const [el, parents] of walk(root)) {
    const parent = parents[parents.length - 1];
    const grand = parents[parents.length - 2];
    if (!parent || !grand || local(grand.name) !== 'Resources') continue;
    if (!['Image', 'Url', 'String'].includes(local(el.name))) continue;
    const id = el.attrs.id;
    if (!id) {
      errors.push(`<${el.name}> in <${parent.name}> has no id (line ${el.line})`);
      continue;
    }
    if (defined.has(id)) errors.push(`resource id '${id}' is defined twice (line ${el.line})`);
    if (id.length > 32) errors.push(`resource id '${id}' is longer than 32 characters`);
    if (!el.attrs.DefaultValue) errors.push(`resource '${id}' has no DefaultValue`);
    defined.set(id, { kind: local(parent.name), el });
  }
  const used = new Set();
  for (const [el] of walk(root)) {
    const resid = el.attrs.resid;
    if (resid === undefined) continue;
    used.add(resid);
    const d = defined.get(resid);
    if (!d) {
      errors.push(`resid '${resid}' used by <${el.name}> (line ${el.line}) is not defined in <Resources>`);
      continue;
    }
    const want = RESID_KIND[local(el.name)];
    const ok = want === d.kind || (want === 'ShortStrings' && d.kind === 'LongStrings') || (want === 'LongStrings' && d.kind === 'ShortStrings');
    if (want && !ok) errors.push(`resid '${resid}' of <${el.name}> (line ${el.line}) is a ${d.kind} resource, expected ${want}`);
    if (resid.length > 32) errors.push(`resid '${resid}' is longer than 32 characters`);
  }
  info.unusedResources = [...defined.keys()].filter((id) => !used.has(id));

  // URLs: every URL-looking value must be https (namespace declarations are names, not URLs).
  const urls = [];
  for (const [el] of walk(root)) {
    for (const [k, v] of Object.entries(el.attrs)) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v.trim())) urls.push({ url: v.trim(), where: `${el.name}@${k} (line ${el.line})` });
    }
    const t = el.text.trim();
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) urls.push({ url: t, where: `<${el.name}> (line ${el.line})` });
  }
  for (const { url, where } of urls) {
    let u;
    try {
      u = new URL(url);
    } catch {
      errors.push(`not a valid URL: ${url} at ${where}`);
      continue;
    }
    if (u.protocol !== 'https:') errors.push(`not https: ${url} at ${where}`);
    if (options.production && /^(localhost|127\.0\.0\.1|\[::1\])$/i.test(u.hostname)) errors.push(`localhost left in the production manifest: ${url} at ${where}`);
  }
  if (options.production && /localhost/i.test(text)) errors.push("the production manifest still contains 'localhost'");
  info.urls = urls.map((x) => x.url);

  // Structure of the shared-runtime add-in.
  const all = [...walk(root)].map(([el]) => el);
  const byLocal = (n) => all.filter((el) => local(el.name) === n);
  if (!byLocal('Host').some((h) => h.attrs.Name === 'Workbook')) errors.push('no <Host Name="Workbook"> (Excel)');
  if (!byLocal('Set').some((s) => s.attrs.Name === 'SharedRuntime' && s.attrs.MinVersion === '1.1')) errors.push('SharedRuntime 1.1 is not required');
  const runtimes = byLocal('Runtime');
  if (runtimes.length !== 1 || runtimes[0].attrs.lifetime !== 'long') errors.push('expected exactly one <Runtime lifetime="long">');
  const runtimeUrl = runtimes[0] && runtimes[0].attrs.resid;
  const cf = byLocal('ExtensionPoint').find((e) => e.attrs['xsi:type'] === 'CustomFunctions');
  if (!cf) errors.push('no CustomFunctions extension point');
  else {
    const pick = (n) => [...walk(cf)].map(([el]) => el).find((el) => local(el.name) === n);
    const page = pick('Page');
    const pageSrc = page && page.children.find((c) => local(c.name) === 'SourceLocation');
    if (!pageSrc || pageSrc.attrs.resid !== runtimeUrl) errors.push('the functions <Page> does not use the shared runtime URL');
    const ns = pick('Namespace');
    const nsDef = ns && defined.get(ns.attrs.resid);
    if (!nsDef || nsDef.el.attrs.DefaultValue !== 'EVN') errors.push('the functions namespace is not EVN');
    for (const n of ['Script', 'Metadata']) if (!pick(n)) errors.push(`CustomFunctions has no <${n}>`);
  }
  for (const ff of byLocal('FunctionFile')) if (ff.attrs.resid !== runtimeUrl) errors.push('<FunctionFile> does not use the shared runtime URL');
  for (const a of byLocal('Action')) {
    if (a.attrs['xsi:type'] !== 'ShowTaskpane') continue;
    const src = a.children.find((c) => local(c.name) === 'SourceLocation');
    if (!src || src.attrs.resid !== runtimeUrl) errors.push('the ShowTaskpane action does not use the shared runtime URL');
  }
  const homeGroup = byLocal('OfficeTab').find((t) => t.attrs.id === 'TabHome');
  if (!homeGroup || !homeGroup.children.some((c) => local(c.name) === 'Group')) errors.push('no ribbon group on the Home tab');

  // Vietnamese and English: user-visible strings carry a vi-VN override.
  for (const n of ['DisplayName', 'Description']) {
    const el = root.children.find((c) => c.name === n);
    if (!el || !el.children.some((c) => local(c.name) === 'Override' && c.attrs.Locale === 'vi-VN')) errors.push(`<${n}> has no vi-VN override`);
  }
  for (const [id, d] of defined) {
    if (d.kind !== 'ShortStrings' && d.kind !== 'LongStrings') continue;
    if (id === 'Functions.Namespace') continue;
    if (!d.el.children.some((c) => local(c.name) === 'Override' && c.attrs.Locale === 'vi-VN')) errors.push(`string '${id}' has no vi-VN override`);
  }

  // Icons referenced by size: the file's pixels match.
  if (options.assetsDir) {
    for (const [el] of walk(root)) {
      if (local(el.name) !== 'Image' || !el.attrs.size) continue;
      const d = defined.get(el.attrs.resid);
      if (!d) continue;
      const file = path.join(options.assetsDir, path.basename(new URL(d.el.attrs.DefaultValue).pathname));
      const size = fs.existsSync(file) ? pngSize(fs.readFileSync(file)) : null;
      if (!size) errors.push(`icon ${file} (${el.attrs.resid}) is missing or not a PNG`);
      else if (size.width !== Number(el.attrs.size) || size.height !== Number(el.attrs.size)) {
        errors.push(`icon ${el.attrs.resid} is ${size.width}×${size.height}, used as size ${el.attrs.size}`);
      }
    }
  }

  // Production: every URL under the add-in's base is a file of the build.
  if (options.production && options.baseUrl && options.distDir) {
    for (const url of info.urls) {
      if (!url.startsWith(options.baseUrl)) continue;
      const rel = decodeURIComponent(url.slice(options.baseUrl.length).split(/[?#]/)[0]);
      if (rel === '') continue;
      if (!fs.existsSync(path.join(options.distDir, rel))) errors.push(`${url} has no file ${rel} in ${options.distDir}`);
    }
  }
  return { errors, info };
}

/** The four icons in `assetsDir` exist with their pixel sizes. */
function checkIcons(assetsDir) {
  const errors = [];
  for (const s of ICON_SIZES) {
    const file = path.join(assetsDir, `icon-${s}.png`);
    if (!fs.existsSync(file)) {
      errors.push(`missing ${file}`);
      continue;
    }
    const size = pngSize(fs.readFileSync(file));
    if (!size) errors.push(`${file} is not a PNG`);
    else if (size.width !== s || size.height !== s) errors.push(`${file} is ${size.width}×${size.height}, expected ${s}×${s}`);
  }
  return errors;
}

function main(argv) {
  const root = path.resolve(__dirname, '..');
  const { prodUrl } = require('./manifest-urls');
  const requireDist = argv.includes('--dist');
  const files = argv.filter((a) => !a.startsWith('--'));
  const targets = [];
  if (files.length) {
    for (const f of files) targets.push({ file: path.resolve(f), production: /(^|[\\/])dist[\\/]/.test(path.resolve(f)) });
  } else {
    targets.push({ file: path.join(root, 'manifest.xml'), production: false });
    const dist = path.join(root, 'dist', 'manifest.xml');
    if (fs.existsSync(dist) || requireDist) targets.push({ file: dist, production: true });
  }
  let failed = false;
  const iconErrors = checkIcons(path.join(root, 'assets'));
  for (const e of iconErrors) console.error(`✗ assets: ${e}`);
  failed = failed || iconErrors.length > 0;
  for (const t of targets) {
    const rel = path.relative(process.cwd(), t.file) || t.file;
    if (!fs.existsSync(t.file)) {
      console.error(`✗ ${rel}: not found${t.production ? ' (run `npm run build` first)' : ''}`);
      failed = true;
      continue;
    }
    const distDir = path.dirname(t.file);
    const { errors } = checkManifest(fs.readFileSync(t.file, 'utf8'), {
      production: t.production,
      baseUrl: t.production ? prodUrl() : undefined,
      distDir: t.production ? distDir : undefined,
      assetsDir: t.production ? path.join(distDir, 'assets') : path.join(root, 'assets'),
    });
    for (const e of errors) console.error(`✗ ${rel}: ${e}`);
    if (errors.length) failed = true;
    else console.log(`✓ ${rel}${t.production ? ' (production)' : ''}: well-formed, every resid defined, https only${t.production ? ', no localhost, every file present' : ''}`);
  }
  if (!iconErrors.length) console.log(`✓ assets: icons ${ICON_SIZES.map((s) => `${s}×${s}`).join(', ')}`);
  return failed ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));

module.exports = { parseXml, checkManifest, checkIcons, pngSize, XmlError, ICON_SIZES };
