// The builder's top bar: back to the list, the journey's name, status and version (and its other
// versions), re-entry, Save and Activate (or Pause, or Resume). While an older version is shown,
// read only, nothing in it changes the journey.
import type { ReactNode } from 'react';
import type { Journey } from '../api';
import { ChevronLeftIcon, PauseIcon, PlayIcon, SaveIcon } from '../icons';
import { Link } from '../router';
import { Button, JourneyStatusBadge } from '../ui';
import type { JourneyMeta } from './draft';

// 'version': an older version being opened, or the current one again.
export type BuilderAction = 'save' | 'activate' | 'pause' | 'version';

export function BuilderBar({
  meta,
  dirty,
  nameError,
  busy,
  version,
  versions,
  makesVersion,
  readOnly,
  onMeta,
  onSave,
  onActivate,
  onPause,
}: {
  meta: JourneyMeta;
  dirty: boolean;
  nameError: string | null;
  busy: BuilderAction | null;
  version: number | null; // the one new contacts enter; null: not saved yet
  versions?: ReactNode; // the Versions menu, once there are several
  makesVersion: boolean; // saving the unsaved changes makes version + 1
  readOnly: boolean; // an older version is shown
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
          disabled={readOnly}
          value={meta.name}
          onChange={(e) => onMeta({ name: e.target.value })}
        />
        <JourneyStatusBadge status={meta.status} />
        {version !== null && (
          <span className="version-chip" title="The version new contacts enter">
            Version {version}
          </span>
        )}
        {versions}
        {dirty && <span className="muted small">Unsaved changes</span>}
      </div>
      <div className="builder-actions">
        <label className="reentry">
          <span className="small muted">Re-entry</span>
          <select
            className="input input-sm select"
            disabled={readOnly}
            value={meta.reentry}
            onChange={(e) => onMeta({ reentry: e.target.value as Journey['reentry'] })}
          >
            <option value="every_time">Every time</option>
            <option value="once">Only once</option>
          </select>
        </label>
        {makesVersion && version !== null && !readOnly && (
          <span
            className="small muted"
            title="Contacts already in the journey finish on the version they entered"
          >
            Saving makes version {version + 1}
          </span>
        )}
        <Button
          icon={<SaveIcon size={16} />}
          busy={busy === 'save'}
          disabled={!!busy || readOnly}
          onClick={onSave}
        >
          Save
        </Button>
        {meta.status === 'active' ? (
          <Button
            variant="secondary"
            icon={<PauseIcon size={16} />}
            busy={busy === 'pause'}
            disabled={!!busy || readOnly}
            onClick={onPause}
          >
            Pause
          </Button>
        ) : (
          <Button
            variant="primary"
            icon={<PlayIcon size={16} />}
            busy={busy === 'activate'}
            disabled={!!busy || readOnly}
            onClick={onActivate}
          >
            {meta.status === 'paused' ? 'Resume' : 'Activate'}
          </Button>
        )}
      </div>
    </header>
  );
}
