// The side panel: the settings of the selected block, and where its outputs lead.
import { useId } from 'react';
import type { Edge } from '@xyflow/react';
import { FilterRows } from '../components/FilterRows';
import { TrashIcon, WebhookIcon } from '../icons';
import { AddRowButton, Button, FieldError, RemoveRowButton } from '../ui';
import { blockSummary, type Lookups, TYPE_TITLES, typeIcon, typeTone } from './blocks';
import type { BlockNodeType } from './BlockNode';
import { hasInput, outputsOf } from './branches';
import { CONTACT_FIELDS, ListSelect } from './ConfigFields';
import type { Branch } from './draft';
import { DurationField } from './DurationField';
import { EventFields } from './EventFields';
import { SplitBranchesField } from './SplitBranchesField';
import { WaitUntilFields } from './WaitUntilFields';
import { WebhookAnswerFields } from './WebhookAnswerFields';

export function ConfigPanel({
  node,
  nodes,
  edges,
  lookups,
  onConfig,
  onConnectNext,
  onRemoveBranch,
  onDelete,
  onOpenPicker,
}: {
  node: BlockNodeType;
  nodes: BlockNodeType[];
  edges: Edge[];
  lookups: Lookups;
  onConfig: (id: string, config: Record<string, unknown>) => void;
  onConnectNext: (source: string, branch: Branch, target: string) => void;
  onRemoveBranch: (id: string, index: number) => void;
  onDelete: (id: string) => void;
  onOpenPicker: () => void;
}) {
  const { type, config } = node.data;
  const set = (patch: Record<string, unknown>) => onConfig(node.id, { ...config, ...patch });
  const headingId = useId();

  const outputs = outputsOf(type, config);
  const targets = nodes.filter((n) => n.id !== node.id && hasInput(n.data.type));

  return (
    <section className="panel-section" aria-labelledby={headingId}>
      <div className={`panel-title tone-${typeTone(type)}`}>
        <span className="block-icon">{typeIcon(type, 18)}</span>
        <div>
          <h2 id={headingId}>{TYPE_TITLES[type]}</h2>
          <div className="muted small">Block {node.id}</div>
        </div>
      </div>
      {node.data.error && <FieldError message={node.data.error} />}

      {type === 'trigger' && (
        <EventFields
          config={config}
          label="When this event happens"
          filtersLabel="Trigger filters"
          onChange={set}
        />
      )}

      {type === 'goal' && (
        <>
          <p className="muted small">
            When this event happens to a contact still in the journey (waiting at a delay), the contact
            leaves the journey at once and counts as converted. A goal is not wired to other blocks.
          </p>
          <EventFields
            config={config}
            label="Converted when this event happens"
            filtersLabel="Goal filters"
            onChange={set}
          />
        </>
      )}

      {type === 'condition' && (
        <>
          <div className="segmented" role="radiogroup" aria-label="Condition type">
            <label className={`segment ${'in_list' in config ? 'active' : ''}`}>
              <input
                type="radio"
                checked={'in_list' in config}
                onChange={() => onConfig(node.id, { in_list: '' })}
              />
              Is in list
            </label>
            <label className={`segment ${!('in_list' in config) ? 'active' : ''}`}>
              <input
                type="radio"
                checked={!('in_list' in config)}
                onChange={() => onConfig(node.id, { field: 'contact.', op: 'eq', value: '' })}
              />
              Contact field
            </label>
          </div>
          {'in_list' in config ? (
            <ListSelect
              label="The contact is a member of"
              value={String(config.in_list ?? '')}
              lookups={lookups}
              onChange={(in_list) => set({ in_list })}
            />
          ) : (
            <FilterRows
              label="Contact field test"
              filters={[
                { field: String(config.field ?? ''), op: String(config.op ?? 'eq'), value: config.value },
              ]}
              fields={CONTACT_FIELDS}
              onChange={(fs) => {
                const f = fs[0] ?? { field: 'contact.', op: 'eq', value: '' };
                const next: Record<string, unknown> = { field: f.field, op: f.op };
                if (f.op !== 'exists') next.value = f.value ?? '';
                onConfig(node.id, next);
              }}
            />
          )}
        </>
      )}

      {type === 'split' && (
        <SplitBranchesField
          config={config}
          onChange={(branches) => set({ branches })}
          onRemove={(index) => onRemoveBranch(node.id, index)}
        />
      )}

      {type === 'delay' && (
        <DurationField label="Wait for" value={config.duration} onChange={(duration) => set({ duration })} />
      )}

      {type === 'wait_until' && <WaitUntilFields config={config} onConfig={(c) => onConfig(node.id, c)} />}

      {type === 'webhook' && (
        <>
          <div className="field">
            <span className="field-label">Webhook to call</span>
            {config.webhook_id ? (
              <div className="chosen-webhook">
                <WebhookIcon size={18} />
                <div>
                  <div className="strong">{blockSummary('webhook', config, lookups)}</div>
                  <div className="muted small mono truncate">
                    {lookups.webhooks.find((w) => w.id === config.webhook_id)?.url ?? ''}
                  </div>
                </div>
              </div>
            ) : (
              <p className="muted small">No webhook chosen yet.</p>
            )}
            <Button variant={config.webhook_id ? 'secondary' : 'primary'} onClick={onOpenPicker}>
              {config.webhook_id ? 'Change webhook' : 'Choose or create a webhook'}
            </Button>
          </div>
          <WebhookAnswerFields config={config} onConfig={(c) => onConfig(node.id, c)} />
        </>
      )}

      {(type === 'add_to_list' || type === 'remove_from_list') && (
        <ListSelect
          label={type === 'add_to_list' ? 'Add the contact to' : 'Remove the contact from'}
          value={String(config.list_id ?? '')}
          lookups={lookups}
          onChange={(list_id) => set({ list_id })}
        />
      )}

      {type === 'update_contact' && (
        <div className="field">
          <span className="field-label">Set these properties</span>
          {Object.entries((config.properties as Record<string, unknown>) ?? {}).map(([k, v], i, all) => (
            <div className="filter-row-2" key={i}>
              <input
                className="input input-sm mono"
                aria-label={`Property ${i + 1} name`}
                value={k}
                onChange={(e) => {
                  const entries = all.map(([kk, vv], j) => (j === i ? [e.target.value, vv] : [kk, vv]));
                  set({ properties: Object.fromEntries(entries) });
                }}
              />
              <input
                className="input input-sm"
                aria-label={`Property ${i + 1} value`}
                value={String(v ?? '')}
                onChange={(e) => {
                  const entries = all.map(([kk, vv], j) => (j === i ? [kk, e.target.value] : [kk, vv]));
                  set({ properties: Object.fromEntries(entries) });
                }}
              />
              <RemoveRowButton
                label={`Remove property ${i + 1}`}
                onClick={() => set({ properties: Object.fromEntries(all.filter((_, j) => j !== i)) })}
              />
            </div>
          ))}
          <AddRowButton
            onClick={() => {
              const props = { ...((config.properties as Record<string, unknown>) ?? {}) };
              let n = Object.keys(props).length + 1;
              while (`property_${n}` in props) n++;
              props[`property_${n}`] = '';
              set({ properties: props });
            }}
          >
            Add property
          </AddRowButton>
        </div>
      )}

      {type === 'exit' && <p className="muted">Contacts that reach this block leave the journey.</p>}

      {outputs.length > 0 && (
        <div className="field">
          <span className="field-label">Next step</span>
          {outputs.map((o) => {
            const edge = edges.find(
              (e) => e.source === node.id && (o.handle ? e.sourceHandle === o.handle : true),
            );
            return (
              <label key={o.handle ?? 'next'} className="next-step">
                <span className="small">{o.label}</span>
                <select
                  className="input input-sm select"
                  value={edge?.target ?? ''}
                  onChange={(e) => onConnectNext(node.id, o.handle, e.target.value)}
                >
                  <option value="">Nothing (end)</option>
                  {targets.map((t) => (
                    <option key={t.id} value={t.id}>
                      {TYPE_TITLES[t.data.type]} {t.id}: {blockSummary(t.data.type, t.data.config, lookups)}
                    </option>
                  ))}
                </select>
              </label>
            );
          })}
        </div>
      )}

      <div className="panel-footer">
        <Button variant="danger" size="sm" icon={<TrashIcon size={16} />} onClick={() => onDelete(node.id)}>
          Delete block
        </Button>
      </div>
    </section>
  );
}
