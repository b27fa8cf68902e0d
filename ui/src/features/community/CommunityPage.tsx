import { useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { syncStatusQuery } from "../../lib/ipc";
import { ROLE_LABELS, isTraderUp, leaderboardQuery, myAnalyticsQuery, myLeaderboardQuery, myOverviewQuery, providersQuery, signalsQuery, useFollow, useLeaderboardSettings } from "../../lib/community";
import type { LeaderboardEntry, LeaderboardSettings, ProviderView, SignalView, TraderAnalytics, TraderOverview } from "../../lib/ipc";
import { compareDecimals, divideDecimal, formatDateTime, formatDecimal, formatInteger, formatMoney, formatPercent, formatPrice, formatRatio, sumDecimals } from "../../lib/format";
import { PageHeader } from "../../components/PageHeader";
import { Loading } from "../../components/Loading";
import { Money } from "../../components/Money";
import { CommunityError } from "../../components/CommunityError";
import { DailyChart, type DailyPane } from "../../components/DailyChart";


/**
 * The community as a member sees it: the 30-day leaderboard, "you vs the community", the
 * signal feed and the signal providers to follow. Every figure is the server's answer.
 */
export function CommunityPage() {
  const status = useQuery(syncStatusQuery());
  const role = status.data?.role ?? null;
  const trader = isTraderUp(role);
  return (
    <div className="page" data-testid="page-community">
      <PageHeader
        title="Community"
        subtitle={
          <>
            <span className="strong">{status.data?.community_name}</span>
            {role && <span className="badge badge-info">{ROLE_LABELS[role] ?? role}</span>} · the last 30 days on the community server; your figures
            are from what your journal synced.
          </>
        }
      />
      {trader ? (
        <YouVsCommunity />
      ) : (
        <div className="notice notice-warn" data-testid="community-viewer-note">
          As a viewer you see the leaderboard and the signals. Traders also compare their own figures and follow providers: ask an admin for the trader
          role.
        </div>
      )}
      <div className="dash-columns">
        <Leaderboard canOptIn={trader} />
        <SignalFeed />
      </div>
      <Providers canFollow={trader} />
    </div>
  );
}

// ------------------------------------------------------------ you vs the community

function YouVsCommunity() {
  const overview = useQuery(myOverviewQuery());
  const analytics = useQuery(myAnalyticsQuery(30));
  const board = useQuery(leaderboardQuery());
  return (
    <section className="card" data-testid="community-you">
      <div className="card-head">
        <h2>You vs the community</h2>
        <span className="muted">closed trades of the last 30 days; the community is its leaderboard (members who opted in)</span>
      </div>
      {overview.isError ? (
        <CommunityError error={overview.error} title="Could not load your overview" onRetry={() => void overview.refetch()} />
      ) : board.isError ? (
        <CommunityError error={board.error} title="Could not load the leaderboard" onRetry={() => void board.refetch()} />
      ) : !overview.data || !board.data ? (
        <Loading />
      ) : (
        <Comparison me={overview.data} board={board.data} />
      )}
      {analytics.isError ? (
        <CommunityError error={analytics.error} title="Could not load your daily P&L" onRetry={() => void analytics.refetch()} />
      ) : analytics.data ? (
        <MyDaily analytics={analytics.data} />
      ) : (
        !overview.isError && <Loading label="Loading your daily P&L…" />
      )}
    </section>
  );
}

function Comparison({ me, board }: { me: TraderOverview; board: LeaderboardEntry[] }) {
  const mine = me.last_30_days;
  const n = board.length;
  const avgTrades = n > 0 ? board.reduce((s, e) => s + e.trades, 0) / n : null;
  const avgNet = n > 0 ? divideDecimal(sumDecimals(board.map((e) => e.net_pnl)), n) : null;
  const rates = board.map((e) => e.win_rate).filter((r): r is number => r != null);
  const avgRate = rates.length > 0 ? rates.reduce((s, r) => s + r, 0) / rates.length : null;
  // Where the caller's 30-day net P&L would stand on the leaderboard (same window, same order).
  const place = 1 + board.filter((e) => compareDecimals(e.net_pnl, mine.net_pnl) > 0).length;
  const top = board[0];

  return (
    <div className="you-grid">
      <div className="table-wrap">
        <table className="table" data-testid="community-comparison">
          <thead>
            <tr>
              <th />
              <th className="r">You</th>
              <th className="r" title="Mean over the members on the leaderboard">
                Leaderboard average{n > 0 ? ` (${formatInteger(n)})` : ""}
              </th>
              <th className="r">Leaderboard #1</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>Closed trades</td>
              <td className="r num strong" data-testid="you-trades">
                {formatInteger(mine.trades)}
              </td>
              <td className="r num">{avgTrades == null ? "—" : formatDecimal(avgTrades.toFixed(1))}</td>
              <td className="r num">{top ? formatInteger(top.trades) : "—"}</td>
            </tr>
            <tr>
              <td>Win rate</td>
              <td className="r num strong" data-testid="you-win-rate">
                {formatPercent(mine.win_rate)}
              </td>
              <td className="r num" title="Mean of the members' win rates">
                {formatPercent(avgRate)}
              </td>
              <td className="r num">{top ? formatPercent(top.win_rate) : "—"}</td>
            </tr>
            <tr>
              <td>Net P&amp;L</td>
              <td className="r strong" data-testid="you-net-pnl">
                <Money value={mine.net_pnl} pnl signed />
              </td>
              <td className="r">{avgNet == null ? "—" : <Money value={avgNet} pnl signed />}</td>
              <td className="r">{top ? <Money value={top.net_pnl} pnl signed /> : "—"}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <dl className="facts you-facts">
        <div>
          <dt>Your place</dt>
          <dd data-testid="you-place" data-value={n > 0 ? place : ""}>
            {n > 0 ? (
              <>
                <span className="strong">#{formatInteger(place)}</span> by net P&amp;L on a leaderboard of {formatInteger(n)}
              </>
            ) : (
              "No one on the leaderboard yet"
            )}
          </dd>
        </div>
        <div>
          <dt>Profit factor</dt>
          <dd className="num">{mine.profit_factor == null ? "—" : formatRatio(mine.profit_factor)}</dd>
        </div>
        <div>
          <dt>Fees</dt>
          <dd>
            <Money value={mine.fees} />
          </dd>
        </div>
        <div>
          <dt>Open positions</dt>
          <dd className="num" data-testid="you-open-positions">
            {formatInteger(me.open_positions.length)}
          </dd>
        </div>
        <div>
          <dt>Following</dt>
          <dd data-testid="you-following">{me.followed_providers.length === 0 ? "No provider yet" : me.followed_providers.map((p) => p.name).join(", ")}</dd>
        </div>
      </dl>
    </div>
  );
}

function MyDaily({ analytics }: { analytics: TraderAnalytics }) {
  const panes = useMemo<DailyPane[]>(
    () => [
      {
        title: "Your cumulative net P&L",
        kind: "baseline",
        points: analytics.daily.map((d) => ({ day: d.day, value: Number(d.cumulative_net) })),
        format: (v) => formatMoney(v.toFixed(2), { places: Math.abs(v) >= 1000 ? 0 : 2 }),
        stretch: 2,
      },
      {
        title: "Your daily net P&L",
        kind: "histogram",
        points: analytics.daily.map((d) => ({ day: d.day, value: Number(d.net_pnl) })),
        format: (v) => formatMoney(v.toFixed(2), { places: Math.abs(v) >= 1000 ? 0 : 2 }),
        signed: true,
      },
    ],
    [analytics],
  );
  return (
    <div className="you-daily">
      <div className="muted small">
        Max drawdown over {analytics.days} days:{" "}
        <span className="num" data-testid="you-max-drawdown" data-value={analytics.max_drawdown}>
          {formatMoney(analytics.max_drawdown)}
        </span>
      </div>
      <DailyChart panes={panes} height={240} testId="you-daily-chart" emptyText="No closed trades synced in the last 30 days." />
    </div>
  );
}

// ------------------------------------------------------------ leaderboard

function Leaderboard({ canOptIn }: { canOptIn: boolean }) {
  const board = useQuery(leaderboardQuery());
  return (
    <section className="card" data-testid="leaderboard">
      <div className="card-head">
        <h2>Leaderboard</h2>
        <span className="muted">net P&amp;L of closed trades, last 30 days</span>
      </div>
      {board.isError ? (
        <CommunityError error={board.error} title="Could not load the leaderboard" onRetry={() => void board.refetch()} />
      ) : !board.data ? (
        <Loading />
      ) : board.data.length === 0 ? (
        <div className="empty-state" data-testid="leaderboard-empty">
          <div className="empty-title">No one on the leaderboard yet</div>
          <p>Members appear here once they choose to be shown{canOptIn ? " (below)" : ""}.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="leaderboard-table">
            <thead>
              <tr>
                <th className="r">#</th>
                <th>Member</th>
                <th className="r">Trades</th>
                <th className="r">Win rate</th>
                <th className="r">Net P&amp;L</th>
              </tr>
            </thead>
            <tbody>
              {board.data.map((e) => (
                <tr key={`${e.rank}-${e.display_name}`} data-testid="leaderboard-row" data-rank={e.rank}>
                  <td className="r num">{e.rank}</td>
                  <td className="strong" data-testid="leaderboard-name">
                    {e.display_name}
                  </td>
                  <td className="r num">{formatInteger(e.trades)}</td>
                  <td className="r num">{formatPercent(e.win_rate)}</td>
                  <td className="r" data-testid="leaderboard-net" data-value={e.net_pnl}>
                    <Money value={e.net_pnl} pnl signed />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {board.data.length >= 100 && <div className="muted small pad">The top 100 members.</div>}
        </div>
      )}
      {canOptIn && <LeaderboardOptIn />}
    </section>
  );
}

/** Opt in or out of the leaderboard, optionally under an alias; starts from the current choice. */
function LeaderboardOptIn() {
  const current = useQuery(myLeaderboardQuery());
  if (current.isError) {
    return <CommunityError error={current.error} title="Could not load your leaderboard choice" onRetry={() => void current.refetch()} />;
  }
  if (!current.data) return <Loading />;
  return <LeaderboardOptInForm initial={current.data} />;
}

function LeaderboardOptInForm({ initial }: { initial: LeaderboardSettings }) {
  const save = useLeaderboardSettings();
  const [optIn, setOptIn] = useState(initial.opt_in);
  const [alias, setAlias] = useState(initial.alias ?? "");
  return (
    <form
      className="optin-form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ opt_in: optIn, alias: alias.trim() ? alias.trim() : null });
      }}
      data-testid="leaderboard-optin-form"
    >
      <div className="toolbar">
        <label className="check-label">
          <input
            type="checkbox"
            checked={optIn}
            onChange={(e) => {
              setOptIn(e.target.checked);
              save.reset();
            }}
            data-testid="leaderboard-opt-in"
          />
          Show me on the leaderboard
        </label>
        <label className="sr-only" htmlFor="leaderboard-alias">
          Alias
        </label>
        <input
          id="leaderboard-alias"
          placeholder="Alias (optional)"
          title="A name shown instead of yours (1 to 50 characters); empty shows your name"
          value={alias}
          maxLength={50}
          disabled={!optIn}
          onChange={(e) => {
            setAlias(e.target.value);
            save.reset();
          }}
          data-testid="leaderboard-alias"
        />
        <button type="submit" className="btn btn-small" disabled={save.isPending} data-testid="leaderboard-save">
          {save.isPending ? "Saving…" : "Save"}
        </button>
      </div>
      {save.isSuccess && (
        <div className="muted small" role="status" data-testid="leaderboard-saved">
          {save.data.opt_in ? `Saved: you are on the leaderboard ${save.data.alias ? `as “${save.data.alias}”` : "under your name"}.` : "Saved: you are not on the leaderboard."}
        </div>
      )}
      {save.isError && <CommunityError error={save.error} title="Your leaderboard choice was not saved" />}
    </form>
  );
}

// ------------------------------------------------------------ signals

function SignalFeed() {
  const [following, setFollowing] = useState(true);
  const feed = useQuery(signalsQuery(following));
  return (
    <section className="card" data-testid="signal-feed">
      <div className="card-head">
        <h2>Signals</h2>
        <div className="segmented card-head-end" role="radiogroup" aria-label="Which signals">
          <button type="button" role="radio" aria-checked={following} className={following ? "active" : ""} onClick={() => setFollowing(true)} data-testid="signals-following">
            Providers I follow
          </button>
          <button type="button" role="radio" aria-checked={!following} className={!following ? "active" : ""} onClick={() => setFollowing(false)} data-testid="signals-all">
            All providers
          </button>
        </div>
      </div>
      {feed.isError ? (
        <CommunityError error={feed.error} title="Could not load the signals" onRetry={() => void feed.refetch()} />
      ) : !feed.data ? (
        <Loading />
      ) : feed.data.length === 0 ? (
        <div className="empty-state" data-testid="signals-empty">
          <div className="empty-title">No signals {following ? "from the providers you follow" : "yet"}</div>
          <p>
            {following ? (
              <>
                Follow a provider below, or{" "}
                <button type="button" className="link-button" onClick={() => setFollowing(false)}>
                  show every provider's signals
                </button>
                .
              </>
            ) : (
              "Signals appear here when the community's providers post them."
            )}
          </p>
        </div>
      ) : (
        <div className="table-wrap signal-scroll">
          <table className="table table-compact" data-testid="signals-table">
            <thead>
              <tr>
                <th>Posted</th>
                <th>Provider</th>
                <th>Symbol</th>
                <th>Side</th>
                <th className="r">Entry</th>
                <th className="r">Stop</th>
                <th className="r">Target</th>
              </tr>
            </thead>
            <tbody>
              {feed.data.map((s) => (
                <SignalRow key={s.id} s={s} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function SignalRow({ s }: { s: SignalView }) {
  return (
    <>
      <tr data-testid="signal-row">
        <td className="nowrap num">{formatDateTime(s.created_at, false)}</td>
        <td>{s.provider_name}</td>
        <td className="mono strong">{s.symbol}</td>
        <td>
          <span className={`side ${s.side === "buy" ? "side-long" : "side-short"}`}>{s.side}</span>
        </td>
        <td className="r num">{formatPrice(s.entry)}</td>
        <td className="r num">{formatPrice(s.stop)}</td>
        <td className="r num">{formatPrice(s.target)}</td>
      </tr>
      {s.note.trim() && (
        <tr className="signal-note-row">
          <td />
          <td colSpan={6} className="muted small signal-note">
            {s.note}
          </td>
        </tr>
      )}
    </>
  );
}

// ------------------------------------------------------------ providers

function Providers({ canFollow }: { canFollow: boolean }) {
  const providers = useQuery(providersQuery());
  // Which providers the caller follows: the trader overview lists them (traders and up).
  const overview = useQuery({ ...myOverviewQuery(), enabled: canFollow });
  const follow = useFollow();
  const followed = new Set((overview.data?.followed_providers ?? []).map((p) => p.id));
  const busy = follow.isPending ? follow.variables?.providerId : null;

  return (
    <section className="card" data-testid="providers">
      <div className="card-head">
        <h2>Signal providers</h2>
        <span className="muted">best win rate first; performance from the trades members attributed to each provider</span>
      </div>
      {follow.isError && <CommunityError error={follow.error} title="The follow was not changed" testId="provider-follow-error" />}
      {providers.isError ? (
        <CommunityError error={providers.error} title="Could not load the providers" onRetry={() => void providers.refetch()} />
      ) : !providers.data ? (
        <Loading />
      ) : providers.data.length === 0 ? (
        <div className="empty-state" data-testid="providers-empty">
          <div className="empty-title">No signal providers yet</div>
          <p>The community's admins and moderators add them on the Admin page.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="providers-table">
            <thead>
              <tr>
                <th>Provider</th>
                <th className="r">Followers</th>
                <th className="r">Trades</th>
                <th className="r">Win rate</th>
                <th className="r">Net P&amp;L</th>
                {canFollow && <th />}
              </tr>
            </thead>
            <tbody>
              {providers.data.map((p) => (
                <ProviderRow
                  key={p.id}
                  p={p}
                  canFollow={canFollow && overview.data != null}
                  following={followed.has(p.id)}
                  busy={busy === p.id}
                  onFollow={(f) => follow.mutate({ providerId: p.id, follow: f })}
                  showFollowColumn={canFollow}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ProviderRow({
  p,
  canFollow,
  following,
  busy,
  onFollow,
  showFollowColumn,
}: {
  p: ProviderView;
  canFollow: boolean;
  following: boolean;
  busy: boolean;
  onFollow: (follow: boolean) => void;
  showFollowColumn: boolean;
}) {
  return (
    <tr data-testid="provider-row" data-provider-id={p.id} data-following={following ? "true" : "false"} className={p.active ? undefined : "dimmed-row"}>
      <td>
        <div className="strong">
          {p.name} {!p.active && <span className="badge">disabled</span>} {following && <span className="badge badge-info">following</span>}
        </div>
        {p.description && <div className="muted small">{p.description}</div>}
      </td>
      <td className="r num">{formatInteger(p.followers)}</td>
      <td className="r num">{formatInteger(p.trades)}</td>
      <td className="r num">{formatPercent(p.win_rate)}</td>
      <td className="r">
        <Money value={p.net_pnl} pnl signed />
      </td>
      {showFollowColumn && (
        <td className="r nowrap">
          {following ? (
            <button type="button" className="btn btn-small" disabled={!canFollow || busy} onClick={() => onFollow(false)} data-testid="provider-unfollow">
              {busy ? "…" : "Unfollow"}
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={!canFollow || busy || !p.active}
              title={p.active ? undefined : "A disabled provider takes no new followers"}
              onClick={() => onFollow(true)}
              data-testid="provider-follow"
            >
              {busy ? "…" : "Follow"}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
