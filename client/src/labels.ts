/** The words around the notices; the notices themselves come from the server, in the form's language. */
export interface ConsentLabels {
  /** Before the title of an opt-out purpose: the box is the objection (legitimate interest). */
  object: string;
  data: string;
  recipients: string;
  policy: string;
  /** Beside a purpose whose notice changed while the page was open (after a 409). */
  changed: string;
  /** Shown when the browser sends Global Privacy Control (F1). */
  gpc: string;
}

export const defaultLabels: ConsentLabels = {
  object: 'I object:',
  data: 'Data',
  recipients: 'Recipients',
  policy: 'Privacy policy',
  changed: 'This text has changed since the page was opened. Please read it and choose again.',
  gpc: 'Your browser sends a Global Privacy Control signal: we record it as your objection to the uses it covers, unless you tick them here.',
};
