// A form of one field in a card (a new list's name, addresses to add): the value checked, sent,
// the server's refusal shown beside the field, and the field cleared once done.
import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api';
import { PlusIcon } from '../icons';
import { Button, Field, useToast } from '../ui';

export function InlineForm({
  label,
  formLabel,
  placeholder,
  submitLabel,
  help,
  multiline,
  icon,
  check,
  submit,
}: {
  label: string; // the field's, e.g. "New list"
  formLabel: string; // the form's, e.g. "Create a list"
  placeholder: string;
  submitLabel: string;
  help?: string;
  multiline?: boolean;
  icon?: ReactNode;
  check: (value: string) => string | null; // what is wrong with the value, or null
  submit: (value: string) => Promise<void>;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (e: FormEvent) => {
    e.preventDefault();
    const problem = check(value);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    try {
      await submit(value);
      setValue('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card inline-create" onSubmit={send} noValidate aria-label={formLabel}>
      <Field label={label} error={error} help={help}>
        {({ id, invalid, describedBy }) => {
          const props = {
            id,
            className: 'input',
            placeholder,
            value,
            'aria-invalid': invalid,
            'aria-describedby': describedBy,
          };
          const change = (next: string) => {
            setValue(next);
            setError(null);
          };
          return multiline ? (
            <textarea {...props} rows={2} onChange={(e) => change(e.target.value)} />
          ) : (
            <input {...props} onChange={(e) => change(e.target.value)} />
          );
        }}
      </Field>
      <Button type="submit" variant="primary" busy={busy} icon={icon}>
        {submitLabel}
      </Button>
    </form>
  );
}

// Creates a list or a workspace from its name (POST `path` {name}).
export function CreateByNameForm({
  noun,
  path,
  placeholder,
  onCreated,
}: {
  noun: 'list' | 'workspace';
  path: string;
  placeholder: string;
  onCreated: () => void;
}) {
  const toast = useToast();
  return (
    <InlineForm
      label={`New ${noun}`}
      formLabel={`Create a ${noun}`}
      placeholder={placeholder}
      submitLabel={`Create ${noun}`}
      icon={<PlusIcon size={16} />}
      check={(name) => (name.trim() ? null : `Name the ${noun}.`)}
      submit={async (name) => {
        const made = await api<{ name: string }>('POST', path, { name: name.trim() });
        toast(`${noun.charAt(0).toUpperCase()}${noun.slice(1)} “${made.name}” created`);
        onCreated();
      }}
    />
  );
}
