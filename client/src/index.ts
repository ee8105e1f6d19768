/**
 * `strapi-plugin-consent/client`: the browser side of the plugin's public routes, framework-free and
 * dependency-free. It sets no cookie and writes no storage (K1).
 */
export { createConsentForm, isChoosable, needsParent } from './consent-form';
export type { ConsentForm, ConsentFormOptions, ConsentFormState, ConsentFormStatus, SubmitInput } from './consent-form';
export { ConsentApiError, fieldErrorsOf, outdatedOf } from './http';
export type { FetchLike } from './http';
export { readGpc } from './gpc';
export { defaultLabels, labelsFor } from './labels';
export type { ConsentLabels } from './labels';
export { purposeView } from './view';
export type { BoxView, PurposeView } from './view';
export { mountConsentPurposes } from './render';
export type * from './types';
