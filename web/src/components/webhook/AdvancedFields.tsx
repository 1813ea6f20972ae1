// "Advanced settings", closed at first: method, timeout (in seconds; the API takes ms), enabled,
// how hard the webhook may call its URL (requests at once, requests per second), whether one
// contact's calls go out one at a time (delivery order), and whether it turns itself back on once
// its receiver answers again (self-healing).
import { MAX_IN_FLIGHT, MAX_RATE_LIMIT, TIMEOUT_MAX_SECONDS, TIMEOUT_MIN_SECONDS } from '../../messages';
import { Field, Switch } from '../../ui';
import type { FormErrors, FormState } from './formState';

type AdvancedState = Pick<
  FormState,
  'method' | 'timeoutSeconds' | 'maxInFlight' | 'rateLimit' | 'enabled' | 'selfHeal' | 'ordering'
>;

// Their error keys (the API's field names): an error on one of them opens the section.
export const ADVANCED_KEYS = ['method', 'timeout_ms', 'max_in_flight', 'rate_limit_per_second', 'ordering'];

// A number in one unit, which the label names; its error key is the API's field.
function NumberField({
  label,
  help,
  errorKey,
  id,
  min,
  max,
  step,
  value,
  errors,
  onChange,
}: {
  label: string;
  help: string;
  errorKey: string;
  id: string;
  min: number;
  max: number;
  step: number | 'any';
  value: string;
  errors: FormErrors;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} help={help} error={errors[errorKey]} htmlFor={id}>
      {({ id: fid, describedBy, invalid }) => (
        <input
          id={fid}
          className="input"
          type="number"
          inputMode={step === 'any' ? 'decimal' : 'numeric'}
          min={min}
          max={max}
          step={step}
          value={value}
          data-error-key={errorKey}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

export function AdvancedFields({
  s,
  errors,
  open,
  id,
  onOpen,
  update,
  clearError,
}: {
  s: AdvancedState;
  errors: FormErrors;
  open: boolean;
  id: (suffix: string) => string;
  onOpen: (open: boolean) => void;
  update: (patch: Partial<AdvancedState>) => void;
  clearError: (...keys: string[]) => void;
}) {
  const number = (field: 'timeoutSeconds' | 'maxInFlight' | 'rateLimit', errorKey: string) => ({
    value: s[field],
    errorKey,
    errors,
    onChange: (value: string) => {
      const patch: Partial<AdvancedState> = {};
      patch[field] = value;
      update(patch);
      clearError(errorKey);
    },
  });
  return (
    <details className="form-section advanced" open={open} onToggle={(e) => onOpen(e.currentTarget.open)}>
      <summary>Advanced settings</summary>
      <div className="grid-3">
        <Field label="Method" error={errors.method} htmlFor={id('method')}>
          {({ id: fid, describedBy }) => (
            <select
              id={fid}
              className="input select"
              value={s.method}
              data-error-key="method"
              aria-describedby={describedBy}
              onChange={(e) => update({ method: e.target.value as FormState['method'] })}
            >
              <option>POST</option>
              <option>PUT</option>
              <option>PATCH</option>
            </select>
          )}
        </Field>
        <NumberField
          label="Timeout (seconds)"
          help={`How long to wait for an answer, ${TIMEOUT_MIN_SECONDS} to ${TIMEOUT_MAX_SECONDS} seconds.`}
          id={id('timeout')}
          min={TIMEOUT_MIN_SECONDS}
          max={TIMEOUT_MAX_SECONDS}
          step="any"
          {...number('timeoutSeconds', 'timeout_ms')}
        />
        <div className="field">
          <span className="field-label">Status</span>
          <Switch
            id={id('enabled')}
            label={s.enabled ? 'Enabled' : 'Disabled'}
            checked={s.enabled}
            onChange={(enabled) => update({ enabled })}
          />
        </div>
      </div>
      <div className="grid-2">
        <NumberField
          label="Max requests at once"
          help={`Calls sent to this URL at the same time, 1 to ${MAX_IN_FLIGHT}; the others wait their turn.`}
          id={id('max-in-flight')}
          min={1}
          max={MAX_IN_FLIGHT}
          step={1}
          {...number('maxInFlight', 'max_in_flight')}
        />
        <NumberField
          label="Rate limit (requests per second)"
          help={`At most this many calls each second, up to ${MAX_RATE_LIMIT.toLocaleString('en')}; 0 means no limit.`}
          id={id('rate-limit')}
          min={0}
          max={MAX_RATE_LIMIT}
          step={1}
          {...number('rateLimit', 'rate_limit_per_second')}
        />
      </div>
      <Field
        label="Delivery order"
        help="Each contact's calls arrive one after another, in the order the events were received. A call being retried holds back that contact's later calls; other contacts are not slowed."
        error={errors.ordering}
        htmlFor={id('ordering')}
      >
        {({ id: fid, describedBy, invalid }) => (
          <select
            id={fid}
            className="input select"
            value={s.ordering}
            data-error-key="ordering"
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => {
              update({ ordering: e.target.value as FormState['ordering'] });
              clearError('ordering');
            }}
          >
            <option value="none">Any order (fastest)</option>
            <option value="per_contact">One at a time per contact</option>
          </select>
        )}
      </Field>
      <div className="field">
        <span className="field-label">If Hookline turns it off</span>
        <Switch
          id={id('self-heal')}
          label="Turn back on by itself"
          description="When the receiver is gone (410) or keeps failing for days, Hookline turns the webhook off. With this on, it then tries the Test request now and again, and turns the webhook back on when the receiver answers 200; waiting calls are then sent slowly at first."
          checked={s.selfHeal}
          onChange={(selfHeal) => update({ selfHeal })}
        />
      </div>
    </details>
  );
}
