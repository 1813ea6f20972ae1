// Contacts and lists, as two tabs: see contacts (each opens its page), create lists, add contacts
// to them.
import { ContactsTab } from '../components/contact/ContactsTab';
import { ListsTab } from '../components/contact/ListsTab';
import { navigate } from '../router';
import { PageHeader } from '../ui';

const TABS = [
  { id: 'contacts', label: 'Contacts', path: '/contacts' },
  { id: 'lists', label: 'Lists', path: '/lists' },
] as const;

export function ContactsPage({ tab }: { tab: 'contacts' | 'lists' }) {
  return (
    <div className="page">
      <PageHeader
        title="Contacts & lists"
        description="The people your events are about, and the lists you group them in."
      />
      <div className="tabs" role="tablist" aria-label="Contacts and lists">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="contacts-tabpanel"
            className={`tab ${tab === t.id ? 'active' : ''}`}
            onClick={() => navigate(t.path)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="contacts-tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'contacts' ? <ContactsTab /> : <ListsTab />}
      </div>
    </div>
  );
}
