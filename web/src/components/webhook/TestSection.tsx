// "Test your webhook": the sample to send (an event name, sampled with the catalog's example of
// it, and the test contact or a stored one), the Test button, and what came back.
import { useState, type ReactNode } from 'react';
import type { Contact, EventType, TestReport, TestSample } from '../../api';
import { eventLabel, SYSTEM_EVENTS } from '../../catalog';
import { SendIcon } from '../../icons';
import { Alert, Button, Field } from '../../ui';
import { fullName } from '../contact/ContactCells';
import { TestResult } from '../TestResult';
import { SampleContactPicker } from './SampleContactPicker';

// What the server samples when a webhook subscribes to no event.
const DEFAULT_EVENT = 'list.add_contact';

function optionText(name: string): string {
  const label = eventLabel(name);
  return label === name ? name : `${label} (${name})`;
}

// Where the chosen event's details come from, in the words of the help under the select.
function detailsHelp(name: string, types: EventType[]): string {
  const seen = types.find((t) => t.name === name);
  const system = SYSTEM_EVENTS.includes(name);
  if (seen?.example) return `Sent with the details of a recent ${name} event.`;
  if (seen) {
    return `No ${name} example is kept (too large, or its contact was deleted): sent with ${system ? 'sample' : 'no'} details.`;
  }
  return system
    ? `No ${name} event received yet: sent with sample details of its kind.`
    : `No ${name} event received yet: sent with no details.`;
}

export function TestSection({
  id,
  events,
  sampleEvent,
  eventTypes,
  testing,
  onTest,
  children,
}: {
  id: (suffix: string) => string;
  events: string[]; // the events the form subscribes to
  sampleEvent?: string; // sampled unless the user picks another (a journey's trigger event)
  eventTypes: EventType[];
  testing: boolean;
  onTest: (sample: TestSample) => void;
  children: ReactNode; // what the last test found
}) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [contact, setContact] = useState<Contact | null>(null);
  const event = chosen ?? sampleEvent ?? events[0] ?? DEFAULT_EVENT;
  const seen = eventTypes.map((t) => t.name).filter((n) => !events.includes(n));
  const others = SYSTEM_EVENTS.filter((n) => !events.includes(n) && !seen.includes(n));
  if (![...events, ...seen, ...others].includes(event)) others.push(event);
  const groups = [
    { label: 'Subscribed events', names: events },
    { label: 'Other events received', names: seen },
    { label: 'Other system events', names: others },
  ].filter((g) => g.names.length > 0);

  const run = () =>
    onTest({ event: { event }, ...(contact ? { contact_id: contact.id } : {}) });

  return (
    <section className="form-section test-section" aria-labelledby={id('test-title')}>
      <h3 id={id('test-title')}>Test your webhook</h3>
      <p className="field-help">
        Sends one real request with sample data. The receiver must answer <strong>200</strong>; any other
        answer is a failure.
      </p>
      <div className="test-sample">
        <Field label="Sample event" htmlFor={id('test-event')} help={detailsHelp(event, eventTypes)}>
          {({ id: fid, describedBy }) => (
            <select
              id={fid}
              className="input select"
              aria-describedby={describedBy}
              value={event}
              onChange={(e) => setChosen(e.target.value)}
            >
              {groups.map((g) => (
                <optgroup key={g.label} label={g.label}>
                  {g.names.map((name) => (
                    <option key={name} value={name}>
                      {optionText(name)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Sample contact"
          htmlFor={id('test-contact')}
          help={
            contact
              ? `${fullName(contact) || contact.email}, as stored.`
              : 'A made-up test contact (testuser@example.com) unless you pick a stored one.'
          }
        >
          {({ id: fid, describedBy }) => (
            <SampleContactPicker id={fid} describedBy={describedBy} contact={contact} onChange={setContact} />
          )}
        </Field>
        <div className="test-run">
          <Button onClick={run} busy={testing} icon={<SendIcon size={16} />}>
            Test
          </Button>
        </div>
      </div>
      {children}
    </section>
  );
}

// What the last test found: why it could not run, a note, the report.
export function TestOutcome({
  problem,
  note,
  report,
}: {
  problem: { title: string; text: string } | null;
  note: string | null;
  report: TestReport | null;
}) {
  return (
    <>
      {problem && <Alert title={problem.title}>{problem.text}</Alert>}
      {note && <Alert tone="info">{note}</Alert>}
      {report && <TestResult report={report} />}
    </>
  );
}
