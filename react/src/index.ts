/**
 * `strapi-plugin-consent/react`: React 18 bindings of `strapi-plugin-consent/client`. They only render:
 * loading, submitting and the 409 re-ask are the client's.
 */
export { useConsentForm } from './use-consent-form';
export type { UseConsentForm } from './use-consent-form';
export { ConsentPurpose, ConsentPurposes, FieldError } from './components';
export type { ConsentPurposeProps, ConsentPurposesProps, FieldErrorProps } from './components';
export * from '../../client/src';
