-- Streamers: one row per Twitch account that logged in.
CREATE TABLE streamers (
    id              uuid        PRIMARY KEY,
    twitch_user_id  text        NOT NULL UNIQUE,
    login           text        NOT NULL,
    display_name    text        NOT NULL,
    -- Random (v4) UUID: 122 random bits, not time-ordered, so it cannot be guessed.
    overlay_id      uuid        NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One overlay configuration per streamer; version bumps on every save (cache invalidation).
CREATE TABLE overlay_configurations (
    streamer_id      uuid        PRIMARY KEY REFERENCES streamers (id) ON DELETE CASCADE,
    for_trigger      text        NOT NULL CHECK (length(btrim(for_trigger)) BETWEEN 1 AND 500),
    for_label        text        NOT NULL CHECK (length(for_label) <= 50),
    against_trigger  text        NOT NULL CHECK (length(btrim(against_trigger)) BETWEEN 1 AND 500),
    against_label    text        NOT NULL CHECK (length(against_label) <= 50),
    -- NULL means "infinite" memory.
    memory_seconds   integer     NULL CHECK (memory_seconds BETWEEN 5 AND 120),
    display_mode     text        NOT NULL CHECK (display_mode IN ('combined', 'split')),
    theme            text        NOT NULL CHECK (theme IN ('dark', 'light')),
    version          bigint      NOT NULL DEFAULT 1,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (lower(btrim(for_trigger)) <> lower(btrim(against_trigger)))
);

-- EventSub subscriptions ChatPulse holds with Twitch, one per streamer and type.
CREATE TABLE eventsub_subscriptions (
    id               text        PRIMARY KEY,
    streamer_id      uuid        NOT NULL REFERENCES streamers (id) ON DELETE CASCADE,
    type             text        NOT NULL,
    version          text        NOT NULL,
    conduit_id       text        NOT NULL,
    status           text        NOT NULL,
    revoked_reason   text        NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (streamer_id, type)
);
