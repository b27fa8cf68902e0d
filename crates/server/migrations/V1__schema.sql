-- Tradebook tenant API schema.
--
-- Platform tables (users, communities, refresh tokens, the platform audit log) are shared by
-- every tenant (Citus: reference tables). Every tenant-owned table carries `community_id`,
-- which leads its primary key and sits inside every foreign key to another tenant table
-- (Citus: distributed on community_id, co-located). Money is NUMERIC, instants timestamptz.

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL,
    password_hash text NOT NULL,
    is_operator   boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE communities (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Rotating refresh tokens: only a SHA-256 of the opaque token is stored. A token used twice
-- (reuse of a rotated token) revokes its whole family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  text NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE platform_audit_events (
    id          bigserial PRIMARY KEY,
    actor_id    uuid,
    action      text NOT NULL,
    target      text,
    risk        text NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    ip          text,
    detail      jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------- tenant tables

CREATE TABLE memberships (
    community_id        uuid NOT NULL REFERENCES communities (id),
    user_id             uuid NOT NULL REFERENCES users (id),
    role                text NOT NULL CHECK (role IN ('admin', 'moderator', 'trader', 'viewer')),
    leaderboard_opt_in  boolean NOT NULL DEFAULT false,
    leaderboard_alias   text,
    last_active_at      timestamptz,
    -- Close time of the member's latest closed trade, kept by the trade recomputation so the
    -- dashboard counts active traders without scanning trades.
    last_trade_at       timestamptz,
    -- Count and net P&L of the member's closed trades, kept likewise (members dashboard).
    closed_trades       bigint NOT NULL DEFAULT 0,
    closed_net_pnl      numeric NOT NULL DEFAULT 0,
    joined_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id)
);

CREATE INDEX memberships_joined ON memberships (community_id, joined_at DESC, user_id);
CREATE INDEX memberships_last_trade ON memberships (community_id, last_trade_at);

CREATE TABLE invitations (
    community_id  uuid NOT NULL REFERENCES communities (id),
    id            uuid NOT NULL,
    code          text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'moderator', 'trader', 'viewer')),
    expires_at    timestamptz NOT NULL,
    max_uses      integer NOT NULL CHECK (max_uses > 0),
    use_count     integer NOT NULL DEFAULT 0,
    created_by    uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, id),
    UNIQUE (community_id, code)
);

-- The community's change counter: every synced row change takes the next version under a
-- row lock held to commit, so versions are handed out in commit order (a pull never skips a
-- row committed late).
CREATE TABLE sync_state (
    community_id  uuid NOT NULL REFERENCES communities (id),
    version       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (community_id)
);

CREATE TABLE sync_devices (
    community_id      uuid NOT NULL,
    user_id           uuid NOT NULL,
    device_id         text NOT NULL,
    last_mutation_id  bigint NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id, device_id),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE
);

CREATE TABLE accounts (
    community_id       uuid NOT NULL,
    user_id            uuid NOT NULL,
    id                 uuid NOT NULL,
    name               text NOT NULL DEFAULT '',
    platform           text NOT NULL DEFAULT 'other',
    broker_account_id  text,
    currency           text NOT NULL DEFAULT 'USD',
    starting_balance   numeric NOT NULL DEFAULT 0,
    timezone           text NOT NULL DEFAULT 'America/New_York',
    deleted            boolean NOT NULL DEFAULT false,
    version            bigint NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id, id),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE
);
CREATE INDEX accounts_version ON accounts (community_id, user_id, version);

CREATE TABLE fills (
    community_id  uuid NOT NULL,
    user_id       uuid NOT NULL,
    id            uuid NOT NULL,
    account_id    uuid NOT NULL,
    symbol        text NOT NULL,
    asset_class   text NOT NULL,
    side          text NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity      numeric NOT NULL,
    price         numeric NOT NULL,
    fees          numeric NOT NULL DEFAULT 0,
    multiplier    numeric NOT NULL DEFAULT 1,
    executed_at   timestamptz NOT NULL,
    seq           bigint NOT NULL DEFAULT 0,
    deleted       boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id, id),
    FOREIGN KEY (community_id, user_id, account_id) REFERENCES accounts (community_id, user_id, id) ON DELETE CASCADE
);
CREATE INDEX fills_version ON fills (community_id, user_id, version);

CREATE TABLE signal_providers (
    community_id  uuid NOT NULL REFERENCES communities (id),
    id            uuid NOT NULL,
    name          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, id)
);

CREATE TABLE annotations (
    community_id  uuid NOT NULL,
    user_id       uuid NOT NULL,
    trade_id      uuid NOT NULL,
    notes         text NOT NULL DEFAULT '',
    tags          text[] NOT NULL DEFAULT '{}',
    setup         text,
    planned_stop  numeric,
    mistakes      text[] NOT NULL DEFAULT '{}',
    provider_id   uuid,
    deleted       boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id, trade_id),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (community_id, provider_id) REFERENCES signal_providers (community_id, id)
);
CREATE INDEX annotations_version ON annotations (community_id, user_id, version);

CREATE TABLE journal_notes (
    community_id  uuid NOT NULL,
    user_id       uuid NOT NULL,
    day           date NOT NULL,
    body          text NOT NULL DEFAULT '',
    deleted       boolean NOT NULL DEFAULT false,
    version       bigint NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id, day),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE
);
CREATE INDEX journal_notes_version ON journal_notes (community_id, user_id, version);

-- Round trips derived from a member's fills by tradebook-core (FIFO); rewritten for the
-- touched accounts after every push that changes fills. id = the opening fill's id.
CREATE TABLE trades (
    community_id  uuid NOT NULL,
    user_id       uuid NOT NULL,
    id            uuid NOT NULL,
    account_id    uuid NOT NULL,
    symbol        text NOT NULL,
    asset_class   text NOT NULL,
    direction     text NOT NULL,
    status        text NOT NULL,
    quantity         numeric NOT NULL,
    closed_quantity  numeric NOT NULL,
    multiplier       numeric NOT NULL,
    entry_price   numeric,
    exit_price    numeric,
    gross_pnl     numeric NOT NULL,
    fees          numeric NOT NULL,
    net_pnl       numeric NOT NULL,
    opened_at     timestamptz NOT NULL,
    closed_at     timestamptz,
    trading_day   date,
    PRIMARY KEY (community_id, user_id, id),
    FOREIGN KEY (community_id, user_id, account_id) REFERENCES accounts (community_id, user_id, id) ON DELETE CASCADE
);
CREATE INDEX trades_day ON trades (community_id, trading_day);
CREATE INDEX trades_member ON trades (community_id, user_id, closed_at);
CREATE INDEX trades_closed ON trades (community_id, closed_at) INCLUDE (user_id, net_pnl) WHERE status = 'closed';

CREATE TABLE provider_follows (
    community_id  uuid NOT NULL,
    user_id       uuid NOT NULL,
    provider_id   uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id, provider_id),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (community_id, provider_id) REFERENCES signal_providers (community_id, id)
);

CREATE TABLE signals (
    community_id  uuid NOT NULL,
    id            uuid NOT NULL,
    provider_id   uuid NOT NULL,
    symbol        text NOT NULL,
    side          text NOT NULL CHECK (side IN ('buy', 'sell')),
    entry         numeric,
    stop          numeric,
    target        numeric,
    note          text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, id),
    FOREIGN KEY (community_id, provider_id) REFERENCES signal_providers (community_id, id)
);

CREATE TABLE risk_profiles (
    community_id             uuid NOT NULL,
    user_id                  uuid NOT NULL,
    max_risk_per_trade_pct   numeric NOT NULL CHECK (max_risk_per_trade_pct BETWEEN 0 AND 100),
    max_daily_loss_pct       numeric NOT NULL CHECK (max_daily_loss_pct BETWEEN 0 AND 100),
    max_position_size_pct    numeric NOT NULL CHECK (max_position_size_pct BETWEEN 0 AND 100),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, user_id),
    FOREIGN KEY (community_id, user_id) REFERENCES memberships (community_id, user_id) ON DELETE CASCADE
);

CREATE TABLE feature_flags (
    community_id     uuid NOT NULL REFERENCES communities (id),
    key              text NOT NULL,
    enabled          boolean NOT NULL DEFAULT false,
    rollout_percent  integer NOT NULL DEFAULT 100 CHECK (rollout_percent BETWEEN 0 AND 100),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, key)
);

CREATE TABLE audit_events (
    community_id  uuid NOT NULL REFERENCES communities (id),
    id            uuid NOT NULL,
    actor_id      uuid,
    action        text NOT NULL,
    target        text,
    risk          text NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    before        jsonb,
    after         jsonb,
    ip            text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (community_id, id)
);
CREATE INDEX audit_events_time ON audit_events (community_id, created_at DESC);
