-- Scaling out with Citus (SPEC §8). When the citus extension is installed in this database,
-- the platform tables become reference tables (copied to every worker) and every tenant table
-- is distributed on community_id, co-located with memberships, so a tenant's rows live on one
-- shard group and every tenant query (which always filters by community_id) routes to one node.
-- On plain PostgreSQL this migration does nothing.
DO $$
DECLARE
    t text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        FOREACH t IN ARRAY ARRAY['users', 'communities', 'refresh_tokens', 'platform_audit_events']
        LOOP
            PERFORM create_reference_table(t);
        END LOOP;
        PERFORM create_distributed_table('memberships', 'community_id');
        FOREACH t IN ARRAY ARRAY['invitations', 'sync_state', 'sync_devices', 'accounts', 'fills',
            'signal_providers', 'annotations', 'journal_notes', 'trades', 'provider_follows', 'signals',
            'risk_profiles', 'feature_flags', 'audit_events']
        LOOP
            PERFORM create_distributed_table(t, 'community_id', colocate_with => 'memberships');
        END LOOP;
    END IF;
END
$$;
