using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Streamers;

/// <summary>
/// The rules for both sides' trigger lists (docs/triggers.md), each error on the field it concerns. "The same trigger"
/// is <see cref="VoteMatcher.TriggerKey"/>, the rule the matcher and the database's checks apply (migrations 0004, 0005).
/// </summary>
public static class TriggerRules
{
    public const int MaxTriggersPerSide = 10;
    public const int MaxTriggerLength = 100;

    /// <summary>Adds an error per offending field (<c>ForTriggers</c>, <c>AgainstTriggers</c>, <c>MatchMode</c>) to <paramref name="errors"/>.</summary>
    public static void Validate(Dictionary<string, string> errors, OverlayConfiguration configuration)
    {
        if (!Enum.IsDefined(configuration.MatchMode))
        {
            errors[nameof(OverlayConfiguration.MatchMode)] = "Match mode must be whole message or any word.";
        }

        var anyWord = configuration.MatchMode == TriggerMatchMode.AnyWord;
        var forKeys = ValidateSide(errors, nameof(OverlayConfiguration.ForTriggers), configuration.ForTriggers, anyWord);
        var againstKeys = ValidateSide(errors, nameof(OverlayConfiguration.AgainstTriggers), configuration.AgainstTriggers, anyWord);
        if (forKeys is null || againstKeys is null)
        {
            return;
        }

        foreach (var trigger in configuration.AgainstTriggers)
        {
            if (forKeys.Contains(VoteMatcher.TriggerKey(trigger)))
            {
                errors[nameof(OverlayConfiguration.AgainstTriggers)] =
                    $"“{VoteMatcher.Normalize(trigger)}” is on both sides: a trigger can count for one side only (case-insensitively).";
                return;
            }
        }
    }

    // The side's trigger keys, or null when the side has an error (then "on both sides" is not checked).
    private static HashSet<string>? ValidateSide(Dictionary<string, string> errors, string field, TriggerList? triggers, bool anyWord)
    {
        if (triggers is null || triggers.Count == 0)
        {
            errors[field] = "Give at least one trigger.";
            return null;
        }

        if (triggers.Count > MaxTriggersPerSide)
        {
            errors[field] = $"At most {MaxTriggersPerSide} triggers per side (this side has {triggers.Count}).";
            return null;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trigger in triggers)
        {
            if (Problem(trigger, anyWord) is { } problem)
            {
                errors[field] = problem;
                return null;
            }

            if (!keys.Add(VoteMatcher.TriggerKey(trigger)))
            {
                errors[field] = $"“{VoteMatcher.Normalize(trigger)}” is listed twice (case-insensitively).";
                return null;
            }
        }

        return keys;
    }

    private static string? Problem(string trigger, bool anyWord)
    {
        var normalized = VoteMatcher.Normalize(trigger);
        if (normalized.IsEmpty)
        {
            return "A trigger cannot be empty.";
        }

        if (OverlayConfiguration.HasControlCharacters(normalized))
        {
            return "A trigger cannot contain control characters.";
        }

        if (normalized.Length > MaxTriggerLength)
        {
            return $"A trigger can be at most {MaxTriggerLength} characters.";
        }

        // Any-word mode compares one word of the message at a time, so a trigger with a space could never match.
        return anyWord && WordMatcher.HasWordBreak(normalized)
            ? $"In any-word mode a trigger is one word or emote, without spaces (“{normalized}”)."
            : null;
    }
}
