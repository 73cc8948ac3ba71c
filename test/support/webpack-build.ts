/**
 * Runs the real webpack build (webpack.config.js) into a private folder under test/.tmp, so that
 * test files running in parallel never share (or wipe) one another's output or dist/.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

export function buildAddin(name: string, mode: 'production' | 'development' = 'production', env: NodeJS.ProcessEnv = {}): string {
  const out = path.join(ROOT, 'test', '.tmp', `addin-${name}`);
  fs.rmSync(out, { recursive: true, force: true });
  const cli = path.join(path.dirname(require.resolve('webpack-cli/package.json', { paths: [ROOT] })), 'bin', 'cli.js');
  try {
    execFileSync(process.execPath, [cli, '--mode', mode, '--output-path', out], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`webpack build failed:\n${err.stdout ?? ''}\n${err.stderr ?? ''}\n${err.message}`);
  }
  return out;
}
