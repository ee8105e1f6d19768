module.exports = {
  ping(ctx) {
    ctx.body = { ok: true };
  },
};
