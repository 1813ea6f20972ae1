// Over the canvas while an older version is shown: which one, that it is read only and that the
// contacts who entered on it finish on it, how many wait on it now, and the way back.
import { Alert, Button } from '../ui';
import { viewingText, waitingText } from './versions';

export function VersionBanner({
  version,
  of,
  waiting,
  busy,
  onBack,
}: {
  version: number;
  of: number; // the current version
  waiting: number | null; // null: not counted
  busy: boolean;
  onBack: () => void;
}) {
  return (
    <div className="version-banner">
      <Alert tone="info">
        <span>
          {viewingText(version, of)}
          {waiting !== null && ` ${waitingText(waiting)}`}
        </span>
        <Button size="sm" busy={busy} onClick={onBack}>
          Back to the current version
        </Button>
      </Alert>
    </div>
  );
}
