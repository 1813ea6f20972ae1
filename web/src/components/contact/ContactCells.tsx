// A contact in a table row: its email, linked to its page, and its name.
import type { Contact } from '../../api';
import { NameLink } from '../TableCard';

export function fullName(c: Contact): string {
  return [c.first_name, c.last_name].filter(Boolean).join(' ');
}

export function ContactCells({ contact }: { contact: Contact }) {
  return (
    <>
      <td>
        <NameLink to={`/contacts/${contact.id}`}>{contact.email}</NameLink>
      </td>
      <td>{fullName(contact) || <span className="muted">—</span>}</td>
    </>
  );
}
