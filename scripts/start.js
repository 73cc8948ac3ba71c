#!/usr/bin/env node
/**
 * `npm start` / `npm stop`: sideload the add-in into Excel desktop with office-addin-debugging
 * (Windows and macOS: it runs the https dev server on port 3000 and opens Excel with the add-in).
 * Linux has no Excel desktop: print how to use Excel on the web instead, then run the CLI demo.
 *
 *   node scripts/start.js start | stop
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const MANIFEST = 'manifest.xml';
const PORT = '3000';

const LINUX_MESSAGE = `
Thi đua EVNCPC — sideloading needs Excel desktop (Windows or macOS); there is none on Linux.
  • Excel on the web: run \`npm run build\` (production URL) or \`npm run dev-server\` (https://localhost:3000,
    manifest.xml), then in Excel on the web: Home > Add-ins > More add-ins > Upload My Add-in, and
    choose dist/manifest.xml (or manifest.xml for the dev server). See docs/addin-shell.md.
  • Windows / macOS: \`npm start\` there sideloads into Excel desktop.
Cài thử trên Linux: không có Excel desktop. Dùng Excel trên web: Trang đầu > Phần bổ trợ > Tải lên phần bổ trợ của tôi,
chọn dist/manifest.xml.
`;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.error) {
    console.error(r.error.message);
    return 1;
  }
  return r.status === null ? 1 : r.status;
}

function debuggingCli() {
  try {
    return require.resolve('office-addin-debugging/cli', { paths: [ROOT] });
  } catch {
    try {
      const pkg = require.resolve('office-addin-debugging/package.json', { paths: [ROOT] });
      const bin = require(pkg).bin;
      return path.join(path.dirname(pkg), typeof bin === 'string' ? bin : bin['office-addin-debugging']);
    } catch {
      return null;
    }
  }
}

function main(command) {
  if (command !== 'start' && command !== 'stop') {
    console.error('usage: node scripts/start.js start|stop');
    return 2;
  }
  if (process.platform !== 'win32' && process.platform !== 'darwin') {
    if (command === 'stop') {
      console.log('Nothing to stop: sideloading runs only on Windows/macOS. Stop `npm run dev-server` with Ctrl+C.');
      return 0;
    }
    console.log(LINUX_MESSAGE);
    const cli = path.join(ROOT, 'bin', 'thidua.js');
    if (!fs.existsSync(cli)) {
      console.log('(The command-line demo is not available yet: bin/thidua.js is missing.)');
      return 0;
    }
    console.log('Running the command-line demo instead: node bin/thidua.js demo\n');
    return run(process.execPath, [cli, 'demo']);
  }
  const cli = debuggingCli();
  if (!cli) {
    console.error('office-addin-debugging is not installed (optional dependency): run `npm install` on this machine.');
    return 1;
  }
  const args = command === 'start'
    ? ['start', MANIFEST, 'desktop', '--app', 'excel', '--dev-server', 'npm run dev-server', '--dev-server-port', PORT]
    : ['stop', MANIFEST];
  return run(process.execPath, [cli, ...args]);
}

if (require.main === module) process.exit(main(process.argv[2]));
module.exports = { main, LINUX_MESSAGE };
