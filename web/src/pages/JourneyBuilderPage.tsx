// The journey builder: a palette of Triggers, Conditions, Delays and Actions; a React Flow canvas
// where blocks are dropped and connected (conditions by their yes/no outputs); a side panel that
// configures the selected block; save, activate and pause; per-block counts.
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type NodeChange,
  type EdgeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  api,
  ApiError,
  journeyStats,
  listAll,
  type BlockType,
  type ContactList,
  type Journey,
  type JourneyInput,
  type Webhook,
} from '../api';
import { useInterval } from '../hooks';
import { ChevronLeftIcon, PauseIcon, PlayIcon, SaveIcon } from '../icons';
import { ConfigPanel } from '../journey/ConfigPanel';
import { LookupContext, nodeTypes, type BlockNodeType } from '../journey/BlockNode';
import {
  blockProblem,
  PALETTE,
  PALETTE_GROUPS,
  type Lookups,
  type PaletteItem,
  typeIcon,
  typeTone,
} from '../journey/blocks';
import { WebhookPicker } from '../journey/WebhookPicker';
import { Link, navigate } from '../router';
import { Alert, Button, JourneyStatusBadge, Loading, useToast } from '../ui';

const DND_TYPE = 'application/x-hookline-block';
const NODE_WIDTH = 240;
const ZERO = { entered: 0, waiting: 0, left: 0 };

type Branch = 'yes' | 'no' | undefined;

function makeEdge(source: string, target: string, branch: Branch): Edge {
  return {
    id: `${source}:${branch ?? 'next'}:${target}`,
    source,
    target,
    sourceHandle: branch ?? null,
    // The condition's outputs carry their Yes/No labels; the wire takes their colour.
    className: branch ? `edge-${branch}` : undefined,
    ariaLabel: branch ? `${source} ${branch} to ${target}` : `${source} to ${target}`,
    markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
  };
}

const ID_PREFIX: Record<BlockType, string> = {
  trigger: 'trigger',
  condition: 'condition',
  delay: 'wait',
  webhook: 'webhook',
  add_to_list: 'add',
  remove_from_list: 'remove',
  update_contact: 'update',
  exit: 'exit',
};

function newBlockId(type: BlockType, nodes: BlockNodeType[]): string {
  const prefix = ID_PREFIX[type];
  let n = 1;
  const taken = new Set(nodes.map((x) => x.id));
  while (taken.has(`${prefix}_${n}`)) n++;
  return `${prefix}_${n}`;
}

// Checks that need no server: one trigger, each block's settings, every block reachable.
function localProblems(
  nodes: BlockNodeType[],
  edges: Edge[],
): { perBlock: Record<string, string>; general: string | null } {
  const perBlock: Record<string, string> = {};
  const triggers = nodes.filter((n) => n.data.type === 'trigger');
  let general: string | null = null;
  if (nodes.length === 0) general = 'Drag a trigger onto the canvas to start the journey.';
  else if (triggers.length === 0)
    general = 'Add a trigger: a journey starts with one (drag it from Triggers).';
  triggers.slice(1).forEach((t) => (perBlock[t.id] = 'A journey has exactly one trigger: remove this one.'));
  for (const n of nodes) {
    const problem = blockProblem(n.data.type, n.data.config);
    if (problem && !perBlock[n.id]) perBlock[n.id] = problem;
  }
  if (triggers.length >= 1) {
    const reached = new Set([triggers[0].id]);
    const queue = [triggers[0].id];
    while (queue.length) {
      const at = queue.shift()!;
      for (const e of edges) {
        if (e.source === at && !reached.has(e.target)) {
          reached.add(e.target);
          queue.push(e.target);
        }
      }
    }
    for (const n of nodes) {
      if (!reached.has(n.id) && !perBlock[n.id] && n.data.type !== 'trigger') {
        perBlock[n.id] = 'Connect this block: no path from the trigger reaches it.';
      }
    }
  }
  return { perBlock, general };
}

function Palette({ onAdd }: { onAdd: (item: PaletteItem) => void }) {
  return (
    <aside className="palette" aria-label="Blocks">
      <p className="palette-hint">
        Drag a block onto the canvas, or press Enter on it to add it after the selected block.
      </p>
      {PALETTE_GROUPS.map((group) => (
        <div key={group} className="palette-group" role="group" aria-labelledby={`palette-${group}`}>
          <h3 id={`palette-${group}`}>{group}</h3>
          {PALETTE.filter((p) => p.group === group).map((item) => (
            <button
              key={item.kind}
              type="button"
              className={`palette-item tone-${typeTone(item.type)}`}
              draggable
              data-kind={item.kind}
              onDragStart={(e) => {
                e.dataTransfer.setData(DND_TYPE, item.kind);
                e.dataTransfer.setData('text/plain', item.label);
                e.dataTransfer.effectAllowed = 'move';
              }}
              onClick={() => onAdd(item)}
            >
              <span className="block-icon">{typeIcon(item.type)}</span>
              <span>
                <span className="palette-label">{item.label}</span>
                <span className="palette-desc">{item.description}</span>
              </span>
            </button>
          ))}
        </div>
      ))}
    </aside>
  );
}

function Builder({ id }: { id?: string }) {
  const toast = useToast();
  const flow = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [nodes, setNodes, onNodesChangeBase] = useNodesState<BlockNodeType>([]);
  const [edges, setEdges, onEdgesChangeBase] = useEdgesState<Edge>([]);
  const [meta, setMeta] = useState<{ name: string; reentry: Journey['reentry']; status: Journey['status'] }>({
    name: 'Untitled journey',
    reentry: 'every_time',
    status: 'draft',
  });
  const [lookups, setLookups] = useState<Lookups>({ webhooks: [], lists: [] });
  const [loading, setLoading] = useState(!!id);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(!id);
  const [busy, setBusy] = useState<'save' | 'activate' | 'pause' | null>(null);
  const [banner, setBanner] = useState<{
    tone: 'danger' | 'success' | 'info';
    title: string;
    text?: string;
  } | null>(null);
  const [pickerFor, setPickerFor] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);

  const loadLookups = useCallback(async () => {
    const [webhooks, lists] = await Promise.all([
      listAll<Webhook>('/v1/webhooks').catch(() => [] as Webhook[]),
      listAll<ContactList>('/v1/lists').catch(() => [] as ContactList[]),
    ]);
    setLookups({ webhooks, lists });
  }, []);

  const applyJourney = useCallback(
    (j: Journey, { layout }: { layout: boolean }) => {
      const stats = journeyStats(j);
      setMeta({ name: j.name, reentry: j.reentry ?? 'every_time', status: j.status });
      if (layout) {
        setNodes(
          j.blocks.map((b) => ({
            id: b.id,
            type: 'block' as const,
            position: b.position ?? { x: 0, y: 0 },
            data: { type: b.type, config: b.config ?? {}, stats: stats[b.id] ?? ZERO },
          })),
        );
        setEdges(j.edges.map((e) => makeEdge(e.source, e.target, e.branch)));
        window.requestAnimationFrame(() => void flow.fitView({ padding: 0.25, maxZoom: 1 }));
      } else {
        setNodes((ns) => ns.map((n) => ({ ...n, data: { ...n.data, stats: stats[n.id] ?? ZERO } })));
      }
    },
    [flow, setEdges, setNodes],
  );

  useEffect(() => {
    void loadLookups();
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
  }, [id, loadLookups, applyJourney]);

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

  const clearBlockErrors = useCallback(
    () =>
      setNodes((ns) =>
        ns.some((n) => n.data.error)
          ? ns.map((n) => (n.data.error ? { ...n, data: { ...n.data, error: undefined } } : n))
          : ns,
      ),
    [setNodes],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockNodeType>[]) => {
      if (
        changes.some(
          (c) => c.type === 'remove' || (c.type === 'position' && c.dragging === false) || c.type === 'add',
        )
      ) {
        setDirty(true);
      }
      onNodesChangeBase(changes);
    },
    [onNodesChangeBase],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<Edge>[]) => {
      if (changes.some((c) => c.type === 'remove' || c.type === 'add')) setDirty(true);
      onEdgesChangeBase(changes);
    },
    [onEdgesChangeBase],
  );

  const connect = useCallback(
    (source: string, branch: Branch, target: string) => {
      setEdges((es) => {
        // One path leaves each output: a new connection replaces the old one.
        const rest = es.filter((e) => !(e.source === source && (e.sourceHandle ?? undefined) === branch));
        return target ? [...rest, makeEdge(source, target, branch)] : rest;
      });
      setDirty(true);
      clearBlockErrors();
    },
    [setEdges, clearBlockErrors],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target || c.source === c.target) return;
      const branch = c.sourceHandle === 'yes' || c.sourceHandle === 'no' ? c.sourceHandle : undefined;
      connect(c.source, branch, c.target);
    },
    [connect],
  );

  const addBlock = useCallback(
    (item: PaletteItem, position: { x: number; y: number }, after?: BlockNodeType) => {
      const created = newBlockId(item.type, nodes);
      const node: BlockNodeType = {
        id: created,
        type: 'block',
        position,
        selected: true,
        data: { type: item.type, config: item.config(), stats: id ? ZERO : undefined },
      };
      setNodes((ns) => [...ns.map((n) => (n.selected ? { ...n, selected: false } : n)), node]);
      if (after && item.type !== 'trigger') {
        const outputs: Branch[] =
          after.data.type === 'condition' ? ['yes', 'no'] : after.data.type === 'exit' ? [] : [undefined];
        const free = outputs.filter(
          (b) => !edges.some((e) => e.source === after.id && (e.sourceHandle ?? undefined) === b),
        );
        if (free.length) connect(after.id, free[0], created);
      }
      setDirty(true);
      clearBlockErrors();
      setBanner(null);
    },
    [nodes, edges, setNodes, connect, clearBlockErrors, id],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DND_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(DND_TYPE);
      const item = PALETTE.find((p) => p.kind === kind);
      if (!item) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addBlock(item, { x: Math.round(at.x - NODE_WIDTH / 2), y: Math.round(at.y - 30) });
    },
    [flow, addBlock],
  );

  // Keyboard (or click) on a palette item: below the selected block, else in view.
  const addFromPalette = useCallback(
    (item: PaletteItem) => {
      const selected = nodes.find((n) => n.selected);
      let position: { x: number; y: number };
      if (selected) {
        position = { x: selected.position.x, y: selected.position.y + 170 };
      } else {
        const rect = canvasRef.current?.getBoundingClientRect();
        const center = flow.screenToFlowPosition({
          x: (rect?.left ?? 0) + (rect?.width ?? 600) / 2,
          y: (rect?.top ?? 0) + 100 + nodes.length * 30,
        });
        position = { x: Math.round(center.x - NODE_WIDTH / 2), y: Math.round(center.y) };
      }
      addBlock(item, position, selected);
    },
    [nodes, flow, addBlock],
  );

  const setConfig = useCallback(
    (nodeId: string, config: Record<string, unknown>) => {
      setNodes((ns) =>
        ns.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config, error: undefined } } : n)),
      );
      setDirty(true);
    },
    [setNodes],
  );

  const deleteBlock = useCallback(
    (nodeId: string) => {
      setNodes((ns) => ns.filter((n) => n.id !== nodeId));
      setEdges((es) => es.filter((e) => e.source !== nodeId && e.target !== nodeId));
      setDirty(true);
    },
    [setNodes, setEdges],
  );

  const showBlockErrors = (perBlock: Record<string, string>) =>
    setNodes((ns) => ns.map((n) => ({ ...n, data: { ...n.data, error: perBlock[n.id] } })));

  const body = (): JourneyInput => ({
    name: meta.name.trim(),
    reentry: meta.reentry,
    blocks: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
      config: n.data.config,
    })),
    edges: edges.map((e) => {
      const out: { source: string; target: string; branch?: 'yes' | 'no' } = {
        source: e.source,
        target: e.target,
      };
      if (e.sourceHandle === 'yes' || e.sourceHandle === 'no') out.branch = e.sourceHandle;
      return out;
    }),
  });

  // Saves; the journey's id when the server took it. Problems are shown on their blocks. A new
  // journey moves to its own address, unless the caller does more first (activation).
  const save = async ({ moveToNew = true } = {}): Promise<string | null> => {
    setBanner(null);
    setNameError(null);
    if (!meta.name.trim()) {
      setNameError('Name the journey.');
      setBanner({ tone: 'danger', title: 'The journey was not saved', text: 'Give the journey a name.' });
      return null;
    }
    const { perBlock, general } = localProblems(nodes, edges);
    showBlockErrors(perBlock);
    const count = Object.keys(perBlock).length;
    if (general || count) {
      setBanner({
        tone: 'danger',
        title: 'The journey was not saved',
        text: general ?? `Fix the ${count === 1 ? 'block' : `${count} blocks`} marked in red.`,
      });
      return null;
    }
    const input = body();
    try {
      const saved = id
        ? await api<Journey>('PUT', `/v1/journeys/${id}`, input)
        : await api<Journey>('POST', '/v1/journeys', input);
      setDirty(false);
      setMeta((m) => ({ ...m, status: saved.status }));
      applyJourney(saved, { layout: false });
      if (!id && moveToNew) navigate(`/journeys/${saved.id}`, { replace: true });
      return saved.id;
    } catch (e) {
      if (e instanceof ApiError) {
        const m = /^blocks(?:\.([^.[\]]+)|\[(\d+)\])/.exec(e.field ?? '');
        const blockId = m ? (m[1] ?? input.blocks[Number(m[2])]?.id) : undefined;
        if (blockId && nodes.some((n) => n.id === blockId)) {
          const message = e.message.replace(new RegExp(`^block ${blockId}:\\s*`), '');
          showBlockErrors({ [blockId]: message });
          setBanner({
            tone: 'danger',
            title: 'The journey was not saved',
            text: `Block ${blockId}: ${message}`,
          });
        } else {
          if (e.field === 'name') setNameError(e.message);
          setBanner({ tone: 'danger', title: 'The journey was not saved', text: e.message });
        }
      } else {
        setBanner({ tone: 'danger', title: 'The journey was not saved', text: String(e) });
      }
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

  const onActivate = async () => {
    setBusy('activate');
    try {
      const journeyId = dirty || !id ? await save({ moveToNew: false }) : id;
      if (!journeyId) return;
      try {
        const j = await api<Journey>('POST', `/v1/journeys/${journeyId}/activate`);
        setMeta((m) => ({ ...m, status: j && typeof j === 'object' && 'status' in j ? j.status : 'active' }));
        toast('Journey activated: matching events now enrol contacts');
      } finally {
        // A new journey, saved here, opens at its own address (activated or not).
        if (!id) navigate(`/journeys/${journeyId}`, { replace: true });
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
      setMeta((m) => ({ ...m, status: j && typeof j === 'object' && 'status' in j ? j.status : 'paused' }));
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
  const lookupValue = useMemo(() => lookups, [lookups]);

  if (loading) return <Loading label="Loading journey…" />;
  if (loadError)
    return (
      <div className="page">
        <Alert title="Could not load the journey">{loadError}</Alert>
      </div>
    );

  return (
    <LookupContext.Provider value={lookupValue}>
      <div className="builder">
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
              onChange={(e) => {
                setMeta((m) => ({ ...m, name: e.target.value }));
                setDirty(true);
                setNameError(null);
              }}
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
                onChange={(e) => {
                  setMeta((m) => ({ ...m, reentry: e.target.value as Journey['reentry'] }));
                  setDirty(true);
                }}
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
        {banner && (
          <div className="builder-banner">
            <Alert tone={banner.tone} title={banner.title}>
              {banner.text}
            </Alert>
          </div>
        )}
        <div className="builder-body">
          <Palette onAdd={addFromPalette} />
          <div
            className="canvas"
            ref={canvasRef}
            onDrop={onDrop}
            onDragOver={onDragOver}
            aria-label="Journey canvas"
          >
            <ReactFlow<BlockNodeType, Edge>
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              deleteKeyCode={['Backspace', 'Delete']}
              defaultViewport={{ x: 40, y: 40, zoom: 1 }}
              minZoom={0.3}
              maxZoom={1.5}
              snapToGrid
              snapGrid={[10, 10]}
              connectionRadius={30}
              defaultEdgeOptions={{ markerEnd: { type: MarkerType.ArrowClosed } }}
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
                onConfig={setConfig}
                onConnectNext={connect}
                onDelete={deleteBlock}
                onOpenPicker={() => setPickerFor(selected.id)}
              />
            ) : (
              <div className="panel-section">
                <h2>Build your journey</h2>
                <ol className="steps">
                  <li>
                    Drag a <strong>trigger</strong> onto the canvas: the event that enrols a contact.
                  </li>
                  <li>
                    Add <strong>conditions</strong>, <strong>waits</strong> and <strong>actions</strong> such
                    as a Webhook.
                  </li>
                  <li>
                    Connect each block's bottom dot to the next block. Conditions have a <em>Yes</em> and a{' '}
                    <em>No</em> output.
                  </li>
                  <li>
                    Select a block to configure it here, then <strong>Save</strong> and{' '}
                    <strong>Activate</strong>.
                  </li>
                </ol>
                {id && (
                  <p className="muted small">
                    Each block shows how many contacts entered it, are waiting at it and left it.
                  </p>
                )}
              </div>
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
            setConfig(pickerNode.id, { ...pickerNode.data.config, webhook_id: w.id });
            setPickerFor(null);
          }}
          onCreated={(w) => {
            setLookups((l) => ({ ...l, webhooks: [...l.webhooks.filter((x) => x.id !== w.id), w] }));
            setConfig(pickerNode.id, { ...pickerNode.data.config, webhook_id: w.id });
            setPickerFor(null);
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
