// Shared building blocks: buttons, fields, switches, dialogs, badges, toasts.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type ReactNode,
} from 'react';
import { AlertIcon, CheckIcon, CloseIcon } from './icons';

type Variant = 'primary' | 'secondary' | 'ghost' | 'danger';

export function Button({
  variant = 'secondary',
  size,
  busy,
  icon,
  children,
  className,
  disabled,
  type = 'button',
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: Variant;
  size?: 'sm';
  busy?: boolean;
  icon?: ReactNode;
}) {
  return (
    <button
      type={type}
      className={['btn', `btn-${variant}`, size === 'sm' ? 'btn-sm' : '', className ?? '']
        .filter(Boolean)
        .join(' ')}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : icon}
      {children}
    </button>
  );
}

// A labelled control with its help text and the API's error for it, linked for screen readers.
export function Field({
  label,
  help,
  error,
  children,
  className,
  htmlFor,
}: {
  label: ReactNode;
  help?: ReactNode;
  error?: string | null;
  children: (ids: { id: string; describedBy?: string; invalid: boolean }) => ReactNode;
  className?: string;
  htmlFor?: string;
}) {
  const generated = useId();
  const id = htmlFor ?? generated;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help ? helpId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({ id, describedBy: describedBy || undefined, invalid: !!error })}
      {help && !error && (
        <p className="field-help" id={helpId}>
          {help}
        </p>
      )}
      {error && <FieldError id={errorId} message={error} />}
    </div>
  );
}

export function FieldError({ id, message }: { id?: string; message: string }) {
  return (
    <p className="field-error" id={id} role="alert">
      <AlertIcon size={14} /> {message}
    </p>
  );
}

export function Switch({
  checked,
  onChange,
  label,
  id,
  description,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  id?: string;
  description?: string;
}) {
  const generated = useId();
  const switchId = id ?? generated;
  return (
    <div className="switch-row">
      <button
        id={switchId}
        type="button"
        role="switch"
        aria-checked={checked}
        aria-describedby={description ? `${switchId}-description` : undefined}
        className={`switch ${checked ? 'on' : ''}`}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-thumb" />
      </button>
      <div className="switch-text">
        <label htmlFor={switchId} className="switch-label">
          {label}
        </label>
        {description && (
          <span className="switch-description" id={`${switchId}-description`}>
            {description}
          </span>
        )}
      </div>
    </div>
  );
}

// A modal dialog on the native <dialog>: focus stays inside, Escape closes it.
export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal ${wide ? 'modal-wide' : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <div className="modal-body">{children}</div>
      {footer && <div className="modal-footer">{footer}</div>}
    </dialog>
  );
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'success' | 'danger' | 'warning' | 'info' | 'accent';
  children: ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function DeliveryStatusBadge({ status }: { status: string }) {
  const tone =
    status === 'succeeded'
      ? 'success'
      : status === 'dead'
        ? 'danger'
        : status === 'retrying'
          ? 'warning'
          : 'info';
  const label =
    status === 'succeeded'
      ? 'Succeeded'
      : status === 'dead'
        ? 'Failed'
        : status === 'retrying'
          ? 'Retrying'
          : 'Pending';
  return <Badge tone={tone}>{label}</Badge>;
}

export function JourneyStatusBadge({ status }: { status: string }) {
  const tone = status === 'active' ? 'success' : status === 'paused' ? 'warning' : 'neutral';
  return <Badge tone={tone}>{status.charAt(0).toUpperCase() + status.slice(1)}</Badge>;
}

export function Alert({
  tone = 'danger',
  title,
  children,
}: {
  tone?: 'danger' | 'success' | 'info' | 'warning';
  title?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <span className="alert-icon">{tone === 'success' ? <CheckIcon /> : <AlertIcon />}</span>
      <div>
        {title && <div className="alert-title">{title}</div>}
        {children && <div className="alert-body">{children}</div>}
      </div>
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        {back}
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  action,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      {icon && <div className="empty-icon">{icon}</div>}
      <h3>{title}</h3>
      {children && <p>{children}</p>}
      {action}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Code({ children, label }: { children: string; label?: string }) {
  return (
    <pre className="code" aria-label={label} tabIndex={0}>
      {children}
    </pre>
  );
}

export function HeadersTable({ headers }: { headers: unknown }) {
  const entries =
    headers && typeof headers === 'object' && !Array.isArray(headers)
      ? Object.entries(headers as Record<string, unknown>)
      : [];
  if (entries.length === 0) return <p className="muted small">No headers</p>;
  return (
    <table className="kv">
      <tbody>
        {entries.map(([name, value]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{String(value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function prettyBody(body: string): string {
  if (!body) return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

// The API's messages are lower-case clauses ("this API key was revoked"); alone on a page they
// read better as a sentence.
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export function formatRelative(ms: number | null | undefined): string {
  if (!ms) return '—';
  const diff = Date.now() - ms;
  const abs = Math.abs(diff);
  const future = diff < 0;
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  let text: string;
  if (abs < 45_000) return future ? 'in a few seconds' : 'just now';
  if (abs < 3_600_000) text = unit(Math.round(abs / 60_000), 'minute');
  else if (abs < 86_400_000) text = unit(Math.round(abs / 3_600_000), 'hour');
  else text = unit(Math.round(abs / 86_400_000), 'day');
  return future ? `in ${text}` : `${text} ago`;
}

// A server duration setting for people: "30d" -> "30 days", "90s" -> "90 seconds", in the unit
// it was given in; otherwise from milliseconds, in the largest unit that divides it.
export function formatDuration(text: string, ms: number): string {
  const names: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day' };
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  const given = /^(\d+)([smhd])$/.exec(text.trim());
  if (given) return unit(Number(given[1]), names[given[2]]);
  const steps: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
  ];
  for (const [size, name] of steps) if (ms >= size && ms % size === 0) return unit(ms / size, name);
  return unit(Math.round(ms / 1000), 'second');
}

// ---- toasts -------------------------------------------------------------------------------

interface Toast {
  id: number;
  tone: 'success' | 'danger' | 'info';
  message: string;
}

const ToastContext = createContext<(message: string, tone?: Toast['tone']) => void>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const show = useCallback((message: string, tone: Toast['tone'] = 'success') => {
    const id = next.current++;
    setToasts((t) => [...t, { id, tone, message }]);
    window.setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 4500);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.tone}`}>
            {t.tone === 'danger' ? <AlertIcon /> : <CheckIcon />}
            <span>{t.message}</span>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  return useContext(ToastContext);
}
