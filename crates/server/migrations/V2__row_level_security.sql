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

-- The membership check of every tenant request in one statement: sets the tenant for the
-- statement's own (implicit) transaction, then reads the caller, the community's status and
-- the caller's role in it under row-level security like any other tenant query.
CREATE FUNCTION app_member(p_community uuid, p_user uuid)
RETURNS TABLE (email text, name text, is_operator boolean, status text, role text)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER AS $$
BEGIN
    PERFORM set_config('app.community_id', p_community::text, true);
    RETURN QUERY
        SELECT u.email, u.name, u.is_operator, c.status, m.role
        FROM users u
        LEFT JOIN communities c ON c.id = p_community
        LEFT JOIN memberships m ON m.community_id = p_community AND m.user_id = u.id
        WHERE u.id = p_user;
END
$$;
