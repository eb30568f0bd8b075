-- Polls (ChatPulse.Api/Polls): one row per poll a streamer started. While a poll runs its live counts are in Redis;
-- the row gets the result when it ends. At most one running poll per streamer (the partial unique index), so two
-- replicas starting a poll at once cannot both succeed. Options are [{"label": "...", "triggers": ["1", ...]}, ...].
CREATE TABLE polls (
    id                uuid        PRIMARY KEY,
    streamer_id       uuid        NOT NULL REFERENCES streamers (id) ON DELETE CASCADE,
    question          text        NOT NULL CHECK (length(btrim(question)) BETWEEN 1 AND 120),
    options           jsonb       NOT NULL CHECK (jsonb_typeof(options) = 'array' AND jsonb_array_length(options) BETWEEN 2 AND 6),
    repeat_rule       text        NOT NULL CHECK (repeat_rule IN ('first', 'last')),
    -- NULL: open until the streamer ends it.
    duration_seconds  integer     NULL CHECK (duration_seconds BETWEEN 15 AND 900),
    -- How long the overlay shows the result after the end; NULL: until dismissed.
    result_seconds    integer     NULL CHECK (result_seconds BETWEEN 5 AND 300),
    status            text        NOT NULL CHECK (status IN ('running', 'ended', 'cancelled')),
    started_at        timestamptz NOT NULL,
    ends_at           timestamptz NULL,
    ended_at          timestamptz NULL,
    -- The result, written once when the poll ends: votes per option, the winning option indexes (0-based; several
    -- on a tie, none without votes) and the votes counted in each minute since the start.
    counts            bigint[]    NULL,
    winners           integer[]   NULL,
    votes_per_minute  bigint[]    NULL,
    CHECK ((status = 'running') = (ended_at IS NULL)),
    CHECK ((duration_seconds IS NULL) = (ends_at IS NULL))
);

CREATE UNIQUE INDEX polls_one_running ON polls (streamer_id) WHERE status = 'running';
CREATE INDEX polls_by_streamer ON polls (streamer_id, started_at DESC);
