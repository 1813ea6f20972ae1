// Adds a contact by hand (the API upserts by email: an existing address is updated).
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api';
import { sentence } from '../../format';
import { Alert, ConfirmDialog, useToast } from '../../ui';
import { ContactFields, contactErrorKey, EMPTY_CONTACT, type ContactFieldValues } from './ContactFields';

export function AddContactDialog({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const toast = useToast();
  const [form, setForm] = useState<ContactFieldValues>(EMPTY_CONTACT);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!form.email.trim()) {
      setErrors({ email: 'Enter an email address.' });
      return;
    }
    setBusy(true);
    try {
      await api('POST', '/v1/contacts', { ...form, email: form.email.trim() });
      toast(`Contact ${form.email.trim()} saved`);
      onAdded();
    } catch (err) {
      const key = err instanceof ApiError ? contactErrorKey(err.field) : '_form';
      setErrors({ [key]: err instanceof Error ? sentence(err.message) : String(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title="Add contact"
      confirmLabel="Save contact"
      variant="primary"
      busy={busy}
      onConfirm={() => void submit()}
      onClose={onClose}
    >
      <form onSubmit={submit} noValidate aria-label="Add contact">
        {errors._form && <Alert>{errors._form}</Alert>}
        <ContactFields
          values={form}
          errors={errors}
          onChange={(key, value) => {
            setForm((f) => ({ ...f, [key]: value }));
            setErrors({});
          }}
        />
        <button type="submit" hidden />
      </form>
    </ConfirmDialog>
  );
}
