-- Schema 6: the members page reads its rows from one index (issue 12, tenant API under load).
--
-- The page orders memberships by (joined_at DESC, user_id) and may filter by role; with the
-- role in the index, the count and the page's ids are index-only scans, and only the page's
-- 50 rows are read from the table. Replaces `memberships_joined`, which lacked the role.
CREATE INDEX memberships_page ON memberships (community_id, joined_at DESC, user_id) INCLUDE (role);
DROP INDEX memberships_joined;
