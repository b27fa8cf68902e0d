import type { Stats } from "../../lib/ipc";
import { formatDecimal, formatDuration, formatInteger, formatMoney, formatPercent, formatRatio, pnlClass } from "../../lib/format";
import { isRebate, Money } from "../../components/Money";
import { StatCard } from "./StatCard";

/** The SPEC §4 statistics for the current filter, computed in Rust. */
export function StatGrid({ stats, currency }: { stats: Stats; currency: string | null }) {
  const m = (v: string | null) => formatMoney(v, { currency });
  const winRateData = stats.win_rate == null ? "" : String(stats.win_rate);
  return (
    <section className="stat-grid" aria-label="Statistics">
      <StatCard
        label="Net P&L"
        testId="stat-net-pnl"
        dataValue={stats.net_pnl}
        tone={pnlClass(stats.net_pnl)}
        value={m(stats.net_pnl)}
        sub="after fees, closed trades"
      />
      <StatCard
        label="Gross P&L"
        dataValue={stats.gross_pnl}
        tone={pnlClass(stats.gross_pnl)}
        value={m(stats.gross_pnl)}
        sub="before fees"
      />
      <StatCard
        label={isRebate(stats.fees) ? "Rebates" : "Fees"}
        dataValue={stats.fees}
        value={isRebate(stats.fees) ? m(stats.fees.trim().slice(1)) : m(stats.fees)}
        sub={isRebate(stats.fees) ? "net of fees: the venues paid you" : "commissions and fees, net of rebates"}
      />
      <StatCard
        label="Trades"
        testId="stat-trades"
        dataValue={String(stats.trades)}
        value={formatInteger(stats.trades)}
        sub={
          (stats.incomplete_trades > 0
            ? `closed · ${formatInteger(stats.open_trades)} open · ${formatInteger(stats.incomplete_trades)} opening unknown`
            : `closed · ${formatInteger(stats.open_trades)} open`) +
          (stats.strategies > 0 ? ` · ${formatInteger(stats.strategies)} multi-leg strategies, each one trade` : "")
        }
      />
      <StatCard
        label="Win rate"
        testId="stat-win-rate"
        dataValue={winRateData}
        value={formatPercent(stats.win_rate)}
        title="Winners ÷ (winners + losers); below: winners ÷ all closed trades"
        sub={
          <>
            {formatPercent(stats.win_rate_all)} of all · {stats.winners}W {stats.losers}L {stats.scratches}BE
          </>
        }
      />
      <StatCard
        label="Profit factor"
        value={formatRatio(stats.profit_factor)}
        title="Net of winners ÷ |net of losers|; — when there are no losers"
        sub={<>payoff ratio {formatRatio(stats.payoff_ratio)}</>}
      />
      <StatCard
        label="Expectancy"
        dataValue={stats.expectancy ?? ""}
        tone={pnlClass(stats.expectancy)}
        value={m(stats.expectancy)}
        sub="net per closed trade"
      />
      <StatCard
        label="Avg win / avg loss"
        value={
          <>
            <Money value={stats.avg_win} currency={currency} pnl /> <span className="muted">/</span>{" "}
            <Money value={stats.avg_loss} currency={currency} pnl />
          </>
        }
        sub="per winning / losing trade"
      />
      <StatCard
        label="Largest win / loss"
        value={
          <>
            <Money value={stats.largest_win} currency={currency} pnl /> <span className="muted">/</span>{" "}
            <Money value={stats.largest_loss} currency={currency} pnl />
          </>
        }
        sub="single trade"
      />
      <StatCard
        label="Max drawdown"
        dataValue={stats.max_drawdown}
        tone={pnlClass(stats.max_drawdown) === "zero" ? "" : "neg"}
        value={m(stats.max_drawdown)}
        title="Largest peak-to-trough fall of cumulative net P&L; % of starting balance + peak"
        sub={
          stats.max_drawdown_pct == null
            ? "no starting balance set"
            : `${formatPercent(stats.max_drawdown_pct / 100)} of balance at the peak`
        }
      />
      <StatCard
        label="Sharpe (daily)"
        testId="stat-sharpe"
        dataValue={stats.sharpe == null ? "" : String(stats.sharpe)}
        value={formatRatio(stats.sharpe)}
        title="mean(daily net) ÷ stdev(daily net) × √252, over days with trades only"
        sub={`over ${formatInteger(stats.trading_days)} trading ${stats.trading_days === 1 ? "day" : "days"}`}
      />
      <StatCard
        label="Sortino (daily)"
        testId="stat-sortino"
        dataValue={stats.sortino == null ? "" : String(stats.sortino)}
        value={formatRatio(stats.sortino)}
        title="mean(daily net) ÷ downside deviation × √252, over days with trades only"
        sub={`over ${formatInteger(stats.trading_days)} trading ${stats.trading_days === 1 ? "day" : "days"}`}
      />
      <StatCard
        label="Average R"
        testId="stat-avg-r"
        dataValue={stats.avg_r ?? ""}
        tone={pnlClass(stats.avg_r)}
        value={stats.avg_r != null ? `${formatDecimal(stats.avg_r, 2, 2)}R` : "—"}
        title="Mean R-multiple (net ÷ initial risk) of closed trades with a planned stop"
        sub={stats.r_trades > 0 ? `${formatInteger(stats.r_trades)} ${stats.r_trades === 1 ? "trade" : "trades"} with a stop` : "set planned stops to see R"}
      />
      <StatCard
        label="Avg hold"
        testId="stat-avg-hold"
        dataValue={stats.avg_hold_seconds == null ? "" : String(stats.avg_hold_seconds)}
        value={formatDuration(stats.avg_hold_seconds)}
        sub="open to close"
      />
      <StatCard
        label="Streaks"
        testId="stat-streaks"
        dataValue={`${stats.longest_win_streak}/${stats.longest_loss_streak}`}
        value={
          <>
            <span className="pos">{stats.longest_win_streak}W</span> <span className="muted">/</span> <span className="neg">{stats.longest_loss_streak}L</span>
          </>
        }
        sub="longest winning / losing run"
      />
    </section>
  );
}
