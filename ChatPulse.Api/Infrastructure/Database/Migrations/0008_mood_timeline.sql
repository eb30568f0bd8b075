-- The mood timeline (ChatPulse.Api/Timeline): one row per point, written once per interval (default 10 s) for each
-- channel that had mood votes in it. for/against are the sliding window's totals at the interval's end (what the
-- overlay showed), votes the mood votes applied during the interval. The key answers "this streamer's points
-- between t1 and t2" and makes a second write of the same interval a no-op; the index on at serves retention.
CREATE TABLE mood_points (
    streamer_id       uuid        NOT NULL REFERENCES streamers (id) ON DELETE CASCADE,
    at                timestamptz NOT NULL,
    votes_for         bigint      NOT NULL CHECK (votes_for >= 0),
    votes_against     bigint      NOT NULL CHECK (votes_against >= 0),
    votes             integer     NOT NULL CHECK (votes >= 0),
    votes_per_second  real        NOT NULL CHECK (votes_per_second >= 0),
    PRIMARY KEY (streamer_id, at)
);

CREATE INDEX mood_points_by_time ON mood_points (at);
