using ChatPulse.Api.Streamers;
using ChatPulse.Api.Votes;

namespace ChatPulse.Api.Polls;

/// <summary>
/// The rules of a poll (docs/polls.md), each error on the field the dashboard shows it next to (<c>question</c>,
/// <c>options</c>, <c>options[i].label</c>, <c>options[i].triggers</c>, <c>durationSeconds</c>, <c>rule</c>,
/// <c>resultSeconds</c>). Triggers follow the sides' <see cref="TriggerRules"/> and "the same trigger" is
/// <see cref="VoteMatcher.TriggerKey"/>: none shared by two options, none equal to one of the mood triggers.
/// </summary>
public static class PollRules
{
    public const string First = "first";
    public const string Last = "last";
    public const int MaxQuestionLength = 120;
    public const int MinOptions = 2;
    public const int MaxOptions = 6;
    public const int MaxLabelLength = 50;
    public const int MinDurationSeconds = 15;
    public const int MaxDurationSeconds = 900;
    public const int MinResultSeconds = 5;
    public const int MaxResultSeconds = 300;
    public const int DefaultResultSeconds = 15;

    /// <summary>The triggers an option gets when none are given: "1" for the first, "2" for the second, …</summary>
    public static TriggerList DefaultTriggers(int index) => [(index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>Field → message; empty when <paramref name="poll"/> may start for a channel with <paramref name="mood"/>.</summary>
    public static Dictionary<string, string> Validate(PollDefinition poll, OverlayConfiguration mood)
    {
        var errors = new Dictionary<string, string>();
        var question = (poll.Question ?? "").Trim();
        if (question.Length is 0 or > MaxQuestionLength || OverlayConfiguration.HasControlCharacters(question))
        {
            errors["question"] = $"Ask a question of 1–{MaxQuestionLength} characters, without control characters.";
        }

        if (poll.DurationSeconds is { } duration && duration is < MinDurationSeconds or > MaxDurationSeconds)
        {
            errors["durationSeconds"] = $"A poll runs {MinDurationSeconds}–{MaxDurationSeconds} seconds, or until you end it.";
        }

        if (poll.Rule is not (First or Last))
        {
            errors["rule"] = "The rule for a second vote must be “first” (the first vote stands) or “last” (the last vote counts).";
        }

        if (poll.ResultSeconds is { } result && result is < MinResultSeconds or > MaxResultSeconds)
        {
            errors["resultSeconds"] = $"The result shows {MinResultSeconds}–{MaxResultSeconds} seconds, or until dismissed.";
        }

        ValidateOptions(errors, poll.Options ?? [], mood);
        return errors;
    }

    private static void ValidateOptions(Dictionary<string, string> errors, IReadOnlyList<PollOption> options, OverlayConfiguration mood)
    {
        if (options.Count is < MinOptions or > MaxOptions)
        {
            errors["options"] = $"Give {MinOptions}–{MaxOptions} options (this poll has {options.Count}).";
            return;
        }

        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Count; i++)
        {
            var label = (options[i].Label ?? "").Trim();
            if (label.Length is 0 or > MaxLabelLength || OverlayConfiguration.HasControlCharacters(label))
            {
                errors[$"options[{i}].label"] = $"A label is 1–{MaxLabelLength} characters, without control characters.";
            }

            if (TriggerProblem(options[i].Triggers, i, owner, mood) is { } problem)
            {
                errors[$"options[{i}].triggers"] = problem;
            }
        }
    }

    // The first problem with option i's triggers; records its trigger keys in owner (key → option index).
    private static string? TriggerProblem(TriggerList? triggers, int i, Dictionary<string, int> owner, OverlayConfiguration mood)
    {
        // The sides' rules, whole-message mode (a poll trigger is always the whole message).
        var sideErrors = new Dictionary<string, string>();
        TriggerRules.Validate(sideErrors, OverlayConfiguration.Default with { ForTriggers = triggers ?? [], MatchMode = TriggerMatchMode.WholeMessage });
        if (sideErrors.TryGetValue(nameof(OverlayConfiguration.ForTriggers), out var problem))
        {
            return problem.Replace("per side", "per option").Replace("this side", "this option");
        }

        foreach (var trigger in triggers!)
        {
            var key = VoteMatcher.TriggerKey(trigger);
            var text = VoteMatcher.Normalize(trigger).ToString();
            if (owner.TryGetValue(key, out var other) && other != i)
            {
                return $"“{text}” is also a trigger of option {other + 1}: a trigger can vote for one option only (case-insensitively).";
            }

            if (mood.ForTriggers.Concat(mood.AgainstTriggers).Any(t => VoteMatcher.TriggerKey(t) == key))
            {
                return $"“{text}” is one of your mood triggers: pick another, so chat's mood votes keep counting.";
            }

            owner[key] = i;
        }

        return null;
    }
}
