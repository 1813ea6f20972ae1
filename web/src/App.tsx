import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { storedKey, storeKey } from './api';
import { LeaveConfirm } from './components/LeaveConfirm';
import { useCurrentKey } from './hooks';
import {
  AuditIcon,
  ContactsIcon,
  DashboardIcon,
  DeliveryIcon,
  EventsIcon,
  JourneyIcon,
  KeyIcon,
  SignOutIcon,
  WebhookIcon,
} from './icons';
import { AuditLogPage } from './pages/AuditLogPage';
import { ContactPage } from './pages/ContactPage';
import { ContactsPage } from './pages/ContactsPage';
import { DashboardPage } from './pages/DashboardPage';
import { DeliveriesPage } from './pages/DeliveriesPage';
import { DeliveryDetailPage } from './pages/DeliveryDetailPage';
import { EventCatalogPage } from './pages/EventCatalogPage';
import { JourneysPage } from './pages/JourneysPage';
import { ListDetailPage } from './pages/ListDetailPage';
import { SettingsPage } from './pages/SettingsPage';
import { SignInPage } from './pages/SignInPage';
import { WebhookEditPage } from './pages/WebhookEditPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { Link, matchPath, requestLeave, useLocation } from './router';
import { keyName, scopeLabel } from './scopes';
import { EmptyState, Loading, ToastProvider } from './ui';

// The builder brings React Flow: loaded only when a journey is opened.
const JourneyBuilderPage = lazy(() =>
  import('./pages/JourneyBuilderPage').then((m) => ({ default: m.JourneyBuilderPage })),
);

function useApiKey(): string | null {
  const [key, setKey] = useState(storedKey);
  useEffect(() => {
    const update = () => setKey(storedKey());
    window.addEventListener('hookline:auth', update);
    window.addEventListener('storage', update);
    return () => {
      window.removeEventListener('hookline:auth', update);
      window.removeEventListener('storage', update);
    };
  }, []);
  return key;
}

const NAV = [
  { to: '/dashboard', label: 'Dashboard', icon: <DashboardIcon /> },
  { to: '/webhooks', label: 'Webhooks', icon: <WebhookIcon /> },
  { to: '/journeys', label: 'Journeys', icon: <JourneyIcon /> },
  { to: '/deliveries', label: 'Deliveries', icon: <DeliveryIcon /> },
  { to: '/events', label: 'Event catalog', icon: <EventsIcon /> },
  { to: '/contacts', label: 'Contacts & lists', icon: <ContactsIcon /> },
  { to: '/audit-log', label: 'Audit log', icon: <AuditIcon /> },
  { to: '/settings', label: 'Settings', icon: <KeyIcon /> },
];

function route(path: string): { page: ReactNode; title: string; full?: boolean } {
  let m: Record<string, string> | null;
  if (path === '/' || path === '/dashboard') return { page: <DashboardPage />, title: 'Dashboard' };
  if (path === '/webhooks') return { page: <WebhooksPage />, title: 'Webhooks' };
  if (path === '/webhooks/new') return { page: <WebhookEditPage />, title: 'Create webhook' };
  if ((m = matchPath('/webhooks/:id', path)))
    return { page: <WebhookEditPage key={m.id} id={m.id} />, title: 'Webhook' };
  if (path === '/journeys') return { page: <JourneysPage />, title: 'Journeys' };
  if (path === '/journeys/new')
    return { page: <JourneyBuilderPage key="new" />, title: 'New journey', full: true };
  if ((m = matchPath('/journeys/:id', path)))
    return { page: <JourneyBuilderPage key={m.id} id={m.id} />, title: 'Journey', full: true };
  if (path === '/events') return { page: <EventCatalogPage />, title: 'Event catalog' };
  if (path === '/deliveries') return { page: <DeliveriesPage />, title: 'Deliveries' };
  if ((m = matchPath('/deliveries/:id', path)))
    return { page: <DeliveryDetailPage key={m.id} id={m.id} />, title: 'Delivery' };
  if (path === '/contacts' || path === '/lists')
    return {
      page: <ContactsPage tab={path === '/lists' ? 'lists' : 'contacts'} />,
      title: 'Contacts & lists',
    };
  if ((m = matchPath('/contacts/:id', path)))
    return { page: <ContactPage key={m.id} id={m.id} />, title: 'Contact' };
  if ((m = matchPath('/lists/:id', path)))
    return { page: <ListDetailPage key={m.id} id={m.id} />, title: 'List' };
  if (path === '/audit-log') return { page: <AuditLogPage />, title: 'Audit log' };
  if (path === '/settings') return { page: <SettingsPage />, title: 'Settings' };
  return {
    page: (
      <EmptyState title="Page not found" action={<Link to="/webhooks">Go to webhooks</Link>}>
        There is nothing at {path}.
      </EmptyState>
    ),
    title: 'Not found',
  };
}

// Which key this browser uses, so that a read-only session says so before a change is refused.
function SignedInAs() {
  const { data: me } = useCurrentKey();
  if (!me) return null;
  return (
    <Link
      to="/settings"
      className="signed-in-as"
      title={`Signed in with the key “${keyName(me)}”${me.prefix ? ` (${me.prefix}…)` : ''}`}
    >
      <span className="signed-in-name">{keyName(me)}</span>
      <span className="signed-in-scope">
        {scopeLabel(me.scope)} · {me.workspace_name}
      </span>
    </Link>
  );
}

export function App() {
  const key = useApiKey();
  const { path } = useLocation();
  const { page, title, full } = route(path);

  useEffect(() => {
    document.title = key ? `${title} · Hookline` : 'Sign in · Hookline';
  }, [title, key]);

  if (!key) {
    return (
      <ToastProvider>
        <SignInPage />
      </ToastProvider>
    );
  }

  return (
    <ToastProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="brand">
            <img src="/favicon.svg" alt="" width={28} height={28} />
            <span>Hookline</span>
          </div>
          <ul>
            {NAV.map((item) => {
              const active =
                path.startsWith(item.to) ||
                (item.to === '/dashboard' && path === '/') ||
                (item.to === '/contacts' && path.startsWith('/lists'));
              return (
                <li key={item.to}>
                  <Link
                    to={item.to}
                    className={`nav-link ${active ? 'active' : ''}`}
                    aria-current={active ? 'page' : undefined}
                  >
                    {item.icon}
                    <span>{item.label}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
          <div className="sidebar-footer">
            <SignedInAs />
            <button type="button" className="nav-link" onClick={() => requestLeave(() => storeKey(null))}>
              <SignOutIcon />
              <span>Sign out</span>
            </button>
          </div>
        </nav>
        <main id="main" className={`main ${full ? 'main-full' : ''}`} tabIndex={-1}>
          <Suspense fallback={<Loading />}>{page}</Suspense>
        </main>
      </div>
      <LeaveConfirm />
    </ToastProvider>
  );
}
