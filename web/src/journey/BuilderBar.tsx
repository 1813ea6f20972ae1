// The builder's top bar: back to the list, the journey's name and status, re-entry, Save and
// Activate (or Pause, or Resume).
import type { Journey } from '../api';
import { ChevronLeftIcon, PauseIcon, PlayIcon, SaveIcon } from '../icons';
import { Link } from '../router';
import { Button, JourneyStatusBadge } from '../ui';
import type { JourneyMeta } from './draft';

export type BuilderAction = 'save' | 'activate' | 'pause';

export function BuilderBar({
  meta,
  dirty,
  nameError,
  busy,
  onMeta,
  onSave,
  onActivate,
  onPause,
}: {
  meta: JourneyMeta;
  dirty: boolean;
  nameError: string | null;
  busy: BuilderAction | null;
  onMeta: (patch: Partial<JourneyMeta>) => void;
  onSave: () => void;
  onActivate: () => void;
  onPause: () => void;
}) {
  return (
    <header className="builder-bar">
      <Link to="/journeys" className="back-link">
        <ChevronLeftIcon size={16} /> Journeys
      </Link>
      <div className="builder-name">
        <input
          className={`input input-title ${nameError ? 'invalid' : ''}`}
          aria-label="Journey name"
          aria-invalid={!!nameError}
          value={meta.name}
          onChange={(e) => onMeta({ name: e.target.value })}
        />
        <JourneyStatusBadge status={meta.status} />
        {dirty && <span className="muted small">Unsaved changes</span>}
      </div>
      <div className="builder-actions">
        <label className="reentry">
          <span className="small muted">Re-entry</span>
          <select
            className="input input-sm select"
            value={meta.reentry}
            onChange={(e) => onMeta({ reentry: e.target.value as Journey['reentry'] })}
          >
            <option value="every_time">Every time</option>
            <option value="once">Only once</option>
          </select>
        </label>
        <Button icon={<SaveIcon size={16} />} busy={busy === 'save'} disabled={!!busy} onClick={onSave}>
          Save
        </Button>
        {meta.status === 'active' ? (
          <Button
            variant="secondary"
            icon={<PauseIcon size={16} />}
            busy={busy === 'pause'}
            disabled={!!busy}
            onClick={onPause}
          >
            Pause
          </Button>
        ) : (
          <Button
            variant="primary"
            icon={<PlayIcon size={16} />}
            busy={busy === 'activate'}
            disabled={!!busy}
            onClick={onActivate}
          >
            {meta.status === 'paused' ? 'Resume' : 'Activate'}
          </Button>
        )}
      </div>
    </header>
  );
}
