import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { signToken, tokenKey, verifyToken, type TokenCheck, type TokenPayload, type TokenPurpose } from '../domain/tokens';
import { getService } from '../utils/get-service';

/**
 * Signed link tokens for mails (confirmation, unsubscribe, preference centre), with the key derived from
 * the plugin secret: every instance issues and accepts the same tokens, and nothing is stored to check
 * one (E2: hard to forge, an HMAC of person, purpose and secret).
 */
const tokens = ({ strapi }: { strapi: Core.Strapi }) => {
  void strapi;
  let key: Buffer | undefined;
  const hmacKey = () => (key ??= tokenKey(getService('secrets').get()));

  return {
    issue(payload: Omit<TokenPayload, 'nonce'>): string {
      return signToken(hmacKey(), { ...payload, nonce: randomBytes(9).toString('base64url') });
    },

    /** The signature check alone, without throwing (the public routes' guard counts failures, E3). */
    check(token: string, use: TokenPurpose): TokenCheck {
      return verifyToken(hmacKey(), token, use);
    },

    /** The payload of a valid token for `use`; 400 for anything else (changed, made up, another use). */
    read(token: string, use: TokenPurpose): { payload: TokenPayload; expired: boolean } {
      const check = verifyToken(hmacKey(), token, use);
      if (!check.ok) throw new errors.ValidationError('This link is not valid', { reason: check.reason });
      return { payload: check.payload, expired: check.expired };
    },
  };
};

export default tokens;
export type TokensService = ReturnType<typeof tokens>;
