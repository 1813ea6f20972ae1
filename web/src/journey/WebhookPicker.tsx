// "Choose or create a webhook": the webhooks to pick from, and "Create new webhook" with the same
// form as the Webhooks page; a webhook created here is chosen at once.
import { useId, useState } from 'react';
import type { Webhook } from '../api';
import { WebhookForm } from '../components/WebhookForm';
import { PlusIcon, WebhookIcon } from '../icons';
import { Button, EmptyState, Modal } from '../ui';

export function WebhookPicker({
  webhooks,
  current,
  triggerEvent,
  onChoose,
  onCreated,
  onClose,
}: {
  webhooks: Webhook[];
  current?: string;
  triggerEvent?: string; // what the journey's calls carry: the Test of a new webhook samples it
  onChoose: (w: Webhook) => void;
  onCreated: (w: Webhook) => void;
  onClose: () => void;
}) {
  const [mode, setMode] = useState<'choose' | 'create'>('choose');
  const [selected, setSelected] = useState<string>(current ?? '');
  const [filter, setFilter] = useState('');
  const name = useId();
  const shown = webhooks.filter(
    (w) =>
      !filter ||
      w.name.toLowerCase().includes(filter.toLowerCase()) ||
      w.url.toLowerCase().includes(filter.toLowerCase()),
  );
  const chosen = webhooks.find((w) => w.id === selected);

  if (mode === 'create') {
    return (
      <Modal title="Create new webhook" onClose={onClose} wide>
        <WebhookForm
          idPrefix="popup-wh"
          submitLabel="Create webhook"
          sampleEvent={triggerEvent}
          onSaved={(w) => onCreated(w)}
          onCancel={() => setMode('choose')}
        />
      </Modal>
    );
  }

  return (
    <Modal
      title="Choose or create a webhook"
      onClose={onClose}
      footer={
        <>
          <Button icon={<PlusIcon size={16} />} onClick={() => setMode('create')} className="mr-auto">
            Create new webhook
          </Button>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" disabled={!chosen} onClick={() => chosen && onChoose(chosen)}>
            Choose webhook
          </Button>
        </>
      }
    >
      {webhooks.length === 0 ? (
        <EmptyState icon={<WebhookIcon size={28} />} title="No webhooks yet">
          Create one: it is chosen for this block right away.
        </EmptyState>
      ) : (
        <>
          {webhooks.length > 5 && (
            <input
              className="input"
              placeholder="Search webhooks"
              aria-label="Search webhooks"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
            />
          )}
          <div className="choice-list" role="radiogroup" aria-label="Webhooks">
            {shown.map((w) => (
              <label key={w.id} className={`choice ${selected === w.id ? 'active' : ''}`}>
                <input
                  type="radio"
                  name={name}
                  value={w.id}
                  checked={selected === w.id}
                  onChange={() => setSelected(w.id)}
                  onDoubleClick={() => onChoose(w)}
                />
                <span className="choice-body">
                  <span className="choice-title">{w.name}</span>
                  <span className="choice-sub mono">
                    {w.method} {w.url}
                  </span>
                </span>
                {!w.enabled && <span className="badge badge-neutral">Disabled</span>}
              </label>
            ))}
            {shown.length === 0 && <p className="muted">No webhook matches “{filter}”.</p>}
          </div>
        </>
      )}
    </Modal>
  );
}
