namespace ChatPulse.Api.Streamers;

/// <summary>How a chat message is matched against the triggers (docs/triggers.md).</summary>
public enum TriggerMatchMode
{
    /// <summary>The whole trimmed message equals a trigger (the product's original rule).</summary>
    WholeMessage,

    /// <summary>The message contains a trigger as a whole word or emote, and none of the other side's.</summary>
    AnyWord,
}

/// <summary>The one spelling of each mode, in the database, the form and the overlay's state.</summary>
public static class TriggerMatchModes
{
    public const string WholeMessage = "whole_message";
    public const string AnyWord = "any_word";

    /// <summary>The mode's stored name: <c>whole_message</c> or <c>any_word</c>.</summary>
    public static string Name(this TriggerMatchMode mode) => mode == TriggerMatchMode.AnyWord ? AnyWord : WholeMessage;

    /// <summary>The mode a name spells (case-insensitively, trimmed); null for anything else.</summary>
    public static TriggerMatchMode? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        WholeMessage => TriggerMatchMode.WholeMessage,
        AnyWord => TriggerMatchMode.AnyWord,
        _ => null,
    };
}
