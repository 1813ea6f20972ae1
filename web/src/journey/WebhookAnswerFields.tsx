// A Webhook block's wait for the answer, under the webhook chosen: the switch and, while it is on,
// the response mapping. Switched off, the mapping leaves the settings (the server refuses one
// without the wait) but is kept while the panel is open, to come back if it is switched on again.
import { useRef } from 'react';
import { Switch } from '../ui';
import { ResponseMappingField } from './ResponseMappingField';
import {
  mappingsOf,
  waitsForAnswer,
  withMappings,
  withWait,
  type ResponseMapping,
} from './webhookAnswer';

export function WebhookAnswerFields({
  config,
  onConfig,
}: {
  config: Record<string, unknown>;
  onConfig: (config: Record<string, unknown>) => void;
}) {
  const waiting = waitsForAnswer(config);
  const kept = useRef<ResponseMapping[]>([]);
  const toggle = (on: boolean) => {
    if (!on) kept.current = mappingsOf(config);
    const next = withWait(config, on);
    onConfig(on ? withMappings(next, kept.current) : next);
  };

  return (
    <>
      <div className="field">
        <Switch
          checked={waiting}
          onChange={toggle}
          label="Wait for the answer"
          description={
            'The contact waits here until the call succeeds (a 2xx answer, retries included) or ' +
            'finally fails, and goes on by Succeeded or Failed. Off, it goes on at once.'
          }
        />
      </div>
      {waiting && (
        <ResponseMappingField
          rows={mappingsOf(config)}
          onChange={(rows) => onConfig(withMappings(config, rows))}
        />
      )}
    </>
  );
}
