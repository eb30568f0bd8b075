-- Several triggers per side (docs/triggers.md): each configuration's one trigger becomes a one-item list, its 0004 key a
-- one-item key list. "The same trigger" stays one definition, the API's VoteMatcher.TriggerKey: the API writes the keys
-- with every save and these checks compare them (no trigger on both sides, none twice on one side).
CREATE FUNCTION chatpulse_keys_distinct(keys text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT
    RETURN (SELECT count(DISTINCT k) = count(*) FROM unnest(keys) AS k);

ALTER TABLE overlay_configurations
    ADD COLUMN for_triggers         text[]  NULL,
    ADD COLUMN against_triggers     text[]  NULL,
    -- NULL only in rows saved before 0004 and not since (their keys were never computed), as in 0004.
    ADD COLUMN for_trigger_keys     text[]  NULL,
    ADD COLUMN against_trigger_keys text[]  NULL,
    ADD COLUMN match_mode           text    NOT NULL DEFAULT 'whole_message' CHECK (match_mode IN ('whole_message', 'any_word')),
    ADD COLUMN show_triggers        boolean NOT NULL DEFAULT false;

UPDATE overlay_configurations SET
    for_triggers = ARRAY[for_trigger],
    against_triggers = ARRAY[against_trigger],
    for_trigger_keys = CASE WHEN for_trigger_key IS NULL THEN NULL ELSE ARRAY[for_trigger_key] END,
    against_trigger_keys = CASE WHEN against_trigger_key IS NULL THEN NULL ELSE ARRAY[against_trigger_key] END;

ALTER TABLE overlay_configurations
    DROP CONSTRAINT overlay_configurations_trigger_keys_differ,
    DROP COLUMN for_trigger,
    DROP COLUMN against_trigger,
    DROP COLUMN for_trigger_key,
    DROP COLUMN against_trigger_key,
    ALTER COLUMN for_triggers SET NOT NULL,
    ALTER COLUMN against_triggers SET NOT NULL,
    ADD CONSTRAINT overlay_configurations_trigger_counts
        CHECK (cardinality(for_triggers) BETWEEN 1 AND 10 AND cardinality(against_triggers) BETWEEN 1 AND 10),
    ADD CONSTRAINT overlay_configurations_trigger_keys_match
        CHECK (cardinality(for_trigger_keys) = cardinality(for_triggers) AND cardinality(against_trigger_keys) = cardinality(against_triggers)),
    ADD CONSTRAINT overlay_configurations_trigger_keys_differ
        CHECK (NOT (for_trigger_keys && against_trigger_keys)
            AND chatpulse_keys_distinct(for_trigger_keys) AND chatpulse_keys_distinct(against_trigger_keys));
