// What an audit entry changed: a compact line for the table, and the whole of it when expanded.
// An update's changes are {field: {from, to}}; a create's or a delete's are the resource's fields.
import { formatTime } from '../format';

type Diff = { from?: unknown; to?: unknown };

function isDiff(changes: Record<string, unknown>): changes is Record<string, Diff> {
  const values = Object.values(changes);
  return (
    values.length > 0 &&
    values.every(
      (v) =>
        v !== null &&
        typeof v === 'object' &&
        !Array.isArray(v) &&
        Object.keys(v).length > 0 &&
        Object.keys(v).every((k) => k === 'from' || k === 'to'),
    )
  );
}

// A value as people read it: times as dates, strings quoted, the rest as JSON.
function show(field: string, value: unknown, max = Infinity, pretty = false): string {
  let text: string;
  if (value === undefined || value === null) text = '—';
  else if (typeof value === 'number' && /_at$|^time$/.test(field) && value > 1e11) text = formatTime(value);
  else if (typeof value === 'string') text = value === '***' ? '*** (secret)' : `“${value}”`;
  else text = JSON.stringify(value, null, pretty ? 2 : undefined) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const SHOWN = 2;

// The resource's id is in its own column: the summary leaves it out.
export function changesSummary(changes: Record<string, unknown> | null): string {
  const entries = Object.entries(changes ?? {}).filter(([f]) => f !== 'id');
  if (entries.length === 0) return '';
  const parts = isDiff(changes!)
    ? entries.slice(0, SHOWN).map(([f, d]) => {
        const { from, to } = d as Diff;
        return `${f}: ${show(f, from, 28)} → ${show(f, to, 28)}`;
      })
    : entries.slice(0, SHOWN).map(([f, v]) => `${f}: ${show(f, v, 36)}`);
  const more = entries.length - SHOWN;
  return parts.join(', ') + (more > 0 ? ` +${more} more` : '');
}

export function ChangesDetail({ changes }: { changes: Record<string, unknown> }) {
  const entries = Object.entries(changes);
  if (isDiff(changes)) {
    return (
      <table className="kv changes-table" aria-label="Changes">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([f, d]) => (
            <tr key={f}>
              <th scope="row">{f}</th>
              <td className="change-from">{show(f, (d as Diff).from, Infinity, true)}</td>
              <td className="change-to">{show(f, (d as Diff).to, Infinity, true)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <table className="kv changes-table" aria-label="Fields">
      <tbody>
        {entries.map(([f, v]) => (
          <tr key={f}>
            <th scope="row">{f}</th>
            <td>{show(f, v, Infinity, true)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
