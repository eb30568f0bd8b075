using ChatPulse.TwitchStandIn.State;

namespace ChatPulse.TwitchStandIn.Chat;

/// <summary>The <c>event</c> of a <c>channel.chat.message</c> v1 notification, field for field as Twitch sends it.</summary>
public sealed record ChatMessageEvent(
    string BroadcasterUserId, string BroadcasterUserLogin, string BroadcasterUserName,
    string ChatterUserId, string ChatterUserLogin, string ChatterUserName,
    string MessageId, ChatMessageBody Message, string Color, IReadOnlyList<Badge> Badges, string MessageType,
    object? Cheer, object? Reply, string? ChannelPointsCustomRewardId,
    string? SourceBroadcasterUserId, string? SourceBroadcasterUserLogin, string? SourceBroadcasterUserName,
    string? SourceMessageId, IReadOnlyList<Badge>? SourceBadges);

public sealed record ChatMessageBody(string Text, IReadOnlyList<Fragment> Fragments);

public sealed record Badge(string SetId, string Id, string Info);

public sealed record Fragment(string Type, string Text, object? Cheermote, EmoteInfo? Emote, MentionInfo? Mention);

public sealed record EmoteInfo(string Id, string EmoteSetId, string OwnerId, IReadOnlyList<string> Format);

public sealed record MentionInfo(string UserId, string UserLogin, string UserName);

/// <summary>Builds chat events: splits the text into text, emote and mention fragments as Twitch does.</summary>
public static class ChatMessage
{
    /// <summary>Global emotes the stand-in recognises by name (Twitch's ids), so emote-fragment matching can be tested.</summary>
    public static readonly IReadOnlyDictionary<string, string> Emotes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Kappa"] = "25",
        ["Kreygasm"] = "41",
        ["BibleThump"] = "86",
        ["ResidentSleeper"] = "245",
        ["4Head"] = "354",
        ["SeemsGood"] = "64138",
        ["LUL"] = "425618",
        ["PogChamp"] = "305954156",
    };

    public static ChatMessageEvent Build(TwitchUser broadcaster, TwitchUser chatter, string text, string color, string messageType,
        Func<string, TwitchUser?> findLogin, TwitchUser? source = null, string? sourceMessageId = null) => new(
        broadcaster.Id, broadcaster.Login, broadcaster.DisplayName,
        chatter.Id, chatter.Login, chatter.DisplayName,
        Guid.NewGuid().ToString(), new ChatMessageBody(text, Fragments(text, findLogin)), color, [], messageType,
        null, null, null,
        source?.Id, source?.Login, source?.DisplayName, sourceMessageId, source is null ? null : []);

    public static IReadOnlyList<Fragment> Fragments(string text, Func<string, TwitchUser?> findLogin)
    {
        var fragments = new List<Fragment>();
        var pending = new System.Text.StringBuilder();
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                pending.Append(' ');
            }

            var word = words[i];
            Fragment? special = null;
            if (Emotes.TryGetValue(word, out var emoteId))
            {
                special = new Fragment("emote", word, null, new EmoteInfo(emoteId, "0", "0", ["static"]), null);
            }
            else if (word.Length > 1 && word[0] == '@' && findLogin(word[1..]) is { } mentioned)
            {
                special = new Fragment("mention", word, null, null, new MentionInfo(mentioned.Id, mentioned.Login, mentioned.DisplayName));
            }

            if (special is null)
            {
                pending.Append(word);
                continue;
            }

            Flush(fragments, pending);
            fragments.Add(special);
        }

        Flush(fragments, pending);
        return fragments;
    }

    private static void Flush(List<Fragment> fragments, System.Text.StringBuilder pending)
    {
        if (pending.Length > 0)
        {
            fragments.Add(new Fragment("text", pending.ToString(), null, null, null));
            pending.Clear();
        }
    }
}
