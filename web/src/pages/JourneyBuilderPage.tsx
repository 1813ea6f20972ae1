// The journey builder: a palette of Triggers, Conditions, Delays and Actions; a React Flow canvas
// where blocks are dropped and connected (conditions by their yes/no outputs); a side panel that
// configures the selected block; save, activate and pause; per-block counts. The canvas's state
// and edits are in journey/useCanvas.ts, the steps to and from the API in journey/draft.ts.
import { Background, Controls, MarkerType, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { api, listAll, type ContactList, type Journey, type Webhook } from '../api';
import { SecretNotice } from '../components/SecretNotice';
import { useInterval } from '../hooks';
import { LookupContext, nodeTypes, type BlockNodeType } from '../journey/BlockNode';
import type { Lookups } from '../journey/blocks';
import { BuilderBar, type BuilderAction } from '../journey/BuilderBar';
import { ConfigPanel } from '../journey/ConfigPanel';
import { explainRefusal, journeyInput, localProblems, type Edge, type JourneyMeta } from '../journey/draft';
import { edgeTypes } from '../journey/FlowEdge';
import { BuildHelp, Palette } from '../journey/Palette';
import { useCanvas } from '../journey/useCanvas';
import { WebhookPicker } from '../journey/WebhookPicker';
import { navigate, useLeaveGuard } from '../router';
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

  const markDirty = useCallback(() => setDirty(true), []);
  const clearBanner = useCallback(() => setBanner(null), []);
  const canvas = useCanvas({ withStats: !!id, onChange: markDirty, onAdd: clearBanner });
  const { nodes, edges, load } = canvas;

  const applyJourney = useCallback(
    (j: Journey, { layout }: { layout: boolean }) => {
      setMeta({ name: j.name, reentry: j.reentry ?? 'every_time', status: j.status });
      load(j, { layout });
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

  // Counts move while the journey runs.
  useInterval(
    () => {
      if (!id || dirty) return;
      api<Journey>('GET', `/v1/journeys/${id}`)
        .then((j) => applyJourney(j, { layout: false }))
        .catch(() => {});
    },
    id && meta.status !== 'draft' ? 4000 : null,
  );

  // Saves; the journey's id when the server took it. Problems are shown on their blocks. A new
  // journey moves to its own address, unless the caller does more first (activation).
  const save = async ({ moveToNew = true } = {}): Promise<string | null> => {
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
    try {
      const saved = id
        ? await api<Journey>('PUT', `/v1/journeys/${id}`, input)
        : await api<Journey>('POST', '/v1/journeys', input);
      setDirty(false);
      setMeta((m) => ({ ...m, status: saved.status }));
      applyJourney(saved, { layout: false });
      if (!id && moveToNew) navigate(`/journeys/${saved.id}`, { replace: true, force: true });
      return saved.id;
    } catch (e) {
      const refusal = explainRefusal(e, input);
      canvas.showBlockErrors(refusal.perBlock);
      canvas.markCycleEdge(refusal.cycle?.edge ?? null);
      if (refusal.nameError) setNameError(refusal.nameError);
      setBanner({ tone: 'danger', title: NOT_SAVED, text: refusal.text });
      return null;
    }
  };

  const onSave = async () => {
    setBusy('save');
    try {
      const saved = await save();
      if (saved) toast('Journey saved');
    } finally {
      setBusy(null);
    }
  };

  // Activate and Pause answer with the journey; its status is all the bar needs.
  const statusOf = (j: unknown, otherwise: Journey['status']): Journey['status'] =>
    j && typeof j === 'object' && 'status' in j ? (j as Journey).status : otherwise;

  const onActivate = async () => {
    setBusy('activate');
    try {
      const journeyId = dirty || !id ? await save({ moveToNew: false }) : id;
      if (!journeyId) return;
      try {
        const j = await api<Journey>('POST', `/v1/journeys/${journeyId}/activate`);
        setMeta((m) => ({ ...m, status: statusOf(j, 'active') }));
        toast('Journey activated: matching events now enrol contacts');
      } finally {
        // A new journey, saved here, opens at its own address (activated or not).
        if (!id) navigate(`/journeys/${journeyId}`, { replace: true, force: true });
      }
    } catch (e) {
      setBanner({
        tone: 'danger',
        title: 'The journey was not activated',
        text: e instanceof Error ? e.message : String(e),
      });
    } finally {
      setBusy(null);
    }
  };

  const onPause = async () => {
    if (!id) return;
    setBusy('pause');
    try {
      const j = await api<Journey>('POST', `/v1/journeys/${id}/pause`);
      setMeta((m) => ({ ...m, status: statusOf(j, 'paused') }));
      toast('Journey paused');
    } catch (e) {
      setBanner({
        tone: 'danger',
        title: 'The journey was not paused',
        text: e instanceof Error ? e.message : String(e),
      });
    } finally {
      setBusy(null);
    }
  };

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
          onMeta={(patch) => {
            setMeta((m) => ({ ...m, ...patch }));
            setDirty(true);
            if (patch.name !== undefined) setNameError(null);
          }}
          onSave={onSave}
          onActivate={onActivate}
          onPause={onPause}
        />
        {(banner || createdSecret) && (
          <div className="builder-banner">
            {banner && (
              <Alert tone={banner.tone} title={banner.title}>
                {banner.text}
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
          <Palette onAdd={canvas.addFromPalette} />
          <div
            className="canvas"
            ref={canvas.canvasRef}
            onDrop={canvas.onDrop}
            onDragOver={canvas.onDragOver}
            aria-label="Journey canvas"
          >
            <ReactFlow<BlockNodeType, Edge>
              nodes={nodes}
              edges={canvas.shownEdges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              onNodesChange={canvas.onNodesChange}
              onEdgesChange={canvas.onEdgesChange}
              onConnect={canvas.onConnect}
              deleteKeyCode={['Backspace', 'Delete']}
              defaultViewport={{ x: 40, y: 40, zoom: 1 }}
              minZoom={0.3}
              maxZoom={1.5}
              snapToGrid
              snapGrid={[10, 10]}
              connectionRadius={30}
              defaultEdgeOptions={{ type: 'flow', markerEnd: { type: MarkerType.ArrowClosed } }}
              isValidConnection={(c) => c.source !== c.target}
              ariaLabelConfig={{
                'node.a11yDescription.default':
                  'Press Enter or Space to select this block; Delete removes it.',
              }}
            >
              <Background gap={20} size={1.2} />
              <Controls showInteractive={false} />
            </ReactFlow>
            {nodes.length === 0 && (
              <div className="canvas-empty" aria-hidden="true">
                <div className="canvas-empty-card">
                  <strong>Start with a trigger</strong>
                  <span>Drag “Email link clicked” or another trigger from the left onto the canvas.</span>
                </div>
              </div>
            )}
          </div>
          <aside className="config-panel" aria-label="Block settings">
            {selected ? (
              <ConfigPanel
                key={selected.id}
                node={selected}
                nodes={nodes}
                edges={edges}
                lookups={lookups}
                onConfig={canvas.setConfig}
                onConnectNext={canvas.connect}
                onDelete={canvas.deleteBlock}
                onOpenPicker={() => setPickerFor(selected.id)}
              />
            ) : (
              <BuildHelp withCounts={!!id} />
            )}
          </aside>
        </div>
      </div>
      {pickerNode && (
        <WebhookPicker
          webhooks={lookups.webhooks}
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

export function JourneyBuilderPage({ id }: { id?: string }) {
  return (
    <ReactFlowProvider>
      <Builder id={id} />
    </ReactFlowProvider>
  );
}
