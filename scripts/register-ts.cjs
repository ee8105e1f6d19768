/**
 * Lets plain Node `require()` the plugin's TypeScript sources, compiled with swc on the fly (as jest does):
 * used where a child process needs the sources without a build (the two-instance test, the benchmark's seed).
 */
const fs = require('node:fs');

if (!require.extensions['.ts']) {
  const swc = require('@swc/core');
  require.extensions['.ts'] = (module, filename) => {
    const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
}
