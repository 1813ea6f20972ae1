// The contact's page form: its email, names and mobile, and its custom properties. Saving sends
// only what changed (PATCH /v1/contacts/{id}); the server's refusal shows beside its field.
import { useState, type FormEvent } from 'react';
import { api, ApiError, type Contact, type ContactPatch } from '../../api';
import { sentence } from '../../format';
import { useLeaveGuard } from '../../router';
import { Alert, Button, useToast } from '../../ui';
import {
  CONTACT_FIELD_KEYS,
  ContactFields,
  contactErrorKey,
  type ContactFieldKey,
  type ContactFieldValues,
} from './ContactFields';
import { propertiesPatch, propertyRows, readProperties, type PropertyRow } from './properties';
import { PropertiesEditor } from './PropertiesEditor';

function fieldsOf(c: Contact): ContactFieldValues {
  return { email: c.email, first_name: c.first_name, last_name: c.last_name, mobile: c.mobile };
}

// The PATCH body for the form's values, or null when nothing changed.
function patchFor(contact: Contact, fields: ContactFieldValues, properties: Record<string, unknown>) {
  const patch: ContactPatch = {};
  for (const key of CONTACT_FIELD_KEYS) {
    const value = key === 'email' ? fields.email.trim() : fields[key];
    if (value !== contact[key]) patch[key] = value;
  }
  const props = propertiesPatch(contact.properties ?? {}, properties);
  if (props) patch.properties = props;
  return Object.keys(patch).length ? patch : null;
}

export function ContactDetailsForm({
  contact,
  onSaved,
}: {
  contact: Contact;
  onSaved: (c: Contact) => void;
}) {
  const toast = useToast();
  const [fields, setFields] = useState(() => fieldsOf(contact));
  const [rows, setRows] = useState<PropertyRow[]>(() => propertyRows(contact.properties));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);

  const read = readProperties(rows);
  const dirty = patchFor(contact, fields, read.values) !== null || Object.keys(read.errors).length > 0;
  useLeaveGuard(dirty ? 'Your changes to this contact are not saved.' : null);

  const focus = (key: string) =>
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-error-key="${CSS.escape(key)}"]`)?.focus(),
    );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const local: Record<string, string> = { ...read.errors };
    if (!fields.email.trim()) local.email = 'Enter an email address.';
    if (Object.keys(local).length) {
      setErrors(local);
      focus(Object.keys(local).includes('email') ? 'email' : Object.keys(local)[0]);
      return;
    }
    const patch = patchFor(contact, fields, read.values);
    if (!patch) {
      toast('Nothing to save: no field was changed', 'info');
      return;
    }
    setSaving(true);
    setErrors({});
    try {
      onSaved(await api<Contact>('PATCH', `/v1/contacts/${contact.id}`, patch));
    } catch (err) {
      const key = err instanceof ApiError ? contactErrorKey(err.field) : '_form';
      setErrors({ [key]: err instanceof Error ? sentence(err.message) : String(err) });
      if (key !== '_form' && key !== 'properties') focus(key);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="card contact-form" onSubmit={submit} noValidate aria-label="Contact details">
      {errors._form && <Alert title="The contact was not saved">{errors._form}</Alert>}
      <ContactFields
        values={fields}
        errors={errors}
        onChange={(key: ContactFieldKey, value) => {
          setFields((f) => ({ ...f, [key]: value }));
          setErrors(({ [key]: _gone, ...rest }) => rest);
        }}
      />
      <PropertiesEditor
        rows={rows}
        errors={errors}
        onChange={(next) => {
          setRows(next);
          setErrors(({ properties: _p, ...rest }) =>
            Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('property.'))),
          );
        }}
      />
      <div className="form-footer">
        <Button type="submit" variant="primary" busy={saving}>
          Save changes
        </Button>
      </div>
    </form>
  );
}
