// The bench app's content is created by bench/server.cjs once Strapi is up.
module.exports = {
  register() {},
  bootstrap() {},
};
