// The palette: blocks by group (Triggers, Conditions, Delays, Actions), dragged onto the canvas or
// added with Enter after the selected block.
import { PALETTE, PALETTE_GROUPS, type PaletteItem, typeIcon, typeTone } from './blocks';

// The drag's data type; the canvas accepts only drops that carry it.
export const DND_TYPE = 'application/x-hookline-block';

export function Palette({ onAdd }: { onAdd: (item: PaletteItem) => void }) {
  return (
    <aside className="palette" aria-label="Blocks">
      <p className="palette-hint">
        Drag a block onto the canvas, or press Enter on it to add it after the selected block.
      </p>
      {PALETTE_GROUPS.map((group) => (
        <div key={group} className="palette-group" role="group" aria-labelledby={`palette-${group}`}>
          <h3 id={`palette-${group}`}>{group}</h3>
          {PALETTE.filter((p) => p.group === group).map((item) => (
            <button
              key={item.kind}
              type="button"
              className={`palette-item tone-${typeTone(item.type)}`}
              draggable
              data-kind={item.kind}
              onDragStart={(e) => {
                e.dataTransfer.setData(DND_TYPE, item.kind);
                e.dataTransfer.setData('text/plain', item.label);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => onAdd(item)}
            >
              <span className="block-icon">{typeIcon(item.type)}</span>
              <span>
                <span className="palette-label">{item.label}</span>
                <span className="palette-desc">{item.description}</span>
              </span>
            </button>
          ))}
        </div>
      ))}
    </aside>
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
          <em>No</em> output; a <strong>Split</strong> has one per branch.
        </li>
        <li>
          Select a block to configure it here, then <strong>Save</strong> and <strong>Activate</strong>.
        </li>
      </ol>
      {withCounts && (
        <p className="muted small">
          Each block shows how many contacts entered it, are waiting at it and left it. A
          condition's Yes and No wires, and a split's branch wires, show how many took each.
        </p>
      )}
    </div>
  );
}
