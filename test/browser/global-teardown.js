const fs = require('node:fs');
const path = require('node:path');

/** The admin build was only for this run: leave the playground as a fresh clone has it. */
module.exports = async () => {
  if (process.env.CONSENT_BROWSER_BUILT_HERE !== 'true') return;
  fs.rmSync(path.resolve(__dirname, '../../playground/build'), { recursive: true, force: true });
};
