using ChatPulse.Api.Streamers;

namespace ChatPulse.LoadTest;

/// <summary>
/// The <c>--any-word</c> phase's channel and chat: 10 triggers a side in any-word mode (the most a side takes), and
/// messages of about 200 characters that hold one trigger as a word somewhere in ordinary chat text.
/// </summary>
public static class AnyWordMessages
{
    public const int Length = 200;

    private static readonly string[] ForWords = ["yes", .. Enumerable.Range(1, 9).Select(i => $"yes{i}")];
    private static readonly string[] AgainstWords = ["no", .. Enumerable.Range(1, 9).Select(i => $"no{i}")];

    // No trigger among these words, so each message is exactly one side's vote.
    private const string Filler = "that clutch play was absolutely wild chat what do you think about the next round honestly the boss fight looked "
        + "rough but the team pulled through somehow and the crowd went crazy after that last minute comeback ";

    public static OverlayConfiguration Configuration { get; } = OverlayConfiguration.Default with
    {
        ForTriggers = [.. ForWords],
        AgainstTriggers = [.. AgainstWords],
        MatchMode = TriggerMatchMode.AnyWord,
    };

    /// <summary>Chatter <paramref name="chatter"/>'s message: a trigger (for two in three, as the exact-match phases vote) at a place of its own.</summary>
    public static string For(long chatter)
    {
        var trigger = (chatter % 3 == 0 ? AgainstWords : ForWords)[(int)(chatter / 3 % 10)];
        var at = Filler.IndexOf(' ', (int)(chatter % 150)) + 1; // a word boundary in the first 150 characters
        var text = string.Concat(Filler.AsSpan(0, at), trigger, " ", Filler.AsSpan(at));
        return text[..Math.Min(Length, text.LastIndexOf(' ', Length))];
    }
}
