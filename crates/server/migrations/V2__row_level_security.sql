-- Row-level security on every tenant table, FORCEd so that even the owner is subject to it.
-- The server connects as a non-owner role and sets the tenant per transaction with
-- set_config('app.community_id', <uuid>, true); without it no tenant row is visible.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['memberships', 'invitations', 'sync_state', 'sync_devices', 'accounts',
        'fills', 'signal_providers', 'annotations', 'journal_notes', 'trades', 'provider_follows',
        'signals', 'risk_profiles', 'feature_flags', 'audit_events']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I USING (community_id = NULLIF(current_setting(''app.community_id'', true), '''')::uuid) '
            'WITH CHECK (community_id = NULLIF(current_setting(''app.community_id'', true), '''')::uuid)', t);
    END LOOP;
END
$$;

-- A signed-in user may list their own memberships in every community (read only; the
-- server sets app.user_id for that one query).
CREATE POLICY own_memberships ON memberships FOR SELECT
    USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);
