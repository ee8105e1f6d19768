import { readGpc } from './gpc';
import { ConsentApiError, fieldErrorsOf, outdatedOf, requestJson, type FetchLike } from './http';
import type { FormDefinition, Subject, SubmissionBody, SubmissionResult } from './types';

/**
 * - `loading`: fetching the form definition; `ready`: shown, nothing sent yet
 * - `submitting`, then `submitted` (201), `invalid` (400, see `fieldErrors`), `error` (anything else)
 * - `notices-changed`: a notice changed while the page was open (409). The new text is in `definition`,
 *   the changed purposes in `changed`, their boxes cleared: the person must be asked again.
 */
export type ConsentFormStatus =
  'loading' | 'ready' | 'submitting' | 'submitted' | 'invalid' | 'notices-changed' | 'error';

export interface ConsentFormState {
  status: ConsentFormStatus;
  definition: FormDefinition | null;
  /** Purpose key → ticked. Every box starts unticked (A2); only an explicit `true` ticks (A1). */
  choices: Record<string, boolean>;
  /**
   * For a purpose offered one box per channel (`boxes`, A4): purpose key → channel → ticked. Sent as
   * `choices.<purpose>` = `{ "<channel>": boolean }`, each channel recorded on its own.
   */
  channelChoices: Record<string, Record<string, boolean>>;
  /** Purposes whose notice changed since the person saw it (after a 409). */
  changed: string[];
  /** Field path ("subject.email", "choices.newsletter") → message, from a 400. */
  fieldErrors: Record<string, string>;
  error: ConsentApiError | null;
  result: SubmissionResult | null;
  /** The browser sends Global Privacy Control (F1): the server records it as an objection. */
  gpc: boolean;
  /**
   * A form offered to children (`definition.ageQuestion`, G1): the age as typed, sent as a number, and
   * below the threshold the address of a parent, who confirms the consent by mail (G2).
   */
  age: string;
  parentEmail: string;
}

export interface ConsentFormOptions {
  /** The form's key in the plugin. */
  form: string;
  locale?: string;
  /** Strapi's origin, e.g. "https://cms.example.com"; '' (default) for the page's own origin. */
  baseUrl?: string;
  fetch?: FetchLike;
  /** Overrides `navigator.globalPrivacyControl` (server rendering, tests). */
  gpc?: boolean;
  /** The page URL recorded as the collection point (the server drops its query); default `location.href`. */
  pageUrl?: string | null;
}

export interface SubmitInput {
  subject: Subject;
  /** The rest of the form, handed to the site's `consent.submission` listeners; never stored. */
  fields?: Record<string, unknown>;
}

export interface ConsentForm {
  getState(): ConsentFormState;
  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: (state: ConsentFormState) => void): () => void;
  load(): Promise<ConsentFormState>;
  /** Ticks or unticks a purpose's box, or with `channel` one box of a purpose offered per channel. */
  setChoice(purpose: string, ticked: boolean, channel?: string): void;
  /** The age question of a form offered to children (G1). */
  setAge(age: string): void;
  /** The parent's address, asked below the threshold (G2). */
  setParentEmail(email: string): void;
  submit(input: SubmitInput): Promise<ConsentFormState>;
}

/** Purposes with a choice to make: opt-in (the box is consent) and opt-out (the box is the objection). */
export const isChoosable = (purpose: { mechanism: string }) => purpose.mechanism !== 'none';

/**
 * G2: the age given is below the form's threshold, so a parent's address is asked for. Unanswered or not
 * a number: not yet (the server names the age field).
 */
export const needsParent = (state: Pick<ConsentFormState, 'definition' | 'age'>): boolean => {
  const question = state.definition?.ageQuestion;
  return !!question && /^\d{1,3}$/.test(state.age.trim()) && Number(state.age.trim()) < question.threshold;
};

/** Drops blank identifiers: an empty optional field is "not given", not an invalid value. */
const cleanSubject = (subject: Subject): Subject =>
  Object.fromEntries(
    Object.entries(subject ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== '')
  ) as Subject;

/** A form nobody has touched yet: nothing ticked (A2), no error, no changed notice. */
export const untouchedState = (
  status: ConsentFormState['status'],
  definition: ConsentFormState['definition'],
  gpc: boolean
): ConsentFormState => ({
  status,
  definition,
  choices: {},
  channelChoices: {},
  changed: [],
  fieldErrors: {},
  error: null,
  result: null,
  gpc,
  age: '',
  parentEmail: '',
});

export const createConsentForm = (options: ConsentFormOptions): ConsentForm => {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const gpc = options.gpc ?? readGpc();
  const listeners = new Set<(state: ConsentFormState) => void>();
  let state: ConsentFormState = untouchedState('loading', null, gpc);

  /** Every box of every purpose offered per channel, unticked (A2). */
  const untickedBoxes = (definition: FormDefinition) =>
    Object.fromEntries(
      definition.purposes
        .filter((p) => p.boxes?.length)
        .map((p) => [p.key, Object.fromEntries(p.boxes!.map((b) => [b.channel, false]))])
    );

  const set = (patch: Partial<ConsentFormState>) => {
    state = { ...state, ...patch };
    listeners.forEach((listener) => listener(state));
    return state;
  };

  const fetchDefinition = async () => {
    const query = options.locale ? `?locale=${encodeURIComponent(options.locale)}` : '';
    const url = `${base}/api/consent/forms/${encodeURIComponent(options.form)}${query}`;
    return (await requestJson<{ data: FormDefinition }>(fetchImpl, url)).data;
  };

  const fail = (error: unknown) =>
    set({
      status: 'error',
      error: error instanceof ConsentApiError ? error : new ConsentApiError(0, 'Error', String(error), null),
    });

  /**
   * After a 409: the new text replaces the old; the changed purposes are unticked so the person decides
   * again on what they now read, every other choice is kept. Never resubmits on the person's behalf.
   */
  const reask = async (outdated: string[]) => {
    const previous = state.definition;
    const definition = await fetchDefinition();
    const hashBefore = new Map(previous?.purposes.map((p) => [p.key, p.notice.hash]));
    const changed = definition.purposes
      .filter((p) => outdated.includes(p.key) || hashBefore.get(p.key) !== p.notice.hash)
      .map((p) => p.key);
    const choices: Record<string, boolean> = {};
    for (const p of definition.purposes) choices[p.key] = !changed.includes(p.key) && state.choices[p.key] === true;
    const channelChoices = untickedBoxes(definition);
    for (const [key, boxes] of Object.entries(channelChoices)) {
      if (changed.includes(key)) continue;
      for (const channel of Object.keys(boxes)) boxes[channel] = state.channelChoices[key]?.[channel] === true;
    }
    return set({
      status: 'notices-changed',
      definition,
      choices,
      channelChoices,
      changed,
      fieldErrors: {},
      error: null,
    });
  };

  return {
    getState: () => state,

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async load() {
      set({ status: 'loading', error: null });
      try {
        const definition = await fetchDefinition();
        const choices = Object.fromEntries(definition.purposes.map((p) => [p.key, false]));
        const channelChoices = untickedBoxes(definition);
        return set({
          status: 'ready',
          definition,
          choices,
          channelChoices,
          changed: [],
          fieldErrors: {},
          result: null,
        });
      } catch (error) {
        return fail(error);
      }
    },

    setChoice(key, ticked, channel) {
      const purpose = state.definition?.purposes.find((p) => p.key === key);
      if (!purpose || !isChoosable(purpose)) return;
      const fieldErrors = Object.fromEntries(
        Object.entries(state.fieldErrors).filter(
          ([path]) => path !== `choices.${key}` && !path.startsWith(`choices.${key}.`)
        )
      );
      if (purpose.boxes?.length) {
        // A purpose offered per channel: one box at a time, or every box when no channel is named.
        const boxes = { ...state.channelChoices[key] };
        for (const box of purpose.boxes)
          if (channel === undefined || box.channel === channel) boxes[box.channel] = ticked === true;
        set({ channelChoices: { ...state.channelChoices, [key]: boxes }, fieldErrors });
        return;
      }
      set({ choices: { ...state.choices, [key]: ticked === true }, fieldErrors });
    },

    // The errors object is replaced only when it held this field's error: a new object re-renders the
    // fields, and re-rendering on every keystroke would take the focus from the input being typed in.
    setAge(age) {
      const { age: had, ...fieldErrors } = state.fieldErrors;
      set(had === undefined ? { age } : { age, fieldErrors });
    },

    setParentEmail(parentEmail) {
      const { parentEmail: had, ...fieldErrors } = state.fieldErrors;
      set(had === undefined ? { parentEmail } : { parentEmail, fieldErrors });
    },

    async submit({ subject, fields }) {
      const { definition } = state;
      if (!definition || state.status === 'submitting') return state;
      const body: SubmissionBody = {
        form: definition.key,
        locale: definition.locale,
        subject: cleanSubject(subject),
        choices: {},
        // Every purpose displayed, with the exact version and hash shown (A9): the server refuses stale text.
        notices: {},
      };
      for (const p of definition.purposes) {
        body.notices![p.key] = { version: p.notice.version, hash: p.notice.hash };
        if (!isChoosable(p)) continue;
        body.choices![p.key] = p.boxes?.length
          ? Object.fromEntries(p.boxes.map((b) => [b.channel, state.channelChoices[p.key]?.[b.channel] === true]))
          : state.choices[p.key] === true;
      }
      if (definition.ageQuestion) {
        // A number when it is one; anything else as typed, so the server's 400 names the field (G1).
        const age = state.age.trim();
        if (age) body.age = (/^\d{1,3}$/.test(age) ? Number(age) : age) as number;
        if (needsParent(state) && state.parentEmail.trim()) body.parentEmail = state.parentEmail.trim();
      }
      const pageUrl = options.pageUrl === undefined ? globalThis.location?.href : options.pageUrl;
      if (pageUrl) body.context = { url: pageUrl };
      if (fields) body.fields = fields;

      set({ status: 'submitting', error: null });
      try {
        const { data } = await requestJson<{ data: SubmissionResult }>(fetchImpl, `${base}/api/consent/submissions`, {
          method: 'POST',
          // Browsers send Sec-GPC themselves and drop it here (a forbidden header); other runtimes carry it.
          headers: { 'Content-Type': 'application/json', ...(gpc ? { 'Sec-GPC': '1' } : {}) },
          body: JSON.stringify(body),
        });
        return set({ status: 'submitted', result: data, changed: [], fieldErrors: {} });
      } catch (error) {
        if (error instanceof ConsentApiError && error.name === 'NoticeOutdated') {
          try {
            return await reask(outdatedOf(error.details).map((o) => o.purpose));
          } catch (refetch) {
            return fail(refetch);
          }
        }
        if (error instanceof ConsentApiError && error.status === 400) {
          return set({ status: 'invalid', error, fieldErrors: fieldErrorsOf(error.details) });
        }
        return fail(error);
      }
    },
  };
};
