'use strict';
/* global require, process, Buffer */
// Test-only preload (`node -r test/support/fs-fault.js bin/thidua.js …`): the file system fails
// under THIDUA_FAULT_PATH as a full disk (ENOSPC, while writing) or a denied permission (EACCES,
// while reading) would, with Node's own error shape. Tests run as root, where chmod denies nothing.
const fs = require('fs');

const code = process.env.THIDUA_FAULT;
const where = process.env.THIDUA_FAULT_PATH || '\0';
const errno = { ENOSPC: -28, EACCES: -13 };
const text = { ENOSPC: 'no space left on device', EACCES: 'permission denied' };
const hit = (p) => String(p).startsWith(where);
const fail = (syscall, p) => Object.assign(new Error(`${code}: ${text[code]}, ${syscall} '${p}'`), { code, errno: errno[code], syscall, path: String(p) });

const { writeFile, readFile } = fs.promises;
fs.promises.writeFile = async function (p, data, opts) {
  if (code === 'ENOSPC' && hit(p)) {
    // A full disk fails part-way: the file exists with its first bytes, as the kernel leaves it.
    await writeFile.call(this, p, Buffer.from(data).subarray(0, 512), opts);
    throw fail('write', p);
  }
  return writeFile.call(this, p, data, opts);
};
fs.promises.readFile = async function (p, opts) {
  if (code === 'EACCES' && hit(p)) throw fail('open', p);
  return readFile.call(this, p, opts);
};
