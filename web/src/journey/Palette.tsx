// The palette: blocks by group (Triggers, Conditions, Delays, Actions, Goal), dragged onto the
// canvas or added with Enter after the selected block. A block the journey may not have more of
// (a second goal) is shown unavailable, saying why. Read only (an older version shown), none is.
// Also what the settings panel says while no block is selected.
import { PALETTE, PALETTE_GROUPS, type PaletteItem, typeIcon, typeTone } from './blocks';

// The drag's data type; the canvas accepts only drops that carry it.
export const DND_TYPE = 'application/x-hookline-block';

export function Palette({
  onAdd,
  limit,
  readOnly = false,
}: {
  onAdd: (item: PaletteItem) => void;
  limit: (item: PaletteItem) => string | null; // why the item cannot be added now
  readOnly?: boolean;
}) {
  return (
    <aside className="palette" aria-label="Blocks">
      <p className="palette-hint">
        {readOnly
          ? 'An older version is read only: go back to the current version to add blocks.'
          : 'Drag a block onto the canvas, or press Enter on it to add it after the selected block.'}
      </p>
      {PALETTE_GROUPS.map((group) => (
        <div key={group} className="palette-group" role="group" aria-labelledby={`palette-${group}`}>
          <h3 id={`palette-${group}`}>{group}</h3>
          {PALETTE.filter((p) => p.group === group).map((item) => (
            <PaletteButton
              key={item.kind}
              item={item}
              why={limit(item)}
              disabled={readOnly}
              onAdd={onAdd}
            />
          ))}
        </div>
      ))}
    </aside>
  );
}

// One block of the palette; `why` it is unavailable replaces its description. Disabled, it stays
// focusable (the palette scrolls by keyboard) but neither drags nor adds.
function PaletteButton({
  item,
  why,
  disabled,
  onAdd,
}: {
  item: PaletteItem;
  why: string | null;
  disabled: boolean;
  onAdd: (item: PaletteItem) => void;
}) {
  return (
    <button
      type="button"
      className={[
        'palette-item',
        `tone-${typeTone(item.type)}`,
        why ? 'unavailable' : '',
        disabled ? 'read-only' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      draggable={!why && !disabled}
      aria-disabled={why || disabled ? true : undefined}
      data-kind={item.kind}
      onDragStart={(e) => {
        e.dataTransfer.setData(DND_TYPE, item.kind);
        e.dataTransfer.setData('text/plain', item.label);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onClick={() => !why && !disabled && onAdd(item)}
    >
      <span className="block-icon">{typeIcon(item.type)}</span>
      <span>
        <span className="palette-label">{item.label}</span>
        <span className="palette-desc">{why ?? item.description}</span>
      </span>
    </button>
  );
}

// What the panel says while no block is selected.
export function BuildHelp({ withCounts }: { withCounts: boolean }) {
  return (
    <div className="panel-section">
      <h2>Build your journey</h2>
      <ol className="steps">
        <li>
          Drag a <strong>trigger</strong> onto the canvas: the event that enrols a contact.
        </li>
        <li>
          Add <strong>conditions</strong>, <strong>waits</strong> and <strong>actions</strong> such as a
          Webhook.
        </li>
        <li>
          Connect each block's bottom dot to the next block. Conditions have a <em>Yes</em> and a{' '}
          <em>No</em> output; a <strong>Split</strong> has one per branch; a <strong>Wait until</strong>{' '}
          an event has <em>Happened</em> and <em>Timed out</em>; a <strong>Webhook</strong> that waits
          for the answer has <em>Succeeded</em> and <em>Failed</em>.
        </li>
        <li>
          Optionally add a <strong>Goal</strong>, left unconnected: when its event happens, a contact
          still waiting in the journey leaves it, counted as converted.
        </li>
        <li>
          Select a block to configure it here, then <strong>Save</strong> and <strong>Activate</strong>.
        </li>
      </ol>
      {withCounts && (
        <p className="muted small">
          Each block shows how many contacts entered it, are waiting at it and left it; the goal, how
          many it converted. A condition's Yes and No wires, a split's branch wires, a Wait until's
          Happened and Timed out wires and a waiting Webhook's Succeeded and Failed wires show how many
          took each.
        </p>
      )}
    </div>
  );
}

// What the panel says while an older version is shown and no block is selected.
export function VersionHelp({ version }: { version: number }) {
  return (
    <div className="panel-section">
      <h2>Version {version}</h2>
      <p className="muted small">
        This version is read only. Select a block to see its settings as they were; each block shows how
        many contacts are waiting at it on this version. They finish on it: later versions change nothing
        for them.
      </p>
    </div>
  );
}
