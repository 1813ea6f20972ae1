// A contact's custom properties as the editor holds them (rows of a name and a value typed as
// text), and the pure steps back to the API: the values with their types, the checks, and the
// PATCH that changes only what changed (a removed property is sent as null, which deletes it).

// What a value was when it came: it keeps that type when saved. New rows hold text.
export type PropertyKind = 'text' | 'number' | 'boolean' | 'structured';

export interface PropertyRow {
  key: number;
  name: string;
  value: string;
  kind: PropertyKind;
}

let rowKey = 1;

export function newPropertyRow(): PropertyRow {
  return { key: rowKey++, name: '', value: '', kind: 'text' };
}

export function propertyRows(properties: Record<string, unknown>): PropertyRow[] {
  return Object.entries(properties ?? {}).map(([name, v]) => {
    if (typeof v === 'string') return { key: rowKey++, name, value: v, kind: 'text' };
    if (typeof v === 'number') return { key: rowKey++, name, value: String(v), kind: 'number' };
    if (typeof v === 'boolean') return { key: rowKey++, name, value: v ? 'true' : 'false', kind: 'boolean' };
    return { key: rowKey++, name, value: JSON.stringify(v), kind: 'structured' };
  });
}

// Error keys: "property.<row key>.name" and "property.<row key>.value".
export function rowErrorKey(row: PropertyRow, part: 'name' | 'value'): string {
  return `property.${row.key}.${part}`;
}

// The properties the rows hold, or the problems that stop them from being saved. A row with
// neither name nor value is ignored.
export function readProperties(rows: PropertyRow[]): {
  values: Record<string, unknown>;
  errors: Record<string, string>;
} {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const row of rows) {
    const name = row.name.trim();
    if (!name && !row.value) continue;
    if (!name) {
      errors[rowErrorKey(row, 'name')] = 'Name this property, or remove the row.';
      continue;
    }
    if (name in values) {
      errors[rowErrorKey(row, 'name')] = 'Another property has this name.';
      continue;
    }
    const value = typedValue(row);
    if (value === undefined) {
      errors[rowErrorKey(row, 'value')] =
        row.kind === 'number'
          ? 'Enter a number.'
          : 'This value holds several parts: keep its brackets, commas and quotes.';
      continue;
    }
    values[name] = value;
  }
  return { values, errors };
}

function typedValue(row: PropertyRow): unknown {
  if (row.kind === 'text') return row.value;
  if (row.kind === 'boolean') return row.value === 'true';
  if (row.kind === 'number') {
    const n = Number(row.value);
    return row.value.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  try {
    return JSON.parse(row.value);
  } catch {
    return undefined;
  }
}

// What PATCH needs to turn `before` into `after`, or null when they are the same.
export function propertiesPatch(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(after)) {
    if (JSON.stringify(before[name]) !== JSON.stringify(value)) patch[name] = value;
  }
  for (const name of Object.keys(before)) if (!(name in after)) patch[name] = null;
  return Object.keys(patch).length ? patch : null;
}
