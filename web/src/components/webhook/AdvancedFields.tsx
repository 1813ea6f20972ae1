// "Advanced settings", closed at first: method, timeout (in seconds; the API takes ms), enabled.
import { TIMEOUT_MAX_SECONDS, TIMEOUT_MIN_SECONDS } from '../../messages';
import { Field, Switch } from '../../ui';
import type { FormErrors, FormState } from './formState';

type AdvancedState = Pick<FormState, 'method' | 'timeoutSeconds' | 'enabled'>;

// Their error keys: an error on one of them opens the section.
export const ADVANCED_KEYS = ['method', 'timeout_ms'];

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
        <Field label="Timeout (seconds)" error={errors.timeout_ms} htmlFor={id('timeout')}>
          {({ id: fid, describedBy, invalid }) => (
            <input
              id={fid}
              className="input"
              type="number"
              min={TIMEOUT_MIN_SECONDS}
              max={TIMEOUT_MAX_SECONDS}
              step="any"
              value={s.timeoutSeconds}
              data-error-key="timeout_ms"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              onChange={(e) => {
                update({ timeoutSeconds: e.target.value });
                clearError('timeout_ms');
              }}
            />
          )}
        </Field>
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
    </details>
  );
}
