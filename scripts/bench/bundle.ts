/**
 * Sizes of the production build: the JavaScript that Excel loads before the user does anything
 * (the scripts taskpane.html references — with the shared runtime that page also hosts the
 * functions), apart from chunks loaded later on demand (the import).
 */
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

export interface BundleResult {
  readonly taskpaneInitialBytes: number;
  readonly taskpaneInitialGzipBytes: number;
  readonly functionsBytes: number;
  readonly importChunkBytes: number | null;
  readonly initialFiles: string[];
  readonly lazyFiles: string[];
  readonly built: boolean;
}

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

/** dist/ is stale when any source of the bundles is newer than its oldest script. */
function isStale(root: string, dist: string): boolean {
  const html = path.join(dist, 'taskpane.html');
  if (!fs.existsSync(html)) return true;
  const scripts = fs.readdirSync(dist).filter((f) => f.endsWith('.js')).map((f) => fs.statSync(path.join(dist, f)).mtimeMs);
  if (!scripts.length) return true;
  const sources = ['src', 'webpack.config.js', 'manifest.xml', 'package.json', 'tsconfig.json', 'scripts/functions-locale-plugin.js', 'scripts/manifest-urls.js']
    .map((p) => newestMtime(path.join(root, p)));
  return Math.max(...sources) > Math.min(...scripts);
}

export function bundleSizes(root: string, log: (s: string) => void): BundleResult {
  const dist = path.join(root, 'dist');
  let built = false;
  if (isStale(root, dist)) {
    log('dist/ is missing or older than its sources: npm run build …');
    execSync('npm run build', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    built = true;
  }
  const html = fs.readFileSync(path.join(dist, 'taskpane.html'), 'utf8');
  // Local scripts only: office.js comes from Microsoft's CDN and is not ours to size.
  const initialFiles = [...html.matchAll(/<script\b[^>]*\bsrc=["']?([^"' >]+)/g)].map((m) => m[1])
    .filter((src) => !/^(https?:)?\/\//.test(src)).map((src) => src.replace(/^\.?\//, '').split('?')[0]);
  const allJs = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
  const lazyFiles = allJs.filter((f) => !initialFiles.includes(f) && f !== 'functions.js');
  const read = (f: string) => fs.readFileSync(path.join(dist, f));
  const initial = Buffer.concat(initialFiles.map(read));
  return {
    taskpaneInitialBytes: initial.length,
    // Each file is served (and compressed) on its own.
    taskpaneInitialGzipBytes: initialFiles.reduce((s, f) => s + zlib.gzipSync(read(f), { level: 9 }).length, 0),
    functionsBytes: fs.existsSync(path.join(dist, 'functions.js')) ? read('functions.js').length : 0,
    importChunkBytes: lazyFiles.length ? lazyFiles.reduce((s, f) => s + read(f).length, 0) : null,
    initialFiles, lazyFiles, built,
  };
}
