// Shared building blocks: buttons, fields, switches, dialogs, badges, toasts.
import { useEffect, useId, useRef, type ButtonHTMLAttributes, type ReactNode } from 'react';
import type { DeliveryStatus } from './api';
import { AlertIcon, CheckIcon, ChevronLeftIcon, CloseIcon, PlusIcon, TrashIcon } from './icons';
import { Link } from './router';

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

// The buttons of a list of rows the user edits: add one, remove one (named for screen readers,
// e.g. "Remove header 2").
export function AddRowButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <Button size="sm" variant="ghost" icon={<PlusIcon size={16} />} onClick={onClick}>
      {children}
    </Button>
  );
}

export function RemoveRowButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="icon-btn" aria-label={label} onClick={onClick}>
      <TrashIcon size={16} />
    </button>
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

// Asks before an action: Cancel, or the action's own button (danger by default, for what cannot
// be taken back). What the action answers, such as a refusal, goes in `children`; without
// `onConfirm` (the action was refused for good) only the close button remains.
export function ConfirmDialog({
  title,
  confirmLabel,
  onConfirm,
  onClose,
  children,
  cancelLabel = 'Cancel',
  variant = 'danger',
  icon,
  busy,
}: {
  title: string;
  confirmLabel: string;
  onConfirm?: () => void;
  onClose: () => void;
  children: ReactNode;
  cancelLabel?: string;
  variant?: Variant;
  icon?: ReactNode;
  busy?: boolean;
}) {
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant={onConfirm ? 'ghost' : 'secondary'} onClick={onClose}>
            {cancelLabel}
          </Button>
          {onConfirm && (
            <Button variant={variant} icon={icon} busy={busy} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          )}
        </>
      }
    >
      {children}
    </Modal>
  );
}

type Tone = 'neutral' | 'success' | 'danger' | 'warning' | 'info' | 'accent';

export function Badge({
  tone = 'neutral',
  title,
  children,
}: {
  tone?: Tone;
  title?: string;
  children: ReactNode;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export const QUEUED_HELP =
  'Waits for an earlier call to the same contact to end (this webhook delivers one at a time per contact).';

// How each delivery status is shown: its badge's tone and words, and what a queued one waits for.
// In the order the status filter lists them.
const DELIVERY_STATUSES: Record<DeliveryStatus, { tone: Tone; label: string; title?: string }> = {
  succeeded: { tone: 'success', label: 'Succeeded' },
  retrying: { tone: 'warning', label: 'Retrying' },
  pending: { tone: 'info', label: 'Pending' },
  queued: { tone: 'neutral', label: 'Queued', title: QUEUED_HELP },
  dead: { tone: 'danger', label: 'Failed' },
};

// A status this console does not know yet is shown as pending.
export function deliveryStatus(status: string) {
  return DELIVERY_STATUSES[status as DeliveryStatus] ?? DELIVERY_STATUSES.pending;
}

export const DELIVERY_STATUS_OPTIONS = Object.entries(DELIVERY_STATUSES).map(([value, { label }]) => ({
  value,
  label,
}));

export function DeliveryStatusBadge({ status }: { status: string }) {
  const { tone, label, title } = deliveryStatus(status);
  return (
    <Badge tone={tone} title={title}>
      {label}
    </Badge>
  );
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
  back?: { to: string; label: string }; // the page one level up
}) {
  return (
    <header className="page-header">
      <div>
        {back && (
          <Link to={back.to} className="back-link">
            <ChevronLeftIcon size={16} /> {back.label}
          </Link>
        )}
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

// The toasts live in toast.tsx; pages take them from here with the rest.
export { ToastProvider, useToast } from './toast';
