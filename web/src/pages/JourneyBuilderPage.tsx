// The journey builder: a palette of Triggers, Conditions, Delays, Actions and the Goal; a React
// Flow canvas where blocks are dropped and connected (conditions by their yes/no outputs, splits by
// their branches; the goal stands alone); a side panel that configures the selected block; save,
// activate and pause; per-block counts, the counts on a condition's or a split's wires and the
// journey's totals, read again while it runs. The canvas's state and edits are in journey/useCanvas.ts, the steps to and from
// the API in journey/draft.ts, the counts' refresh in journey/useCountsRefresh.ts.
// Editing the graph of an active or paused journey makes a version; its older versions can be shown
// read only, each block with its counts on that version (its contacts finish on it).
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  api,
  journeyVersion,
  listAll,
  type ContactList,
  type Journey,
  type JourneyTotals as Totals,
  type JourneyVersion,
  type JourneyVersionItem,
  type Webhook,
} from '../api';
import { SecretNotice } from '../components/SecretNotice';
import { LookupContext, type BlockNodeType } from '../journey/BlockNode';
import { paletteLimit, type Lookups } from '../journey/blocks';
import { BuilderBar, type BuilderAction } from '../journey/BuilderBar';
import { ConfigPanel } from '../journey/ConfigPanel';
import { explainRefusal, graphKey, journeyInput, localProblems, type JourneyMeta } from '../journey/draft';
import { JourneyCanvas } from '../journey/JourneyCanvas';
import { hasRun } from '../journey/JourneyTotals';
import { BuildHelp, Palette, VersionHelp } from '../journey/Palette';
import { useCanvas } from '../journey/useCanvas';
import { useCountsRefresh } from '../journey/useCountsRefresh';
import { VersionBanner } from '../journey/VersionBanner';
import { madeVersion, savedText } from '../journey/versions';
import { VersionsMenu } from '../journey/VersionsMenu';
import { WebhookPicker } from '../journey/WebhookPicker';
import { navigate, requestLeave, useLeaveGuard } from '../router';
import { Alert, Loading, useToast } from '../ui';

const NOT_SAVED = 'The journey was not saved';

interface Banner {
  tone: 'danger' | 'success' | 'info';
  title: string;
  text?: string;
}

function Builder({ id }: { id?: string }) {
  const toast = useToast();
  const [meta, setMeta] = useState<JourneyMeta>({
    name: 'Untitled journey',
    reentry: 'every_time',
    status: 'draft',
  });
  const [lookups, setLookups] = useState<Lookups>({ webhooks: [], lists: [] });
  const [loading, setLoading] = useState(!!id);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  useLeaveGuard(dirty ? 'Your changes to this journey are not saved.' : null);
  const [busy, setBusy] = useState<BuilderAction | null>(null);
  const [banner, setBanner] = useState<Banner | null>(null);
  const [pickerFor, setPickerFor] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  // A webhook created from the popup: its signing secret, shown once.
  const [createdSecret, setCreatedSecret] = useState<{ name: string; secret: string } | null>(null);
  // The journey's totals, and when the counts shown were read.
  const [totals, setTotals] = useState<Totals | null>(null);
  const [countsAt, setCountsAt] = useState<number | null>(null);
  // The version new contacts enter (null: not saved yet), and the graph the server has, to tell
  // whether saving the canvas makes the next version.
  const [version, setVersion] = useState<number | null>(null);
  const [savedGraph, setSavedGraph] = useState<string | null>(null);
  // An older version shown read only; null: the current one, to edit.
  const [viewing, setViewing] = useState<JourneyVersion | null>(null);

  // The version the canvas's graph was loaded from (or last saved as): a save says it, so that the
  // server refuses it (409) if another save made a newer one meanwhile, instead of overwriting it.
  const baseVersion = useRef<number | null>(null);

  // Every edit counts: a save marks the journey clean only if nothing changed while it ran.
  const edits = useRef(0);
  const markDirty = useCallback(() => {
    edits.current += 1;
    setDirty(true);
  }, []);
  const clearBanner = useCallback(() => setBanner(null), []);
  const canvas = useCanvas({ withStats: !!id, onChange: markDirty, onAdd: clearBanner });
  const { nodes, edges, load } = canvas;

  // The journey as the server has it: unless laid out anew, the canvas takes only its counts;
  // `meta: false` keeps the name, re-entry and status shown too (they hold unsaved edits).
  const applyJourney = useCallback(
    (j: Journey, { layout, meta = true }: { layout: boolean; meta?: boolean }) => {
      if (meta) setMeta({ name: j.name, reentry: j.reentry ?? 'every_time', status: j.status });
      load(j, { layout });
      if (j.version !== undefined) setVersion(j.version);
      if (layout) {
        setSavedGraph(graphKey(j));
        baseVersion.current = j.version ?? null;
      }
      if (j.totals) setTotals(j.totals);
      setCountsAt(Date.now());
    },
    [load],
  );

  useEffect(() => {
    void Promise.all([
      listAll<Webhook>('/v1/webhooks').catch(() => [] as Webhook[]),
      listAll<ContactList>('/v1/lists').catch(() => [] as ContactList[]),
    ]).then(([webhooks, lists]) => setLookups({ webhooks, lists }));
    if (!id) return;
    let live = true;
    api<Journey>('GET', `/v1/journeys/${id}`)
      .then((j) => {
        if (!live) return;
        applyJourney(j, { layout: true });
        setDirty(false);
      })
      .catch((e) => live && setLoadError(e instanceof Error ? e.message : String(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [id, applyJourney]);

  // Counts move while the journey runs; with unsaved changes, only the counts are taken. Not while
  // an older version is shown: the journey's counts are not its.
  const refresh = useCountsRefresh({
    id,
    running: meta.status !== 'draft' && !viewing,
    dirty,
    onJourney: (j, { edited }) => applyJourney(j, { layout: false, meta: !edited }),
  });

  // Saves; the journey as the server took it. Problems are shown on their blocks. A new journey
  // moves to its own address, unless the caller does more first (activation).
  const save = async ({ moveToNew = true } = {}): Promise<Journey | null> => {
    setBanner(null);
    setNameError(null);
    canvas.markCycleEdge(null);
    if (!meta.name.trim()) {
      setNameError('Name the journey.');
      setBanner({ tone: 'danger', title: NOT_SAVED, text: 'Give the journey a name.' });
      return null;
    }
    const { perBlock, general } = localProblems(nodes, edges);
    canvas.showBlockErrors(perBlock);
    const count = Object.keys(perBlock).length;
    if (general || count) {
      setBanner({
        tone: 'danger',
        title: NOT_SAVED,
        text: general ?? `Fix the ${count === 1 ? 'block' : `${count} blocks`} marked in red.`,
      });
      return null;
    }
    const input = journeyInput(meta, nodes, edges);
    const editsSaved = edits.current;
    refresh.changed();
    try {
      const saved = id
        ? await api<Journey>('PUT', `/v1/journeys/${id}`, {
            ...input,
            version: baseVersion.current ?? undefined,
          })
        : await api<Journey>('POST', '/v1/journeys', input);
      baseVersion.current = saved.version ?? null;
      const clean = edits.current === editsSaved;
      if (clean) setDirty(false);
      setMeta((m) => ({ ...m, status: saved.status }));
      applyJourney(saved, { layout: false, meta: clean });
      setSavedGraph(graphKey(input));
      if (!id && moveToNew) navigate(`/journeys/${saved.id}`, { replace: true, force: true });
      return saved;
    } catch (e) {
      const refusal = explainRefusal(e, input);
      canvas.showBlockErrors(refusal.perBlock);
      canvas.markCycleEdge(refusal.cycle?.edge ?? null);
      if (refusal.nameError) setNameError(refusal.nameError);
      setBanner({ tone: 'danger', title: NOT_SAVED, text: refusal.text });
      return null;
    } finally {
      refresh.changed();
    }
  };

  // What went wrong with a step, in the banner.
  const showFailure = (title: string, e: unknown) =>
    setBanner({ tone: 'danger', title, text: e instanceof Error ? e.message : String(e) });

  const onSave = async () => {
    setBusy('save');
    const before = version;
    try {
      const saved = await save();
      if (saved) toast(savedText(before, saved.version));
    } finally {
      setBusy(null);
    }
  };

  // Activate and Pause answer with the journey; its status is all the bar needs.
  const statusOf = (j: unknown, otherwise: Journey['status']): Journey['status'] =>
    j && typeof j === 'object' && 'status' in j ? (j as Journey).status : otherwise;

  const onActivate = async () => {
    setBusy('activate');
    refresh.changed();
    const before = version;
    try {
      const saved = dirty || !id ? await save({ moveToNew: false }) : null;
      const journeyId = saved ? saved.id : dirty || !id ? null : id;
      if (!journeyId) return;
      if (saved && madeVersion(before, saved.version)) toast(savedText(before, saved.version));
      try {
        const j = await api<Journey>('POST', `/v1/journeys/${journeyId}/activate`);
        setMeta((m) => ({ ...m, status: statusOf(j, 'active') }));
        toast('Journey activated: matching events now enrol contacts');
      } finally {
        // A new journey, saved here, opens at its own address (activated or not).
        if (!id) navigate(`/journeys/${journeyId}`, { replace: true, force: true });
      }
    } catch (e) {
      showFailure('The journey was not activated', e);
    } finally {
      refresh.changed();
      setBusy(null);
    }
  };

  const onPause = async () => {
    if (!id) return;
    setBusy('pause');
    refresh.changed();
    try {
      const j = await api<Journey>('POST', `/v1/journeys/${id}/pause`);
      setMeta((m) => ({ ...m, status: statusOf(j, 'paused') }));
      toast('Journey paused');
    } catch (e) {
      showFailure('The journey was not paused', e);
    } finally {
      refresh.changed();
      setBusy(null);
    }
  };

  // An older version, read only, in place of the journey; unsaved changes are given up only once
  // the user agrees (as on leaving the page).
  const openVersion = async (v: number) => {
    if (!id) return;
    setBusy('version');
    refresh.changed();
    try {
      const shown = await journeyVersion(id, v);
      canvas.loadVersion(shown);
      // Its name and re-entry in the bar (not edits given up); the status is the journey's.
      setMeta((m) => ({ ...m, name: shown.name, reentry: shown.reentry ?? m.reentry }));
      setViewing(shown);
      setDirty(false);
      setBanner(null);
      setNameError(null);
    } catch (e) {
      showFailure(`Could not show version ${v}`, e);
    } finally {
      setBusy(null);
    }
  };

  // The journey as it is now, to edit again.
  const backToCurrent = async () => {
    if (!id) return;
    setBusy('version');
    refresh.changed();
    try {
      const j = await api<Journey>('GET', `/v1/journeys/${id}`);
      applyJourney(j, { layout: true });
      setViewing(null);
      setDirty(false);
      setBanner(null);
    } catch (e) {
      showFailure('Could not show the current version', e);
    } finally {
      refresh.changed();
      setBusy(null);
    }
  };

  const chooseVersion = (item: JourneyVersionItem) =>
    requestLeave(() => void (item.current ? backToCurrent() : openVersion(item.version)));

  // Whether saving makes a version: the graph of an active or paused journey changed.
  const makesVersion =
    dirty &&
    !!id &&
    meta.status !== 'draft' &&
    savedGraph !== null &&
    graphKey(journeyInput(meta, nodes, edges)) !== savedGraph;

  const readOnly = viewing !== null;
  const selected = nodes.find((n) => n.selected);
  const pickerNode = pickerFor ? nodes.find((n) => n.id === pickerFor) : undefined;
  const chooseWebhook = (node: BlockNodeType, w: Webhook) =>
    canvas.setConfig(node.id, { ...node.data.config, webhook_id: w.id });

  if (loading) return <Loading label="Loading journey…" />;
  if (loadError)
    return (
      <div className="page">
        <Alert title="Could not load the journey">{loadError}</Alert>
      </div>
    );

  return (
    <LookupContext.Provider value={lookups}>
      <div className="builder">
        <BuilderBar
          meta={meta}
          dirty={dirty}
          nameError={nameError}
          busy={busy}
          version={id ? version : null}
          versions={
            id && version !== null && version > 1 ? (
              <VersionsMenu journeyId={id} shown={viewing?.version ?? null} onChoose={chooseVersion} />
            ) : undefined
          }
          makesVersion={makesVersion}
          readOnly={readOnly}
          onMeta={(patch) => {
            setMeta((m) => ({ ...m, ...patch }));
            markDirty();
            if (patch.name !== undefined) setNameError(null);
          }}
          onSave={onSave}
          onActivate={onActivate}
          onPause={onPause}
        />
        {(banner || createdSecret || refresh.failure || viewing) && (
          <div className="builder-banner">
            {viewing && (
              <VersionBanner
                version={viewing.version}
                of={version ?? viewing.version}
                entered={viewing.totals?.entered ?? null}
                waiting={viewing.totals?.waiting ?? null}
                busy={busy === 'version'}
                onBack={() => void backToCurrent()}
              />
            )}
            {banner && (
              <Alert tone={banner.tone} title={banner.title}>
                {banner.text}
              </Alert>
            )}
            {refresh.failure && (
              <Alert tone="warning" title="Could not refresh the counts">
                {refresh.failure} The counts shown are from{' '}
                {countsAt ? new Date(countsAt).toLocaleTimeString() : 'earlier'}; trying again every few
                seconds.
              </Alert>
            )}
            {createdSecret && (
              <SecretNotice
                secret={createdSecret.secret}
                title={`Signing secret of “${createdSecret.name}”: copy it now`}
                onDismiss={() => setCreatedSecret(null)}
              >
                Receivers verify each call's <code>webhook-signature</code> with this secret. It is shown
                only once; you can rotate it later on the webhook's page.
              </SecretNotice>
            )}
          </div>
        )}
        <div className="builder-body">
          <Palette
            onAdd={canvas.addFromPalette}
            limit={(item) => paletteLimit(item, nodes)}
            readOnly={readOnly}
          />
          <JourneyCanvas
            canvas={canvas}
            totals={hasRun(totals) && !readOnly ? totals : null}
            stale={!!refresh.failure}
            readOnly={readOnly}
          />
          <aside className="config-panel" aria-label="Block settings">
            {selected ? (
              // An older version's block: its settings to read, none to change.
              <fieldset className="fieldset" disabled={readOnly}>
                <ConfigPanel
                  key={selected.id}
                  node={selected}
                  nodes={nodes}
                  edges={edges}
                  lookups={lookups}
                  onConfig={canvas.setConfig}
                  onConnectNext={canvas.connect}
                  onRemoveBranch={canvas.removeSplitBranch}
                  onDelete={canvas.deleteBlock}
                  onOpenPicker={() => setPickerFor(selected.id)}
                />
              </fieldset>
            ) : viewing ? (
              <VersionHelp version={viewing.version} />
            ) : (
              <BuildHelp withCounts={!!id} />
            )}
          </aside>
        </div>
      </div>
      {pickerNode && (
        <WebhookPicker
          webhooks={lookups.webhooks}
          triggerEvent={triggerEvent(nodes)}
          current={String(pickerNode.data.config.webhook_id ?? '')}
          onClose={() => setPickerFor(null)}
          onChoose={(w) => {
            chooseWebhook(pickerNode, w);
            setPickerFor(null);
          }}
          onCreated={(w) => {
            setLookups((l) => ({ ...l, webhooks: [...l.webhooks.filter((x) => x.id !== w.id), w] }));
            chooseWebhook(pickerNode, w);
            setPickerFor(null);
            if (w.secret) setCreatedSecret({ name: w.name, secret: w.secret });
            toast(`Webhook “${w.name}” created and chosen`);
          }}
        />
      )}
    </LookupContext.Provider>
  );
}

// The event the journey's trigger waits for, if it names one: what its Webhook blocks' calls carry.
function triggerEvent(nodes: { data: { type: string; config: Record<string, unknown> } }[]) {
  const event = nodes.find((n) => n.data.type === 'trigger')?.data.config.event;
  return typeof event === 'string' && event ? event : undefined;
}

export function JourneyBuilderPage({ id }: { id?: string }) {
  return (
    <ReactFlowProvider>
      <Builder id={id} />
    </ReactFlowProvider>
  );
}
