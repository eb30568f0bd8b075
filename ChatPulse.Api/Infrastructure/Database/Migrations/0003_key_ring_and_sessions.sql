-- The Data Protection key ring (cookies, OAuth state, antiforgery), shared by every replica and kept as durably as
-- the streamers it signs in. Each row is one element of the framework's XML repository: a <key> (its secret
-- encrypted under TOKEN_ENCRYPTION_KEY) or a <revocation>.
CREATE TABLE data_protection_keys (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name  text        NOT NULL UNIQUE,
    element        text        NOT NULL CHECK (element IN ('key', 'revocation')),
    xml            text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- One row per signed-in browser: the session cookie names its row, logout deletes it, "log out everywhere" deletes
-- the streamer's rows, and expires_at is the absolute end (SESSION_ABSOLUTE_MAX_AGE) however long the cookie slides.
CREATE TABLE streamer_sessions (
    id           uuid        PRIMARY KEY,
    streamer_id  uuid        NOT NULL REFERENCES streamers (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);

CREATE INDEX streamer_sessions_streamer_id ON streamer_sessions (streamer_id);
