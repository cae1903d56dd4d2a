'use strict';
// Runs s3rver (an in-memory-ish S3 on the file system) for the e2e harness.
// Started by e2e/run.js as:  node --openssl-legacy-provider e2e/s3rver-child.js <dir> [port]
// (s3rver's list paging uses an MD5-based cipher that Node >= 17 only offers with the legacy provider.)
// Prints one JSON line {"port": N} on stdout when listening; exits when the parent goes away
// (IPC channel closed), on SIGTERM/SIGINT, or on any error.
const path = require('node:path');
const S3rver = require(require.resolve('s3rver', { paths: [path.join(__dirname, '..'), __dirname] }));

const dir = process.argv[2];
const port = Number(process.argv[3] || 0);
if (!dir) {
  process.stderr.write('usage: s3rver-child.js <directory> [port]\n');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port, directory: dir, silent: true, resetOnClose: false });
let closing = false;
function stop(code) {
  if (closing) return;
  closing = true;
  const done = () => process.exit(code);
  try {
    server.close().then(done, done);
  } catch {
    done();
  }
  setTimeout(done, 2000).unref();
}
process.on('SIGTERM', () => stop(0));
process.on('SIGINT', () => stop(0));
process.on('disconnect', () => stop(0));
process.on('uncaughtException', (e) => {
  process.stderr.write(`s3rver-child: ${e && e.stack ? e.stack : e}\n`);
  stop(1);
});

server.run().then(
  (addr) => process.stdout.write(`${JSON.stringify({ port: addr.port })}\n`),
  (e) => {
    process.stderr.write(`s3rver-child: cannot start: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  },
);
