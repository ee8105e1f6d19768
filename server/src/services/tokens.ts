import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  signToken,
  tokenKey,
  verifyTokenWithRing,
  type TokenCheck,
  type TokenPayload,
  type TokenPurpose,
} from '../domain/tokens';
import { fieldErrors } from '../errors';
import { getService } from '../utils/get-service';

/**
 * Signed link tokens for mails (confirmation, unsubscribe, preference centre), with the key derived from
 * the plugin secret: every instance issues and accepts the same tokens, and nothing is stored to check
 * one (E2: hard to forge, an HMAC of person, purpose and secret). New tokens are signed with the current
 * secret; tokens signed with a previous one (`previousSecrets`) are still accepted, so a rotation does not
 * break links already mailed.
 */
const tokens = ({ strapi }: { strapi: Core.Strapi }) => {
  void strapi;
  let ring: Buffer[] | undefined;
  const hmacKeys = () => (ring ??= getService('secrets').all().map(tokenKey));
  const hmacKey = () => hmacKeys()[0];

  return {
    issue(payload: Omit<TokenPayload, 'nonce'>): string {
      return signToken(hmacKey(), { ...payload, nonce: randomBytes(9).toString('base64url') });
    },

    /** The signature check alone, without throwing (the public routes' guard counts failures, E3). */
    check(token: string, use: TokenPurpose): TokenCheck {
      return verifyTokenWithRing(hmacKeys(), token, use);
    },

    /** The payload of a valid token for `use`; 400 for anything else (changed, made up, another use). */
    read(token: string, use: TokenPurpose): { payload: TokenPayload; expired: boolean } {
      const check = verifyTokenWithRing(hmacKeys(), token, use);
      if (!check.ok)
        throw new errors.ValidationError(
          'This link is not valid',
          fieldErrors([{ path: 'token', message: 'is not a valid link' }], { reason: check.reason })
        );
      return { payload: check.payload, expired: check.expired };
    },
  };
};

export default tokens;
export type TokensService = ReturnType<typeof tokens>;
