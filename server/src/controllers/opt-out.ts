import type { Context } from 'koa';
import { linkRefusals, visitorLanguage, withErrorPage } from '../hosted-pages/error-page';
import { invalidLinkPage, preferencesPage, unsubscribedPage, unsubscribePage } from '../hosted-pages/opt-out';
import { captureRequest, wantsHtml } from '../utils/capture-request';
import { getService } from '../utils/get-service';
import { pageOrData } from '../utils/page-or-data';
import { validateTokenParam } from '../validation/token';
import { validateHeadersQuery, validateOneClick, validatePreferences, validateWithdrawal } from '../validation/opt-out';

/** The language of the form the link's person used, when the token names someone. */
const personOf = async (token: string, uses: ('unsubscribe' | 'preferences')[]) => {
  for (const use of uses) {
    try {
      const { payload } = getService('tokens').read(token, use);
      return await getService('preferences').languageOf(payload.sub);
    } catch {
      // not a link of this use: try the next one
    }
  }
  return null;
};

/** The person a link was issued for writes in the language of their form; their link pages follow it. */
const personLanguage = async (ctx: Context, token: string, uses: ('unsubscribe' | 'preferences')[]) =>
  visitorLanguage(ctx, await personOf(token, uses));

/** Browsers get a page for a bad link, in the person's language when the token names them. */
const linkPage = (ctx: Context, run: () => Promise<void>) =>
  withErrorPage(
    ctx,
    linkRefusals({ invalid: invalidLinkPage }),
    () => personOf(String(ctx.params?.token ?? ''), ['unsubscribe', 'preferences']),
    run
  );

/**
 * The page form of the preference centre posts every box it showed (`shown[]`) and the ticked ones
 * (`choices[key]=on`). For a consent purpose a ticked box grants and an unticked one withdraws; for a
 * legitimate-interest purpose the box is the objection. "Unsubscribe from everything" unticks all.
 */
const fromPreferencesPage = async (token: string, body: Record<string, unknown>) => {
  const view = await getService('preferences').view(token);
  const shown = new Set(Array.isArray(body.shown) ? (body.shown as string[]) : []);
  const ticked = (body.choices ?? {}) as Record<string, string>;
  const leaveAll = body.action === 'leave-all';
  const choices: Record<string, boolean> = {};
  for (const p of view.purposes) {
    if (!shown.has(p.key)) continue;
    const on = !leaveAll && (ticked[p.key] === 'on' || ticked[p.key] === 'true');
    if (p.mechanism === 'opt-in') choices[p.key] = on;
    else if (leaveAll || on) choices[p.key] = false;
  }
  const notices = Object.fromEntries(
    Object.entries((body.notices ?? {}) as Record<string, { version?: string; hash?: string }>).map(([k, n]) => [
      k,
      { version: Number(n?.version), hash: String(n?.hash ?? '') },
    ])
  );
  return { choices, notices };
};

/** Public opt-out routes (spec 4.1; D1–D5, E2–E4) and the List-Unsubscribe header values (spec 4.2; E1). */
const optOut = () => ({
  /** GET of the one-click link: a page with the button; changes nothing (E4). */
  async unsubscribePage(ctx: Context) {
    await linkPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      const { payload } = getService('tokens').read(token, 'unsubscribe');
      const preferencesUrl = getService('links').preferences(payload.sub);
      if (!wantsHtml(ctx)) {
        ctx.body = { data: { purposes: payload.purposes, channel: payload.channel ?? null, preferencesUrl } };
        return;
      }
      const lang = await personLanguage(ctx, token, ['unsubscribe']);
      const titles = await getService('preferences').titles(payload.purposes, lang);
      ctx.type = 'html';
      ctx.body = unsubscribePage(lang, `/api/consent/unsubscribe/${token}`, titles, preferencesUrl);
    });
  },

  /**
   * RFC 8058 one-click POST: `List-Unsubscribe=One-Click`, urlencoded or multipart, no cookie, no auth, no
   * CSRF or Origin check; 200 without a redirect (E3).
   */
  async unsubscribe(ctx: Context) {
    await linkPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      validateOneClick((ctx.request as { body?: unknown }).body);
      const result = await getService('opt-out').unsubscribe(token, captureRequest(ctx));
      ctx.status = 200;
      await pageOrData(
        ctx,
        async () => {
          const { payload } = getService('tokens').read(token, 'unsubscribe');
          return unsubscribedPage(
            await personLanguage(ctx, token, ['unsubscribe']),
            getService('links').preferences(payload.sub)
          );
        },
        { status: 'unsubscribed', changed: result.changed }
      );
    });
  },

  async preferences(ctx: Context) {
    await linkPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      const locale = typeof ctx.query.locale === 'string' ? ctx.query.locale : undefined;
      const view = await getService('preferences').view(token, locale);
      await pageOrData(ctx, () => preferencesPage(view, `/api/consent/preferences/${token}`), view);
    });
  },

  /** PUT (JSON) or POST (the page's form): grants and withdrawals in one call. */
  async updatePreferences(ctx: Context) {
    await linkPage(ctx, async () => {
      const { token } = await validateTokenParam(ctx.params);
      const raw = (ctx.request as { body?: unknown }).body;
      const fromPage = !!ctx.is('application/x-www-form-urlencoded', 'multipart/form-data');
      const change = fromPage
        ? await fromPreferencesPage(token, (raw ?? {}) as Record<string, unknown>)
        : await validatePreferences(raw);
      const states = await getService('preferences').update(token, change, captureRequest(ctx));
      await pageOrData(
        ctx,
        async () =>
          preferencesPage(await getService('preferences').view(token), `/api/consent/preferences/${token}`, true),
        { states }
      );
    });
  },

  /**
   * Withdrawal or objection by identifier: always 202, known or not (no enumeration, D2). Limited per
   * identifier, never per client, so a shared address cannot cost anyone their withdrawal (N8).
   */
  async withdraw(ctx: Context) {
    const input = await validateWithdrawal((ctx.request as { body?: unknown }).body);
    await getService('opt-out').throttle(input.subject);
    await getService('opt-out').withdraw(input, {
      method: 'form',
      actor: 'subject',
      request: captureRequest(ctx),
      source: 'withdrawal-route',
    });
    ctx.status = 202;
    ctx.body = { data: { status: 'accepted' } };
  },

  /** Server-to-server: the header values and visible links for one outgoing message (E1, E6). */
  async headers(ctx: Context) {
    const { purpose, channel, email, phone } = await validateHeadersQuery(ctx.query);
    ctx.body = { data: await getService('links').forMessage({ email, phone }, purpose, channel) };
  },
});

export default optOut;
