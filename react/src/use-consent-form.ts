import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { createConsentForm, type ConsentForm, type ConsentFormOptions, type ConsentFormState } from '../../client/src';

export interface UseConsentForm {
  state: ConsentFormState;
  setChoice: ConsentForm['setChoice'];
  submit: ConsentForm['submit'];
  reload: ConsentForm['load'];
}

/**
 * The client's form controller as React state: loads the definition on mount (and again when the form or
 * locale changes). All behaviour, including the 409 re-ask, is the client's.
 */
export const useConsentForm = (options: ConsentFormOptions): UseConsentForm => {
  const { form: key, locale, baseUrl } = options;
  // Other options (fetch, gpc, pageUrl) are read when the controller is created.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const form = useMemo(() => createConsentForm(options), [key, locale, baseUrl]);
  useEffect(() => {
    void form.load();
  }, [form]);
  const state = useSyncExternalStore(form.subscribe, form.getState, form.getState);
  return { state, setChoice: form.setChoice, submit: form.submit, reload: form.load };
};
