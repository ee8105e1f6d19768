import {
  defaultLabels,
  purposeView,
  type ConsentFormState,
  type ConsentLabels,
  type PurposeView,
} from '../../client/src';

export interface ConsentPurposeProps {
  view: PurposeView;
  onChange: (key: string, ticked: boolean, channel?: string) => void;
}

/** One purpose: its own unticked box labelled with the notice title, and the notice as published (A2, A4, A8). */
export const ConsentPurpose = ({ view, onChange }: ConsentPurposeProps) => (
  <fieldset className="consent-purpose" data-purpose={view.key} data-changed={view.changed ? '' : undefined}>
    {view.changedMessage && (
      <p className="consent-changed" role="alert">
        {view.changedMessage}
      </p>
    )}
    {view.choosable && !view.boxes && (
      <input
        type="checkbox"
        id={view.inputId}
        name={view.name}
        value="on"
        checked={view.checked}
        onChange={(event) => onChange(view.key, event.target.checked)}
        aria-describedby={view.error ? `${view.noticeId} ${view.errorId}` : view.noticeId}
      />
    )}{' '}
    {view.choosable && !view.boxes ? (
      <label htmlFor={view.inputId}>
        {view.prefix && `${view.prefix} `}
        <strong>{view.title}</strong>
      </label>
    ) : (
      // No single box (none, or one per channel), so the title is not a label.
      <p>
        <strong>{view.title}</strong>
      </p>
    )}
    {/* One box per channel, each its own decision (A4). */}
    {view.boxes?.map((box) => (
      <p key={box.channel} className="consent-box" data-channel={box.channel}>
        <input
          type="checkbox"
          id={box.inputId}
          name={box.name}
          value="on"
          checked={box.checked}
          onChange={(event) => onChange(view.key, event.target.checked, box.channel)}
          aria-describedby={view.error ? `${view.noticeId} ${view.errorId}` : view.noticeId}
        />{' '}
        <label htmlFor={box.inputId}>{box.label}</label>
      </p>
    ))}
    <div id={view.noticeId} className="consent-notice">
      <p>{view.body}</p>
      <p>{view.withdrawal}</p>
      {(view.data || view.recipients) && (
        <p className="consent-small">{[view.data, view.recipients].filter(Boolean).join(' · ')}</p>
      )}
      <p className="consent-small">
        <a href={view.policyUrl}>{view.policyLabel}</a>
      </p>
    </div>
    {view.error && (
      <p id={view.errorId} className="consent-error" role="alert">
        {view.error}
      </p>
    )}
  </fieldset>
);

export interface ConsentPurposesProps {
  state: ConsentFormState;
  onChange: (key: string, ticked: boolean, channel?: string) => void;
  labels?: Partial<ConsentLabels>;
}

/** Every purpose of the form, after the Global Privacy Control note when the browser sends it (F1). */
export const ConsentPurposes = ({ state, onChange, labels }: ConsentPurposesProps) => {
  const words = { ...defaultLabels, ...labels };
  return (
    <>
      {state.gpc && (
        <p className="consent-gpc" role="note">
          {words.gpc}
        </p>
      )}
      {state.definition?.purposes.map((purpose) => (
        <ConsentPurpose key={purpose.key} view={purposeView(state, purpose, words)} onChange={onChange} />
      ))}
    </>
  );
};

export interface FieldErrorProps {
  state: ConsentFormState;
  /** The field's path as the server names it, e.g. "subject.email". */
  path: string;
  id?: string;
}

/** The server's message for one field after a 400, or nothing. */
export const FieldError = ({ state, path, id }: FieldErrorProps) =>
  state.fieldErrors[path] ? (
    <span id={id} className="consent-error" role="alert">
      {state.fieldErrors[path]}
    </span>
  ) : null;
