import type { ReactNode } from 'react';
import { useT } from '../utils/useT';
import {
  Checkbox,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
  Toggle,
  Typography,
} from '@strapi/design-system';

/**
 * Labelled inputs with hint and error, so every page lays out fields the same way. Each takes the field's
 * API name so server errors ("channels must list at least one channel") land next to the right input.
 */
interface Base {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  disabled?: boolean;
}

export const TextField = ({
  value,
  onChange,
  type = 'text',
  ...p
}: Base & { value: string; onChange: (v: string) => void; type?: string }) => (
  <Field.Root name={p.name} id={p.name} hint={p.hint} error={p.error} required={p.required}>
    <Field.Label>{p.label}</Field.Label>
    <TextInput
      type={type}
      value={value}
      disabled={p.disabled}
      onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
    />
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const TextAreaField = ({
  value,
  onChange,
  placeholder,
  ...p
}: Base & { value: string; onChange: (v: string) => void; placeholder?: string }) => (
  <Field.Root name={p.name} id={p.name} hint={p.hint} error={p.error} required={p.required}>
    <Field.Label>{p.label}</Field.Label>
    <Textarea
      value={value}
      placeholder={placeholder}
      disabled={p.disabled}
      onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
    />
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const SelectField = ({
  value,
  onChange,
  options,
  ...p
}: Base & { value: string; onChange: (v: string) => void; options: Array<{ value: string; label: string }> }) => (
  <Field.Root name={p.name} id={p.name} hint={p.hint} error={p.error} required={p.required}>
    <Field.Label>{p.label}</Field.Label>
    <SingleSelect value={value} disabled={p.disabled} onChange={(v: string | number) => onChange(String(v))}>
      {options.map((o) => (
        <SingleSelectOption key={o.value} value={o.value}>
          {o.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const ToggleField = ({
  value,
  onChange,
  onLabel,
  offLabel,
  ...p
}: Base & { value: boolean; onChange: (v: boolean) => void; onLabel?: string; offLabel?: string }) => {
  const t = useT();
  return (
    <Field.Root name={p.name} id={p.name} hint={p.hint} error={p.error}>
      <Field.Label>{p.label}</Field.Label>
      <Toggle
        checked={value}
        disabled={p.disabled}
        onLabel={onLabel ?? t('common.on', 'On')}
        offLabel={offLabel ?? t('common.off', 'Off')}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.checked)}
      />
      <Field.Hint />
      <Field.Error />
    </Field.Root>
  );
};

/** A set of checkboxes for a list value (channels, the purposes of a form): each choice visible at once. */
export const CheckboxGroup = ({
  value,
  onChange,
  options,
  ...p
}: Base & { value: string[]; onChange: (v: string[]) => void; options: Array<{ value: string; label: string }> }) => (
  <Flex direction="column" alignItems="stretch" gap={1} role="group" aria-label={p.label}>
    <Typography variant="pi" fontWeight="bold">
      {p.label}
      {p.required ? ' *' : ''}
    </Typography>
    <Flex gap={4} wrap="wrap">
      {options.map((o) => (
        <Checkbox
          key={o.value}
          name={`${p.name}.${o.value}`}
          disabled={p.disabled}
          checked={value.includes(o.value)}
          onCheckedChange={(checked: boolean | 'indeterminate') =>
            onChange(checked === true ? [...value, o.value] : value.filter((v) => v !== o.value))
          }
        >
          {o.label}
        </Checkbox>
      ))}
    </Flex>
    {p.hint && (
      <Typography variant="pi" textColor="neutral600">
        {p.hint}
      </Typography>
    )}
    {p.error && (
      <Typography variant="pi" textColor="danger600" role="alert">
        {p.error}
      </Typography>
    )}
  </Flex>
);

/** Text areas that hold lists, one item per line. */
export const linesToList = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
export const listToLines = (list: string[] | undefined | null) => (list ?? []).join('\n');
