-- "The same trigger" has one definition, the API's VoteMatcher.TriggerKey (the matcher's normal form: trimmed of white
-- space and invisible characters, NFC; then upper-cased as .NET's OrdinalIgnoreCase compares). The API writes each
-- trigger's key with every insert and save, and this check compares the keys. The check it replaces folded case with
-- the database's lower(), a different rule: ß/ẞ, i/İ and k/K (Kelvin sign) passed the API and then failed here.
ALTER TABLE overlay_configurations
    DROP CONSTRAINT overlay_configurations_check,
    -- NULL only in rows saved before this migration, until their next save: keys are the API's to compute, and those
    -- rows already passed both older checks.
    ADD COLUMN for_trigger_key     text NULL,
    ADD COLUMN against_trigger_key text NULL,
    ADD CONSTRAINT overlay_configurations_trigger_keys_differ CHECK (for_trigger_key <> against_trigger_key);
