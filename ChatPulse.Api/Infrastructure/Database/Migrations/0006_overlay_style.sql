-- The overlay's look (the API's OverlayStyle record): colours, font, label position, what is shown, corner radius and
-- "hide when idle", as one JSON object the API writes and reads. Existing rows get today's look: its colours, the
-- text colour of their theme, labels above the bar with percentages. The shape stays in display_mode, which now also
-- takes 'ring'.
ALTER TABLE overlay_configurations
    ADD COLUMN style jsonb NULL CHECK (jsonb_typeof(style) = 'object');

UPDATE overlay_configurations SET style = jsonb_build_object(
    'forColor', '#2ecc71',
    'againstColor', '#e74c3c',
    'textColor', CASE WHEN theme = 'light' THEN '#14171a' ELSE '#ffffff' END,
    'font', 'sans',
    'labelPosition', 'above',
    'showPercentages', true,
    'showVotes', false,
    'showLabels', true,
    'cornerRadius', 30,
    'hideWhenIdleSeconds', NULL);

ALTER TABLE overlay_configurations
    ALTER COLUMN style SET NOT NULL,
    DROP CONSTRAINT overlay_configurations_display_mode_check,
    ADD CONSTRAINT overlay_configurations_display_mode_check CHECK (display_mode IN ('combined', 'split', 'ring'));
