-- A streamer whose Twitch authorization ended (EventSub revocation authorization_revoked / user_removed) must log
-- in again before ChatPulse can read their chat; the dashboard shows "reconnect Twitch" while this is set.
ALTER TABLE streamers
    ADD COLUMN needs_reconnect boolean NOT NULL DEFAULT false,
    ADD COLUMN revoked_reason  text    NULL;
