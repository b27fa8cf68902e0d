// The only module that talks to the Rust side: it imports the generated
// `bindings.ts` and `@tauri-apps/*`, unwraps `{ status, data | error }` into
// values or a thrown `IpcError`, and exposes TanStack Query factories,
// mutation hooks and the window-level helpers (file dialog, file drop,
// data-changed events). Features import types and functions from here only.

import { mutationOptions, queryOptions, useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { Channel, isTauri } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";
import {
  commands,
  events,
  type AnnotationEdit,
  type AppError,
  type AuditQuery,
  type CreateInvitation,
  type CreateProvider,
  type LeaderboardSettings,
  type MembersQuery,
  type Role,
  type UpdateProvider,
  type ConnectRequest,
  type Contract,
  type FillEdit,
  type ImportProgress,
  type ImportRequest,
  type ManualTrade,
  type NewAccount,
  type NewCashMovement,
  type Settings,
  type SyncStatus,
  type TradeFilter,
  type TradePageRequest,
  type TradeSelection,
} from "../bindings";

export type {
  Account,
  Annotation,
  AnnotationEdit,
  BackupReport,
  BreakdownRow,
  CashKind,
  CashMovement,
  LikelyCause,
  NewCashMovement,
  Reconciliation,
  ReconciliationDay,
  Breakdowns,
  Contract,
  DataLocation,
  FillEdit,
  FillRow,
  JournalNote,
  Labels,
  Screenshot,
  Settings,
  Side,
  SyncStatus,
  ConnectRequest,
  TagCount,
  TradeDetail,
  AppError,
  AppInfo,
  AssetClass,
  DailyPnl,
  DataChanged,
  Direction,
  EquityPoint,
  FormatInfo,
  ImportPreview,
  ImportProgress,
  ImportBatch,
  ImportReport,
  ImportRequest,
  ManualPnl,
  ManualTrade,
  NewAccount,
  ReferenceData,
  RejectedRow,
  Stats,
  StrategyRef,
  StrategyView,
  Trade,
  TradeFilter,
  TradePage,
  TradePageRequest,
  TradeSelection,
  TradeSort,
  TradeStatus,
  // The community side: the tenant API contract's types (crates/api), generated too.
  AuditAction,
  AuditEventView,
  AuditQuery,
  CommunityAnalytics,
  CommunityDay,
  CommunityOverview,
  CreateInvitation,
  CreateProvider,
  DailyPoint,
  ErrorCode,
  FollowView,
  InvitationView,
  LeaderboardEntry,
  LeaderboardSettings,
  MeResponse,
  MemberPage,
  MemberRoleView,
  MemberRow,
  MembersQuery,
  MembershipView,
  PeriodStats,
  ProviderFields,
  ProviderView,
  Risk,
  Role,
  SignalSide,
  SignalView,
  TradeView,
  TraderAnalytics,
  TraderOverview,
  UpdateProvider,
} from "../bindings";

/** A failed command, carrying the typed error from Rust. Branch on `error.kind`. */
export class IpcError extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.data.message);
    this.name = "IpcError";
    this.error = error;
  }
  get kind(): AppError["kind"] {
    return this.error.kind;
  }
}

/** Whether the page runs inside the Tradebook window (not a plain browser). */
export const inDesktopApp = (): boolean => isTauri();

function isAppError(e: unknown): e is AppError {
  if (typeof e !== "object" || e === null) return false;
  const o = e as { kind?: unknown; data?: unknown };
  return typeof o.kind === "string" && typeof o.data === "object" && o.data !== null;
}

/** Turns anything thrown on the way to Rust into an `AppError`. */
export function toAppError(e: unknown): AppError {
  if (e instanceof IpcError) return e.error;
  if (isAppError(e)) return e;
  if (!inDesktopApp()) {
    return {
      kind: "Internal",
      data: {
        message:
          "Tradebook's data service is not reachable because this page is open outside the desktop app. Start the app with `npm run tauri dev` (or the installed Tradebook).",
      },
    };
  }
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e);
  return { kind: "Internal", data: { message } };
}

/** What every generated command resolves to (tauri-specta's `Result` error mode). */
type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

async function unwrap<T>(call: () => Promise<Result<T, AppError>>): Promise<T> {
  let result: Result<T, AppError>;
  try {
    result = await call();
  } catch (e) {
    throw new IpcError(toAppError(e));
  }
  if (result.status === "ok") return result.data;
  throw new IpcError(toAppError(result.error));
}

// ---------------------------------------------------------------- queries

export const queryKeys = {
  appInfo: ["app-info"] as const,
  referenceData: ["reference-data"] as const,
  accounts: ["accounts"] as const,
  cashMovements: (accountId: string) => ["cash-movements", accountId] as const,
  reconciliation: (accountId: string) => ["reconciliation", accountId] as const,
  trades: (filter: TradeFilter) => ["trades", filter] as const,
  tradePage: (filter: TradeFilter, page: TradePageRequest) => ["trades", filter, page] as const,
  stats: (filter: TradeFilter) => ["stats", filter] as const,
  manualPreview: (input: ManualTrade) => ["manual-preview", input] as const,
  imports: ["imports"] as const,
  breakdowns: (filter: TradeFilter) => ["breakdowns", filter] as const,
  tradeDetail: (tradeId: string) => ["trade-detail", tradeId] as const,
  labels: ["labels"] as const,
  journalNotes: (from: string, to: string) => ["journal-notes", from, to] as const,
  settings: ["settings"] as const,
  dataLocation: ["data-location"] as const,
  contracts: ["contracts"] as const,
  screenshot: (id: string) => ["screenshot", id] as const,
  syncStatus: ["sync-status"] as const,
  /** Every answer of the community server (Community and Admin pages) lives under this key. */
  community: ["community"] as const,
};

export const appInfoQuery = () =>
  queryOptions({
    queryKey: queryKeys.appInfo,
    queryFn: () => unwrap(() => commands.appInfo()),
    staleTime: Infinity,
  });

export const referenceDataQuery = () =>
  queryOptions({
    queryKey: queryKeys.referenceData,
    queryFn: () => unwrap(() => commands.referenceData()),
    staleTime: Infinity,
  });

export const accountsQuery = () =>
  queryOptions({
    queryKey: queryKeys.accounts,
    queryFn: () => unwrap(() => commands.listAccounts()),
  });

/** An account's cash movements (deposits, dividends, interest, fees outside trades). */
export const cashMovementsQuery = (accountId: string) =>
  queryOptions({
    queryKey: queryKeys.cashMovements(accountId),
    queryFn: () => unwrap(() => commands.listCashMovements(accountId)),
  });

/** An account's balance compared with the balances its broker files state. */
export const reconciliationQuery = (accountId: string) =>
  queryOptions({
    queryKey: queryKeys.reconciliation(accountId),
    queryFn: () => unwrap(() => commands.reconcileAccount(accountId)),
  });

/** A short trade list whole (recent trades with `filter.limit`, a day's trades). */
export const tradesQuery = (filter: TradeFilter) =>
  queryOptions({
    queryKey: queryKeys.trades(filter),
    queryFn: () => unwrap(() => commands.listTrades(filter, null)).then((page) => page.trades),
  });

/** One window of a trade list of any length, with the whole list's count and net P&L. */
export const tradePageQuery = (filter: TradeFilter, page: TradePageRequest) =>
  queryOptions({
    queryKey: queryKeys.tradePage(filter, page),
    queryFn: () => unwrap(() => commands.listTrades(filter, page)),
  });

/** The ids of a window of a trade list (a Shift-click range over rows not loaded yet). */
export const fetchTradeIds = (filter: TradeFilter, page: TradePageRequest): Promise<string[]> =>
  unwrap(() => commands.listTradeIds(filter, page));

export const statsQuery = (filter: TradeFilter) =>
  queryOptions({
    queryKey: queryKeys.stats(filter),
    queryFn: () => unwrap(() => commands.getStats(filter)),
  });

/** P&L of a manual trade as typed so far; Validation errors name the field. */
export const manualPreviewQuery = (input: ManualTrade) =>
  queryOptions({
    queryKey: queryKeys.manualPreview(input),
    queryFn: () => unwrap(() => commands.previewManualTrade(input)),
    staleTime: 30_000,
  });

/** Import history, newest first. */
export const importsQuery = () =>
  queryOptions({
    queryKey: queryKeys.imports,
    queryFn: () => unwrap(() => commands.listImports()),
  });

/** The §4 breakdowns (Reports). */
export const breakdownsQuery = (filter: TradeFilter) =>
  queryOptions({
    queryKey: queryKeys.breakdowns(filter),
    queryFn: () => unwrap(() => commands.getBreakdowns(filter)),
  });

/** One trade with its fills and annotation. */
export const tradeDetailQuery = (tradeId: string) =>
  queryOptions({
    queryKey: queryKeys.tradeDetail(tradeId),
    queryFn: () => unwrap(() => commands.getTradeDetail(tradeId)),
  });

/** Tags (with counts) and setups in use: filters and suggestions. */
export const labelsQuery = () =>
  queryOptions({
    queryKey: queryKeys.labels,
    queryFn: () => unwrap(() => commands.listLabels()),
  });

/** Journal notes between two days, inclusive (`YYYY-MM-DD`). */
export const journalNotesQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: queryKeys.journalNotes(from, to),
    queryFn: () => unwrap(() => commands.listJournalNotes(from, to)),
  });

export const settingsQuery = () =>
  queryOptions({
    queryKey: queryKeys.settings,
    queryFn: () => unwrap(() => commands.getSettings()),
  });

export const dataLocationQuery = () =>
  queryOptions({
    queryKey: queryKeys.dataLocation,
    queryFn: () => unwrap(() => commands.dataLocation()),
    staleTime: Infinity,
  });

export const contractsQuery = () =>
  queryOptions({
    queryKey: queryKeys.contracts,
    queryFn: () => unwrap(() => commands.listContracts()),
  });

/** A screenshot as a `data:` URL (files never change once added). */
export const screenshotQuery = (id: string) =>
  queryOptions({
    queryKey: queryKeys.screenshot(id),
    queryFn: () => unwrap(() => commands.screenshotData(id)),
    staleTime: Infinity,
  });

/**
 * The journal's community connection. Kept current by `sync-status` events
 * (see `onSyncStatus`) and polled every 30 s in case an event was missed.
 */
export const syncStatusQuery = () =>
  queryOptions({
    queryKey: queryKeys.syncStatus,
    queryFn: () => unwrap(() => commands.syncStatus()),
    refetchInterval: 30_000,
  });

/**
 * The connected community's server, one typed command per route (the token stays in
 * Rust). Errors: `NotConnected`, `Unreachable`, `SignedOut`, or `Remote` with the
 * contract's `ErrorCode` (`forbidden` above the user's role).
 */
export const remote = {
  me: () => unwrap(() => commands.communityMe()),
  leaderboard: () => unwrap(() => commands.communityLeaderboard()),
  myLeaderboard: () => unwrap(() => commands.communityMyLeaderboard()),
  setMyLeaderboard: (s: LeaderboardSettings) => unwrap(() => commands.communitySetMyLeaderboard(s)),
  providers: () => unwrap(() => commands.communityProviders()),
  createProvider: (p: CreateProvider) => unwrap(() => commands.communityCreateProvider(p)),
  updateProvider: (id: string, change: UpdateProvider) => unwrap(() => commands.communityUpdateProvider(id, change)),
  follow: (providerId: string, follow: boolean) => unwrap(() => commands.communityFollow(providerId, follow)),
  signals: (following: boolean, limit: number) => unwrap(() => commands.communitySignals(following, limit)),
  myOverview: () => unwrap(() => commands.communityMyOverview()),
  myAnalytics: (days: number) => unwrap(() => commands.communityMyAnalytics(days)),
  overview: () => unwrap(() => commands.communityOverview()),
  analytics: (days: number) => unwrap(() => commands.communityAnalytics(days)),
  members: (q: MembersQuery) => unwrap(() => commands.communityMembers(q)),
  changeRole: (userId: string, role: Role) => unwrap(() => commands.communityChangeRole(userId, role)),
  removeMember: (userId: string) => unwrap(() => commands.communityRemoveMember(userId)),
  invitations: () => unwrap(() => commands.communityInvitations()),
  createInvitation: (i: CreateInvitation) => unwrap(() => commands.communityCreateInvitation(i)),
  auditLog: (q: AuditQuery) => unwrap(() => commands.communityAuditLog(q)),
};

export const emptyFilter: TradeFilter = {
  account_id: null,
  from: null,
  to: null,
  symbol: null,
  status: null,
  tag: null,
  setup: null,
  direction: null,
  asset_class: null,
  search: null,
  limit: null,
};

/** Everything shown may have changed: refetch all active queries. */
export function invalidateAll(client: QueryClient): Promise<void> {
  return client.invalidateQueries();
}

// -------------------------------------------------------------- mutations

export const createAccountMutation = () =>
  mutationOptions({
    mutationKey: ["create-account"],
    mutationFn: (input: NewAccount) => unwrap(() => commands.createAccount(input)),
  });

export const addManualTradeMutation = () =>
  mutationOptions({
    mutationKey: ["add-manual-trade"],
    mutationFn: (input: ManualTrade) => unwrap(() => commands.addManualTrade(input)),
  });

export const previewImportMutation = () =>
  mutationOptions({
    mutationKey: ["preview-import"],
    mutationFn: (request: ImportRequest) => unwrap(() => commands.previewImport(request)),
  });

export type CommitImportVars = { request: ImportRequest; onProgress: (p: ImportProgress) => void };

export const commitImportMutation = () =>
  mutationOptions({
    mutationKey: ["commit-import"],
    mutationFn: ({ request, onProgress }: CommitImportVars) => {
      const channel = new Channel<ImportProgress>();
      channel.onmessage = onProgress;
      return unwrap(() => commands.commitImport(request, channel));
    },
  });

/** Creates an account, then refetches everything. */
export function useCreateAccount() {
  const client = useQueryClient();
  return useMutation({ ...createAccountMutation(), onSuccess: () => invalidateAll(client) });
}

/** Saves a hand-entered trade, then refetches everything. */
export function useAddManualTrade() {
  const client = useQueryClient();
  return useMutation({ ...addManualTradeMutation(), onSuccess: () => invalidateAll(client) });
}

export function usePreviewImport() {
  return useMutation(previewImportMutation());
}

/** Commits an import with progress, then refetches everything. */
/** Stops the running import; it rolls back and fails with a Conflict ("cancelled"). */
export async function cancelImport(): Promise<void> {
  await unwrap(() => commands.cancelImport());
}

/** Removes an import batch and everything derived from it, then refetches everything. */
export function useUndoImport() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: ["undo-import"],
    mutationFn: (batchId: string) => unwrap(() => commands.undoImport(batchId)),
    onSuccess: () => invalidateAll(client),
  });
}

export function useCommitImport() {
  const client = useQueryClient();
  return useMutation({ ...commitImportMutation(), onSuccess: () => invalidateAll(client) });
}

/** A mutation that refetches everything once it succeeds (the journal changed). */
function useChanging<V, R>(key: string, fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationKey: [key], mutationFn: fn, onSuccess: () => invalidateAll(client) });
}

export const useUpdateAccount = () =>
  useChanging("update-account", ({ id, input }: { id: string; input: NewAccount }) => unwrap(() => commands.updateAccount(id, input)));

export const useSplitStrategy = () =>
  useChanging("split-strategy", (strategyId: string) => unwrap(() => commands.splitStrategy(strategyId)));

export const useMergeStrategy = () =>
  useChanging("merge-strategy", (tradeIds: string[]) => unwrap(() => commands.mergeStrategy(tradeIds)));

export const useAddCashMovement = () =>
  useChanging("add-cash-movement", ({ accountId, input }: { accountId: string; input: NewCashMovement }) =>
    unwrap(() => commands.addCashMovement(accountId, input)),
  );

export const useArchiveAccount = () =>
  useChanging("archive-account", ({ id, archived }: { id: string; archived: boolean }) =>
    unwrap(() => commands.archiveAccount(id, archived)),
  );

export const useUpdateFill = () =>
  useChanging("update-fill", ({ fillId, edit }: { fillId: string; edit: FillEdit }) => unwrap(() => commands.updateFill(fillId, edit)));

export const useDeleteFills = () => useChanging("delete-fills", (ids: string[]) => unwrap(() => commands.deleteFills(ids)));

export const useDeleteTrades = () =>
  useChanging("delete-trades", (selection: TradeSelection) => unwrap(() => commands.deleteTrades(selection)));

export const useResolveIncomplete = () =>
  useChanging("resolve-incomplete", ({ tradeId, openPrice, openedAt }: { tradeId: string; openPrice: string; openedAt: string | null }) =>
    unwrap(() => commands.resolveIncompleteTrade(tradeId, openPrice, openedAt)),
  );

export const useSaveAnnotation = () =>
  useChanging("save-annotation", ({ tradeId, edit }: { tradeId: string; edit: AnnotationEdit }) =>
    unwrap(() => commands.saveAnnotation(tradeId, edit)),
  );

export const useTagTrades = () =>
  useChanging("tag-trades", ({ selection, tag, remove }: { selection: TradeSelection; tag: string; remove: boolean }) =>
    unwrap(() => commands.tagTrades(selection, tag, remove)),
  );

export const useAddScreenshot = () =>
  useChanging("add-screenshot", ({ tradeId, path }: { tradeId: string; path: string }) => unwrap(() => commands.addScreenshot(tradeId, path)));

export const useRemoveScreenshot = () => useChanging("remove-screenshot", (id: string) => unwrap(() => commands.removeScreenshot(id)));

export const useSaveJournalNote = () =>
  useChanging("save-journal-note", ({ day, notes }: { day: string; notes: string }) => unwrap(() => commands.saveJournalNote(day, notes)));

export const useSaveSettings = () => useChanging("save-settings", (settings: Settings) => unwrap(() => commands.saveSettings(settings)));

export const useSaveContract = () => useChanging("save-contract", (contract: Contract) => unwrap(() => commands.saveContract(contract)));

export const useDeleteContract = () => useChanging("delete-contract", (root: string) => unwrap(() => commands.deleteContract(root)));

export const useBackupJournal = () => useMutation({ mutationKey: ["backup"], mutationFn: (path: string) => unwrap(() => commands.backupJournal(path)) });

/** Writes every fill to `path` in Tradebook's own CSV (re-importable); resolves to the fill count. */
export const useExportJournal = () => useMutation({ mutationKey: ["export"], mutationFn: (path: string) => unwrap(() => commands.exportJournal(path)) });

/** After the connection changes: show the new status and forget the old community's answers. */
function connectionChanged(client: QueryClient, status: SyncStatus) {
  client.setQueryData(queryKeys.syncStatus, status);
  client.removeQueries({ queryKey: queryKeys.community });
}

/** Settings → Community: sign in (registering or joining first when asked) and connect the journal. */
export function useSyncConnect() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: ["sync-connect"],
    mutationFn: (request: ConnectRequest) => unwrap(() => commands.syncConnect(request)),
    onSuccess: (status) => connectionChanged(client, status),
  });
}

/** Disconnects the journal (it stays on this computer; the session leaves the keyring). */
export function useSyncDisconnect() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: ["sync-disconnect"],
    mutationFn: () => unwrap(() => commands.syncDisconnect()),
    onSuccess: (status) => connectionChanged(client, status),
  });
}

/** Syncs now. A failure is also recorded in the status, so refetch it either way. */
export function useSyncNow() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: ["sync-now"],
    mutationFn: () => unwrap(() => commands.syncNow()),
    onSuccess: (status) => client.setQueryData(queryKeys.syncStatus, status),
    onError: () => void client.invalidateQueries({ queryKey: queryKeys.syncStatus }),
  });
}

/** Marks an account private (never synced) or shared again. */
export const useSetAccountPrivate = () =>
  useChanging("set-account-private", ({ id, isPrivate }: { id: string; isPrivate: boolean }) =>
    unwrap(() => commands.setAccountPrivate(id, isPrivate)),
  );

let readyReported = false;
/**
 * Tells the app the dashboard's statistics are on screen (start-up benchmark). Once per
 * process; failures are only logged, since nothing the user sees depends on it.
 */
export function reportReady(): void {
  if (readyReported || !inDesktopApp()) return;
  readyReported = true;
  commands.reportReady().catch((e: unknown) => console.error("report_ready failed", e));
}

export const useRestoreJournal = () => useChanging("restore", (path: string) => unwrap(() => commands.restoreJournal(path)));

// ------------------------------------------------------- window helpers

/**
 * The OS file dialogs are outside the page, so WebDriver cannot click them: the
 * end-to-end tests put the path a user would pick in `window.__tradebookDialogAnswer`
 * and every dialog below returns it instead of opening. Nothing else ever sets it.
 */
function dialogAnswerForTests(): string | undefined {
  const answer = (window as unknown as { __tradebookDialogAnswer?: unknown }).__tradebookDialogAnswer;
  return typeof answer === "string" ? answer : undefined;
}

/** Native "open file" dialog for a screenshot image; null when cancelled. */
export async function pickImageFile(): Promise<string | null> {
  const answer = dialogAnswerForTests();
  if (answer !== undefined) return answer;
  try {
    const picked = await open({
      multiple: false,
      directory: false,
      title: "Choose a screenshot",
      filters: [{ name: "Images", extensions: ["png", "jpg", "jpeg", "gif", "webp", "PNG", "JPG", "JPEG", "GIF", "WEBP"] }],
    });
    return typeof picked === "string" ? picked : null;
  } catch (e) {
    throw new IpcError(toAppError(e));
  }
}

/** Native "save file" dialog for a backup; null when cancelled. */
export async function pickBackupTarget(defaultName: string): Promise<string | null> {
  const answer = dialogAnswerForTests();
  if (answer !== undefined) return answer;
  try {
    const picked = await save({
      title: "Back up the journal to",
      defaultPath: defaultName,
      filters: [{ name: "Tradebook backup", extensions: ["db", "sqlite", "tradebook"] }],
    });
    return picked ?? null;
  } catch (e) {
    throw new IpcError(toAppError(e));
  }
}

/** Native "save file" dialog for a CSV export; null when cancelled. */
export async function pickExportTarget(defaultName: string): Promise<string | null> {
  const answer = dialogAnswerForTests();
  if (answer !== undefined) return answer;
  try {
    const picked = await save({ title: "Export fills as CSV to", defaultPath: defaultName, filters: [{ name: "CSV", extensions: ["csv"] }] });
    return picked ?? null;
  } catch (e) {
    throw new IpcError(toAppError(e));
  }
}

/** Native "open file" dialog for a backup to restore; null when cancelled. */
export async function pickBackupFile(): Promise<string | null> {
  const answer = dialogAnswerForTests();
  if (answer !== undefined) return answer;
  try {
    const picked = await open({
      multiple: false,
      directory: false,
      title: "Restore the journal from",
      filters: [
        { name: "Tradebook backup", extensions: ["db", "sqlite", "tradebook"] },
        { name: "All files", extensions: ["*"] },
      ],
    });
    return typeof picked === "string" ? picked : null;
  } catch (e) {
    throw new IpcError(toAppError(e));
  }
}

/** Native "open file" dialog for CSV exports; null when cancelled. */
export async function pickCsvFile(): Promise<string | null> {
  const answer = dialogAnswerForTests();
  if (answer !== undefined) return answer;
  try {
    const picked = await open({
      multiple: false,
      directory: false,
      title: "Choose a broker export",
      filters: [
        { name: "CSV exports", extensions: ["csv", "CSV", "txt", "TXT"] },
        { name: "All files", extensions: ["*"] },
      ],
    });
    return typeof picked === "string" ? picked : null;
  } catch (e) {
    throw new IpcError(toAppError(e));
  }
}

export type FileDrop = { type: "hover"; hovering: boolean } | { type: "drop"; paths: string[] };

/**
 * Files dragged onto the window: hover state on enter/leave and absolute
 * paths on drop. Returns a synchronous unsubscribe (safe in useEffect).
 * Outside the desktop app it does nothing.
 */
export function onFileDrop(cb: (e: FileDrop) => void): () => void {
  if (!inDesktopApp()) return () => {};
  let disposed = false;
  let unlisten: (() => void) | null = null;
  getCurrentWebview()
    .onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "enter") cb({ type: "hover", hovering: true });
      else if (p.type === "leave") cb({ type: "hover", hovering: false });
      else if (p.type === "drop") {
        cb({ type: "hover", hovering: false });
        cb({ type: "drop", paths: p.paths });
      }
    })
    .then((fn) => {
      if (disposed) fn();
      else unlisten = fn;
    })
    .catch((e: unknown) => console.error("file drop listener failed", e));
  return () => {
    disposed = true;
    unlisten?.();
  };
}

/** The Rust side changed data (import, edit, sync). Returns an unsubscribe. */
export function onDataChanged(cb: (reason: string) => void): () => void {
  if (!inDesktopApp()) return () => {};
  let disposed = false;
  let unlisten: (() => void) | null = null;
  events.dataChanged
    .listen((event) => cb(event.payload.reason))
    .then((fn) => {
      if (disposed) fn();
      else unlisten = fn;
    })
    .catch((e: unknown) => console.error("data-changed listener failed", e));
  return () => {
    disposed = true;
    unlisten?.();
  };
}

/** The sync status changed (connect, sync start/end, error, pending count). Returns an unsubscribe. */
export function onSyncStatus(cb: (status: SyncStatus) => void): () => void {
  if (!inDesktopApp()) return () => {};
  let disposed = false;
  let unlisten: (() => void) | null = null;
  events.syncStatus
    .listen((event) => cb(event.payload))
    .then((fn) => {
      if (disposed) fn();
      else unlisten = fn;
    })
    .catch((e: unknown) => console.error("sync-status listener failed", e));
  return () => {
    disposed = true;
    unlisten?.();
  };
}
