// The webhook form, in the source's order: Name, URL (+ placeholders), Authentication required,
// Add custom header, Add custom payload, subscribed events (and their filters), Test, Create
// webhook. Used on its own page and inside the journey builder's "Choose or create a webhook"
// popup. Its sections are in webhook/; the state and its pure steps in webhook/formState.ts.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, type TestReport, type TestSample, type Webhook } from '../api';
import { eventDetailGroups, placeholderGroups } from '../catalog';
import { useContactProperties, useEventTypes } from '../catalogHooks';
import { fieldMessage } from '../messages';
import { useLeaveGuard } from '../router';
import { Alert, Button, Field, FieldError, Switch } from '../ui';
import { insertPlaceholder, PlaceholderPicker } from './PlaceholderPicker';
import { ADVANCED_KEYS, AdvancedFields } from './webhook/AdvancedFields';
import { AuthFields } from './webhook/AuthFields';
import { EventPicker } from './webhook/EventPicker';
import { FilterFields } from './webhook/FilterFields';
import {
  buildBody,
  formKeyFor,
  initialState,
  localErrors,
  type FormErrors,
  type FormState,
} from './webhook/formState';
import { newRow, RowEditor } from './webhook/RowEditor';
import { TestOutcome, TestSection } from './webhook/TestSection';

interface TestProblem {
  title: string;
  text: string;
}

// The field an API error names, as the form knows it: the Test of a saved webhook's edits names
// them under "webhook.".
function apiField(err: ApiError): string | null {
  return err.field?.replace(/^webhook\./, '') ?? null;
}

export function WebhookForm({
  webhook,
  onSaved,
  onCancel,
  submitLabel,
  idPrefix = 'wh',
  sampleEvent,
}: {
  webhook?: Webhook;
  onSaved: (saved: Webhook) => void;
  onCancel?: () => void;
  submitLabel?: string;
  idPrefix?: string;
  sampleEvent?: string; // the event Test samples first (a journey's trigger), before the form's
}) {
  const editing = !!webhook;
  const [s, setS] = useState<FormState>(() => initialState(webhook));
  const [errors, setErrors] = useState<FormErrors>({});
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [report, setReport] = useState<TestReport | null>(null);
  const [testNote, setTestNote] = useState<string | null>(null);
  const [testProblem, setTestProblem] = useState<TestProblem | null>(null);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const props = useContactProperties();
  const eventTypes = useEventTypes();
  // The placeholders offered: built-in ones, contact properties, and the keys seen in the details
  // of the events the form subscribes to (of every event when none).
  const propertyGroups = useMemo(
    () => placeholderGroups(props, eventDetailGroups(eventTypes, s.events)),
    [props, eventTypes, s.events],
  );
  const id = (suffix: string) => `${idPrefix}-${suffix}`;

  // Unsaved: what the form would send differs from what it started with.
  const [baseline] = useState(() => JSON.stringify(buildBody(initialState(webhook), webhook).body));
  const dirty = JSON.stringify(buildBody(s, webhook).body) !== baseline;
  useLeaveGuard(
    dirty ? `Your changes to ${editing ? 'this webhook' : 'the new webhook'} are not saved.` : null,
  );

  const update = (patch: Partial<FormState>) => setS((prev) => ({ ...prev, ...patch }));
  const clearError = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e;
      const next = { ...e };
      for (const k of keys) delete next[k];
      return next;
    });

  // Shows the field with an error: opens Advanced settings if it is there, then focuses it.
  const focusError = (key: string) => {
    if (ADVANCED_KEYS.includes(key)) setAdvancedOpen(true);
    requestAnimationFrame(() => {
      document.querySelector<HTMLElement>(`[data-error-key="${CSS.escape(key)}"]`)?.focus();
    });
  };

  const showLocalErrors = (): boolean => {
    const local = localErrors(s, webhook);
    const keys = Object.keys(local);
    if (!keys.length) return false;
    setErrors(local);
    focusError(keys[0]);
    return true;
  };

  const applyApiError = (err: unknown, sent: { sentHeaders: number[]; sentFilters: number[] }) => {
    if (err instanceof ApiError) {
      const field = apiField(err);
      const key = formKeyFor(field, s, sent.sentHeaders, sent.sentFilters);
      setErrors({ [key]: key === '_form' ? err.message : fieldMessage(field, err.message) });
      if (key !== '_form') focusError(key);
    } else {
      setErrors({ _form: String(err) });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (showLocalErrors()) return;
    const { body, ...sent } = buildBody(s, webhook);
    setSaving(true);
    setErrors({});
    try {
      const saved = editing
        ? await api<Webhook>('PATCH', `/v1/webhooks/${webhook!.id}`, body)
        : await api<Webhook>('POST', '/v1/webhooks', body);
      onSaved(saved);
    } catch (err) {
      applyApiError(err, sent);
    } finally {
      setSaving(false);
    }
  };

  // Tests what the form shows. A saved webhook is tested by the server with its stored secrets
  // and signing secret; edits not saved yet go along and are laid over it as PATCH would lay them
  // (the browser never holds the stored password, token or credential headers). A new webhook
  // goes whole, signed with a throw-away secret. `sample`: the event and contact chosen to send.
  const runTest = async (sample: TestSample) => {
    setTestProblem(null);
    setTestNote(null);
    if (showLocalErrors()) {
      setTestProblem({ title: 'The test could not run', text: 'Fix the highlighted fields before testing.' });
      return;
    }
    const { body, ...sent } = buildBody(s, webhook);
    setTesting(true);
    setReport(null);
    setErrors({});
    try {
      if (editing) {
        setReport(
          await api<TestReport>(
            'POST',
            `/v1/webhooks/${webhook!.id}/test`,
            dirty ? { webhook: body, sample } : { sample },
          ),
        );
        if (dirty) setTestNote('Tested with your changes, which are not saved yet.');
      } else {
        setReport(await api<TestReport>('POST', '/v1/webhooks/test', { ...body, sample }));
      }
    } catch (err) {
      // A refused sample (a contact deleted since it was picked) is not the form's to show.
      const aboutSample = err instanceof ApiError && !!err.field?.startsWith('sample.');
      if (err instanceof ApiError && err.field && !aboutSample) applyApiError(err, sent);
      setTestProblem({
        title: 'The test could not run',
        text:
          err instanceof ApiError && err.field === 'sample.contact_id'
            ? 'The contact picked is no longer stored: pick another, or use the test contact.'
            : err instanceof ApiError
              ? fieldMessage(apiField(err), err.message)
              : String(err),
      });
    } finally {
      setTesting(false);
    }
  };

  return (
    <form
      className="webhook-form"
      onSubmit={submit}
      noValidate
      aria-label={editing ? 'Edit webhook' : 'Create webhook'}
    >
      {errors._form && <Alert title="The webhook was not saved">{errors._form}</Alert>}

      <section className="form-section">
        <Field
          label="Webhook name"
          error={errors.name}
          htmlFor={id('name')}
          help="Shown in lists and journeys."
        >
          {({ id: fid, describedBy, invalid }) => (
            <input
              id={fid}
              className="input"
              value={s.name}
              data-error-key="name"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              placeholder="e.g. Billing app"
              onChange={(e) => {
                update({ name: e.target.value });
                clearError('name');
              }}
            />
          )}
        </Field>

        <Field
          label="URL"
          error={errors.url}
          htmlFor={id('url')}
          help="If your URL needs parameters, insert them as placeholders."
        >
          {({ id: fid, describedBy, invalid }) => (
            <div className="input-with-action">
              <input
                id={fid}
                ref={urlRef}
                className="input mono"
                value={s.url}
                data-error-key="url"
                aria-invalid={invalid}
                aria-describedby={describedBy}
                placeholder="https://example.com/hooks/{{contact.id}}"
                spellCheck={false}
                onChange={(e) => {
                  update({ url: e.target.value });
                  clearError('url');
                }}
              />
              <PlaceholderPicker
                groups={propertyGroups}
                onPick={(path) => {
                  insertPlaceholder(urlRef.current, s.url, path, (url) => update({ url }));
                  clearError('url');
                }}
              />
            </div>
          )}
        </Field>
      </section>

      <AuthFields s={s} saved={webhook} errors={errors} id={id} update={update} clearError={clearError} />

      <section className="form-section">
        <Switch
          id={id('headers-toggle')}
          label="Add custom header"
          description="Extra information the URL needs with each call, such as security details."
          checked={s.headersOn}
          onChange={(headersOn) =>
            update({ headersOn, headers: headersOn && !s.headers.length ? [newRow(false)] : s.headers })
          }
        />
        {s.headersOn && (
          <div className="subsection">
            <RowEditor
              label="Header"
              groupLabel="Custom headers"
              nameWord="name"
              namePlaceholder="Header name"
              valuePlaceholder="Value"
              addLabel="Add header"
              errorPrefix="header"
              rows={s.headers}
              errors={errors}
              placeholders={propertyGroups}
              onChange={(headers) => update({ headers })}
              onClearError={clearError}
            />
          </div>
        )}
      </section>

      <section className="form-section">
        <Switch
          id={id('payload-toggle')}
          label="Add custom payload"
          description={
            'Add your own contact or event properties; they are sent as custom_data in the JSON body.'
          }
          checked={s.payloadOn}
          onChange={(payloadOn) =>
            update({ payloadOn, payload: payloadOn && !s.payload.length ? [newRow(true)] : s.payload })
          }
        />
        {s.payloadOn && (
          <div className="subsection">
            {errors.payload && <FieldError message={errors.payload} />}
            <RowEditor
              label="Payload"
              groupLabel="Custom payload"
              nameWord="key"
              namePlaceholder="Key"
              valuePlaceholder="Text, or text with {{placeholders}}"
              addLabel="Add property"
              errorPrefix="payload"
              rows={s.payload}
              errors={errors}
              properties={propertyGroups}
              onChange={(payload) => update({ payload })}
              onClearError={clearError}
            />
          </div>
        )}
      </section>

      <EventPicker
        events={s.events}
        error={errors.events}
        id={id}
        onChange={(events) => {
          update({ events });
          clearError('events');
        }}
      />

      <FilterFields
        filters={s.filters}
        events={s.events}
        eventTypes={eventTypes}
        contactProperties={props}
        errors={errors}
        id={id}
        onChange={(filters) => update({ filters })}
        onClearError={clearError}
      />

      <AdvancedFields
        s={s}
        errors={errors}
        open={advancedOpen}
        id={id}
        onOpen={setAdvancedOpen}
        update={update}
        clearError={clearError}
      />

      <TestSection
        id={id}
        events={s.events}
        sampleEvent={sampleEvent}
        eventTypes={eventTypes}
        testing={testing}
        onTest={runTest}
      >
        <TestOutcome problem={testProblem} note={testNote} report={report} />
      </TestSection>

      <div className="form-footer">
        {onCancel && (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button type="submit" variant="primary" busy={saving}>
          {submitLabel ?? (editing ? 'Save changes' : 'Create webhook')}
        </Button>
      </div>
    </form>
  );
}
