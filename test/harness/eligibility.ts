import type { TestStrapi } from './strapi';

export interface EligibilityAnswer {
  eligible: boolean;
  state: string;
  basis: string;
  reasons: string[];
}

/**
 * `GET /api/consent/eligibility` for one person with an API token: the answer, or a throw naming the
 * status and body, so a failed call never reads as "not eligible".
 */
export const checkEligibility = async (
  app: TestStrapi,
  token: string,
  query: Record<string, string>
): Promise<EligibilityAnswer> => {
  const res = await app.http().get('/api/consent/eligibility').set('Authorization', `Bearer ${token}`).query(query);
  if (res.status !== 200) throw new Error(`eligibility failed (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body.data;
};
